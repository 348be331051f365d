(function () {
  // Cards tell the maps what to highlight through a document event (rd-highlight); the maps (maps.js) listen.
  const data = window.rdData || (window.rdData = JSON.parse(document.getElementById('rd-data').textContent));
  let selected = null;
  function show(key) {
    document.dispatchEvent(new CustomEvent('rd-highlight', {
      detail: { indices: key ? data.concepts[key] : null, caption: key ? data.names[key] : '' }
    }));
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
})();
