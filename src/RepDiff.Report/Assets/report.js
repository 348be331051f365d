(function () {
  const data = JSON.parse(document.getElementById('rd-data').textContent);
  const maps = Array.from(document.querySelectorAll('svg.map'));
  const index = maps.map(svg => { const m = new Map(); svg.querySelectorAll('circle').forEach(c => m.set(+c.dataset.i, c)); return m; });
  const caption = document.getElementById('map-caption') || document.createElement('p');
  const defaultCaption = caption.textContent;
  let selected = null, lit = [];
  function show(key) {
    lit.forEach(c => c.classList.remove('on')); lit = [];
    const members = key ? data.concepts[key] : null;
    maps.forEach((svg, s) => {
      svg.classList.toggle('focus', !!members);
      if (!members) return;
      for (const i of members) { const c = index[s].get(i); if (c) { c.classList.add('on'); lit.push(c); svg.appendChild(c); } }
    });
    caption.textContent = key ? data.names[key] : defaultCaption;
  }
  document.querySelectorAll('.card').forEach(card => {
    const key = card.dataset.key;
    card.addEventListener('mouseenter', () => show(key));
    card.addEventListener('mouseleave', () => show(selected));
    const toggle = () => {
      document.querySelectorAll('.card.selected').forEach(c => c.classList.remove('selected'));
      selected = selected === key ? null : key;
      if (selected) card.classList.add('selected');
      show(selected);
    };
    card.addEventListener('click', toggle);
    card.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
  });
  const tip = document.getElementById('tip');
  let picked = [];
  function unpick() { picked.forEach(c => c.classList.remove('pick')); picked = []; }
  maps.forEach(svg => {
    svg.addEventListener('mouseover', e => {
      const c = e.target.closest('circle'); if (!c) return;
      const i = +c.dataset.i; unpick();
      index.forEach(m => { const p = m.get(i); if (p) { p.classList.add('pick'); picked.push(p); } });
      tip.replaceChildren();
      const thumb = data.thumbs[i];
      if (thumb) { const img = document.createElement('img'); img.src = thumb; img.alt = ''; tip.appendChild(img); }
      const line = document.createElement('div');
      line.textContent = '#' + i + (data.labels[i] !== undefined ? ' · ' + data.labels[i] : '');
      tip.appendChild(line);
      if (data.texts[i]) { const t = document.createElement('div'); t.textContent = data.texts[i]; tip.appendChild(t); }
      tip.hidden = false;
    });
    svg.addEventListener('mousemove', e => {
      const w = tip.offsetWidth, h = tip.offsetHeight;
      tip.style.left = (e.clientX + 14 + w > innerWidth ? e.clientX - 14 - w : e.clientX + 14) + 'px';
      tip.style.top = (e.clientY + 14 + h > innerHeight ? e.clientY - 14 - h : e.clientY + 14) + 'px';
    });
    svg.addEventListener('mouseleave', () => { tip.hidden = true; unpick(); });
  });
})();
(function () {
  // PCA / UMAP switch: one map set shown at a time; highlights apply to both, so a selection survives a switch.
  const tabs = Array.from(document.querySelectorAll('.maptabs button'));
  tabs.forEach(tab => tab.addEventListener('click', () => {
    tabs.forEach(t => t.classList.toggle('on', t === tab));
    document.querySelectorAll('.mapset').forEach(set => { set.hidden = set.dataset.kind !== tab.dataset.kind; });
  }));
})();
