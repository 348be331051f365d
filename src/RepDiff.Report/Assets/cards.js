(function () {
  // Concept cards: every member (paged), what is over-represented among them, the closest concepts of other
  // methods, the consensus rows, and downloads. The maps are reached only through document events:
  // 'rd-highlight' {indices, caption} asks both maps to highlight samples; 'rd-selection' {indices} (also
  // window.rdSelection) tells what the user selected on a map.
  // The page data is parsed once (report.js); the members' ids, labels, metadata, texts and thumbnails are its samples.
  const page = window.rdData, S = page.samples;
  const data = page.cards;
  if (!data) return;
  const thumbs = S.thumbs || {};
  const labelColumn = S.columns.findIndex(c => c.labels);
  // The images' looks colour the maps; the downloads have `repdiff export`'s columns, which hold none.
  const metaColumns = S.columns.filter((c, j) => j !== labelColumn && !c.look);
  const metaNames = data.header.slice(data.header.length - metaColumns.length); // as `repdiff export` names them
  const hasThumbs = Object.keys(thumbs).length > 0; // counted once, not for every listed member
  const pageSize = hasThumbs ? 48 : 20;

  function columnValue(column, row) {
    const k = S.slot(row);
    if (k === undefined) return null;
    const code = column.codes[k];
    return code < 0 ? null : column.names[code];
  }
  const idOf = row => { const k = S.slot(row); return S.ids && k !== undefined ? S.ids[k] : null; };
  const fileOf = row => { const k = S.slot(row); return S.files && k !== undefined ? S.files[k] : null; };
  // A sample as the page names it (report.js: its id, else its image file, else "#row").
  const nameOf = row => { const k = S.slot(row); return k === undefined ? '#' + row : S.nameAt(k, row); };
  const labelOf = row => labelColumn < 0 ? null : columnValue(S.columns[labelColumn], row);

  function highlight(indices, caption) {
    document.dispatchEvent(new CustomEvent('rd-highlight', { detail: { indices: indices, caption: caption || '' } }));
  }
  const cardCaption = page.cardCaption;
  // What the maps go back to when the mouse or focus leaves a consensus row or a listed member: the chosen consensus row,
  // else the selected card, else nothing (a hovered row's samples had stayed lit after the mouse left).
  const rowLit = new Map(); // consensus row → lights its shared samples
  function restore() {
    const row = document.querySelector('tr.pair.on');
    if (row && rowLit.has(row)) { rowLit.get(row)(); return; }
    const card = document.querySelector('.card.selected'), c = card && data.concepts[card.dataset.key];
    highlight(c ? c.members : null, c ? cardCaption(c) : '');
  }
  page.restoreMaps = restore; // a card left by the mouse or the focus (report.js) gives the maps back the same way
  const hovered = () => !page.hoverHeld || !page.hoverHeld(); // not a page that moved under a still pointer (report.js)
  const unchooseRows = () => document.querySelectorAll('tr.pair.on').forEach(x => x.classList.remove('on'));

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // ---- export rows: the columns of `repdiff export` ----
  // The group column (given groups' names), the file and text columns, as `repdiff export` has them when some concept has a
  // name of its own, when the images are files and when the samples are texts (the page holds the members' texts in full).
  const withGroup = data.groupColumn, withFile = data.fileColumn, withText = data.textColumn;
  const textOf = row => { const k = S.slot(row); return S.texts && k !== undefined ? S.texts[k] : null; };
  function conceptRows(key) {
    const c = data.concepts[key];
    const grid = new Set(c.grid);
    return c.members.map((row, p) => [c.method, c.direction, c.rank, ...(withGroup ? [c.name] : []), c.strength, c.stability, c.foundAgain, c.pValue, c.pAdjusted, c.confirmed,
      p, grid.has(row), row, idOf(row), labelOf(row),
      c.scores ? c.scores[p] : null, ...(withFile ? [fileOf(row)] : []), ...(withText ? [textOf(row)] : []), ...metaColumns.map(col => columnValue(col, row))]);
  }
  const selectionHeader = () => ['row', 'id', 'label', ...(withFile ? ['file'] : []), ...metaNames];
  const selectionRows = indices => indices.map(row => [row, idOf(row), labelOf(row), ...(withFile ? [fileOf(row)] : []), ...metaColumns.map(col => columnValue(col, row))]);

  // Text beginning with = + - @ tab or CR is a formula to a spreadsheet (CSV injection): written as 'text in quotes,
  // unless it is a plain number; the same rule as `repdiff export` (MemberExport.CsvField).
  const plainNumber = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
  function csvField(v) {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !plainNumber.test(s)) return '"\'' + s.replace(/"/g, '""') + '"';
    return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function toCsv(header, rows) {
    return [header, ...rows].map(r => r.map(csvField).join(',')).join('\n') + '\n';
  }
  // Metadata columns of numbers as written are JSON numbers, as `repdiff export --format jsonl` writes them; they end every header.
  function toJson(header, rows) {
    const first = header.length - metaColumns.length;
    const value = (v, j) => v === undefined ? null : v !== null && j >= first && metaColumns[j - first].jsonNumbers ? Number(v) : v;
    return JSON.stringify(rows.map(r => Object.fromEntries(header.map((h, j) => [h, value(r[j], j)]))), null, 1) + '\n';
  }
  function download(name, header, rows, format) {
    const text = format === 'json' ? toJson(header, rows) : toCsv(header, rows);
    const blob = new Blob([text], { type: format === 'json' ? 'application/json' : 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name.replace(/[^A-Za-z0-9._-]+/g, '-') + '.' + format;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  const conceptFile = key => { const c = data.concepts[key]; return c.method + '-' + c.direction + '-' + c.rank; };

  // ---- the member list: one panel under each direction's cards ----
  // Its button says whether it is open and which panel it opens; opening scrolls the panel into view and moves the focus to its
  // heading (it had opened below the window with nothing to show it), and closing (× or Escape) gives the focus back to the button.
  const panels = new Map();
  function panelFor(card) {
    const cards = card.closest('.cards');
    if (!panels.has(cards)) {
      const panel = el('section', 'members');
      panel.hidden = true;
      panel.id = 'members-' + panels.size;
      panel.addEventListener('keydown', e => { if (e.key === 'Escape') { e.preventDefault(); closePanel(panel); } });
      cards.after(panel);
      panels.set(cards, panel);
    }
    return panels.get(cards);
  }
  const buttonOf = card => card.querySelector('button.open-members');
  function closePanel(panel) {
    const card = document.querySelector('.card.open');
    panel.hidden = true;
    if (!card) return;
    card.classList.remove('open');
    const button = buttonOf(card);
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }
  document.querySelectorAll('button.open-members').forEach(b => b.setAttribute('aria-expanded', 'false'));

  function memberItem(c, row, p) {
    const li = el('li', 'member');
    li.dataset.row = row;
    const thumb = thumbs[row];
    const label = labelOf(row), id = idOf(row), k = S.slot(row);
    // The image file where the id does not name it already (without an id, the file is the name).
    const file = k === undefined ? null : id !== null && id !== undefined ? S.otherFileAt(k) : fileOf(row);
    // Named as the cards' grid names its pictures (id, else file, else row; the file beside a different id; then label):
    // "#row" alone named no file of the user's.
    const name = nameOf(row) + (id !== null && id !== undefined && file !== null ? ' · ' + file : '') + (label !== null ? ' · ' + label : '');
    if (thumb) { const img = el('img'); img.src = thumb; img.alt = page.clip(name); li.appendChild(img); }
    else if (hasThumbs) li.appendChild(el('span', 'nothumb', '#' + row));
    const line = el('div', 'mline');
    line.append(el('b', null, '#' + row));
    // Ids, files and labels cut to 200 characters, so one 10,000-character label does not make its item pages long, and broken
    // as a card's list breaks them (report.js, cards.css: a word wider than the item ends in "…"); whole on hover.
    const cut = (cls, value) => { const span = el('span', cls); span.append(page.breakable(page.clip(value))); span.title = value; return span; };
    if (id !== null && id !== undefined) line.append(' ', cut('mid', id));
    if (file !== null) line.append(id !== null && id !== undefined ? ' · ' : ' ', cut('mfile', file));
    if (label !== null) line.append(' · ', cut('mlabel', label));
    if (c.scores && c.scores[p] !== null) line.append(' · ', el('span', 'mscore', 'score ' + page.figure(c.scores[p], 'strength')));
    li.appendChild(line);
    const whole = S.texts ? S.texts[S.slot(row)] : undefined;
    if (whole !== undefined && whole !== null) {
      const text = page.oneLine(whole);
      const t = el('div', 'mtext', page.clip(text, 160));
      li.appendChild(t);
      if (text.length > 160) {
        const more = el('button', 'more', 'full text');
        more.type = 'button';
        more.addEventListener('click', () => {
          const full = t.classList.toggle('full');
          t.textContent = full ? text : page.clip(text, 160);
          more.textContent = full ? 'shorter' : 'full text';
        });
        li.appendChild(more);
      }
    }
    return li;
  }

  function renderPage(panel, key, pageNo) {
    const c = data.concepts[key];
    const pages = Math.max(1, Math.ceil(c.members.length / pageSize));
    pageNo = Math.max(0, Math.min(pages - 1, pageNo));
    panel.dataset.page = pageNo;
    const list = panel.querySelector('ol.memberlist');
    list.replaceChildren();
    const from = pageNo * pageSize, to = Math.min(c.members.length, from + pageSize);
    list.start = from + 1;
    for (let p = from; p < to; p++) list.appendChild(memberItem(c, c.members[p], p));
    panel.querySelectorAll('.pagepos').forEach(s => { s.textContent = 'members ' + (from + 1).toLocaleString('en') + '–' + to.toLocaleString('en') + ' of ' + c.members.length.toLocaleString('en') + ' (page ' + (pageNo + 1) + ' of ' + pages + ')'; });
    panel.querySelectorAll('button.prev').forEach(b => { b.disabled = pageNo === 0; });
    panel.querySelectorAll('button.next').forEach(b => { b.disabled = pageNo >= pages - 1; });
  }

  function pager(panel, key) {
    const bar = el('div', 'pager');
    const prev = el('button', 'prev', '◂ previous'), next = el('button', 'next', 'next ▸');
    prev.type = next.type = 'button';
    prev.addEventListener('click', () => renderPage(panel, key, +panel.dataset.page - 1));
    next.addEventListener('click', () => renderPage(panel, key, +panel.dataset.page + 1));
    bar.append(prev, el('span', 'pagepos'), next);
    return bar;
  }

  function open(card) {
    const key = card.dataset.key, c = data.concepts[key];
    const panel = panelFor(card);
    document.querySelectorAll('.card.open').forEach(x => { x.classList.remove('open'); buttonOf(x).setAttribute('aria-expanded', 'false'); });
    card.classList.add('open');
    const button = buttonOf(card);
    button.setAttribute('aria-expanded', 'true');
    button.setAttribute('aria-controls', panel.id);
    panel.dataset.key = key;
    panel.replaceChildren();
    const head = el('header', 'mhead');
    const heading = el('h4', null, c.title + ' — ' + page.members(c.members.length));
    heading.tabIndex = -1;
    head.append(heading);
    const close = el('button', 'close', '×');
    close.type = 'button';
    close.title = 'close the member list';
    close.setAttribute('aria-label', 'close the member list');
    close.addEventListener('click', () => closePanel(panel));
    const tools = el('span', 'mtools');
    for (const format of ['csv', 'json']) {
      const b = el('button', 'dl', format.toUpperCase());
      b.type = 'button';
      b.dataset.format = format;
      b.title = 'download every member of this concept as ' + format.toUpperCase();
      b.addEventListener('click', () => download(conceptFile(key), data.header, conceptRows(key), format));
      tools.append(b);
    }
    head.append(tools, close);
    panel.append(head);

    // A table of tested values (over-represented labels and metadata, words, looks): phrase, effect, p and the corrected q.
    const tests = (heading, effectHeading, rows, effect) => {
      const t = el('table', 'enrichment');
      const hr = t.createTHead().insertRow();
      for (const h of [heading, effectHeading, 'p', 'q (corrected)']) hr.appendChild(el('th', null, h));
      const body = t.createTBody();
      for (const v of rows) {
        const r = body.insertRow();
        for (const text of [v.phrase, effect(v), v.p, v.q]) r.insertCell().textContent = text;
      }
      panel.append(t);
    };
    if (c.enrichment.length)
      tests('over-represented among the members', 'log odds / z', c.enrichment, v => v.logOdds !== null ? 'log odds ' + v.logOdds.toFixed(2) : 'z ' + v.z.toFixed(2));
    else if (labelColumn >= 0 || metaColumns.length)
      panel.append(el('p', 'note', 'No label or metadata value is over-represented among the members (Benjamini–Hochberg q ≤ 0.05).'));
    if (c.words && c.words.length)
      tests('words the members\' texts contain more often than the rest', 'log odds', c.words, w => 'log odds ' + w.logOdds.toFixed(2));
    else if (c.words)
      panel.append(el('p', 'note', 'No word is in more of the members\' texts than of the rest beyond chance (Benjamini–Hochberg q ≤ 0.05).'));
    if (c.looks && c.looks.length)
      tests('how the members\' images look against the rest', 'log odds / z', c.looks, v => v.logOdds !== null ? 'log odds ' + v.logOdds.toFixed(2) : 'z ' + v.z.toFixed(2));
    else if (c.looks)
      panel.append(el('p', 'note', 'No measured look (brightness, contrast, colour, detail, …) sets the members\' images apart from the rest (Benjamini–Hochberg q ≤ 0.05 over the method\'s concepts).'));
    if (c.closest.length) {
      const p = el('p', 'closestall', 'Closest concept in each other method: ');
      c.closest.forEach((x, k) => {
        if (k) p.append('; ');
        if (x.key) { const a = el('a', null, x.name); a.href = '#card-' + x.key; p.append(a); } else p.append(x.name);
        p.append(' (Jaccard ' + x.jaccard.toFixed(2) + ', ' + x.shared.toLocaleString('en') + ' shared)');
      });
      panel.append(p);
    }
    if (S.thumbsComplete === false)
      panel.append(el('p', 'note', 'The report holds thumbnails of each concept\'s best members only (the page keeps to a size budget); the others are listed by row, id or image file, and label.'));
    panel.append(pager(panel, key), el('ol', 'memberlist'), pager(panel, key));
    const list = panel.querySelector('ol.memberlist');
    list.addEventListener('mouseover', e => {
      if (!hovered()) return;
      const li = e.target.closest('li.member'); if (!li) return;
      const row = +li.dataset.row, label = labelOf(row);
      highlight([row], nameOf(row) + (label !== null ? ' · ' + label : '') + ' (member of ' + c.title + ')');
    });
    list.addEventListener('mouseleave', restore);
    panel.hidden = false;
    renderPage(panel, key, 0);
    highlight(c.members, cardCaption(c));
    if (page.holdHover) page.holdHover();
    panel.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  }

  // Opening the list also selects the card (the card's own click, which runs first, does that); a card that is
  // already selected stays selected, so its button keeps the click to itself.
  document.querySelectorAll('button.open-members').forEach(button => button.addEventListener('click', e => {
    const card = button.closest('.card');
    if (card.classList.contains('selected')) { e.stopPropagation(); open(card); noteSelection('card'); }
  }));
  document.querySelectorAll('.card').forEach(card => card.addEventListener('click', e => {
    unchooseRows(); // the card is what the maps show now
    if (e.target.closest('button.open-members')) open(card);
    noteSelection('card');
  }));
  // A link to the closest concept only moves the page; it does not change which card is selected.
  document.querySelectorAll('.card .closest a').forEach(a => a.addEventListener('click', e => e.stopPropagation()));

  // ---- downloads of every concept, and of the current selection ----
  let lastSource = null;
  const selectionLabel = document.getElementById('export-selection');
  function currentSelection() {
    const mapSel = window.rdSelection || [];
    const card = document.querySelector('.card.selected');
    if ((lastSource === 'map' || !card) && mapSel.length) return { kind: 'map', indices: mapSel };
    if (card && data.concepts[card.dataset.key]) return { kind: 'card', key: card.dataset.key };
    return null;
  }
  function noteSelection(source) {
    if (source) lastSource = source;
    const sel = currentSelection();
    document.querySelectorAll('button[data-export=selection]').forEach(b => { b.disabled = !sel; });
    if (selectionLabel) selectionLabel.textContent = !sel ? 'none (select a card, or drag on a map)'
      : sel.kind === 'card' ? cardCaption(data.concepts[sel.key])
      : sel.indices.length.toLocaleString('en') + (sel.indices.length === 1 ? ' sample' : ' samples') + ' selected on the map';
  }
  document.addEventListener('rd-selection', e => {
    const made = e.detail && e.detail.indices && e.detail.indices.length;
    if (made) unchooseRows(); // samples selected on a map replace a chosen row, as they replace a selected card (report.js)
    noteSelection(made ? 'map' : null);
  });
  document.querySelectorAll('button[data-export]').forEach(b => b.addEventListener('click', () => {
    const format = b.dataset.format;
    if (b.dataset.export === 'all') {
      download('members', data.header, Object.keys(data.concepts).flatMap(conceptRows), format);
      return;
    }
    const sel = currentSelection();
    if (!sel) return;
    if (sel.kind === 'card') download(conceptFile(sel.key), data.header, conceptRows(sel.key), format);
    else download('selection', selectionHeader(), selectionRows(sel.indices), format);
  }));
  noteSelection(null);

  // ---- the shown concepts that hold the samples selected on a map ----
  // A reader who clicks an odd point asks which groups it is in: the line under the maps' caption names each shown concept
  // that holds it by its card's title, in the page's order (method, then direction), as a button that selects that card
  // (report.js, as the card's own click; pressed while it is the selected card). A lasso or a search selecting several asks
  // which groups they fall in: the concepts holding the most of them, with their counts, most first (page order among
  // equals), at most mostShown of them. Either is counted in one pass over each card's members against a set of the
  // selection, so even every sample of a large map costs the members' total, never selection × members.
  const mostShown = 5;
  const heldIn = document.getElementById('map-concepts');
  function conceptsHoldingMost(indices) {
    const chosen = new Set(indices);
    const counts = Object.keys(data.concepts).map(key => {
      let count = 0;
      for (const row of data.concepts[key].members) if (chosen.has(row)) count++;
      return { key, count };
    }).filter(x => x.count > 0);
    return counts.sort((x, y) => y.count - x.count); // sort is stable: page order among equal counts
  }
  const conceptButton = key => {
    const c = data.concepts[key], button = el('button', null, c.title);
    button.type = 'button'; button.dataset.key = key;
    button.title = 'select this card: ' + cardCaption(c);
    button.addEventListener('click', () => { page.chooseCard(key); pressChosen(); });
    return button;
  };
  // The line for several selected samples: "15 selected samples: 3 shown concepts hold some of them, most first …", each
  // concept's button followed by ": 12 of 15 selected", then "and N more" past mostShown.
  function severalHeld(indices) {
    const n = indices.length, held = conceptsHoldingMost(indices), of = n.toLocaleString('en');
    const lead = el('p', 'lead', held.length === 0 ? `None of the ${of} selected samples is in a shown concept.`
      : `${of} selected samples: ${held.length === 1 ? '1 shown concept holds' : held.length.toLocaleString('en') + ' shown concepts hold'} some of them, most first (a button selects its card):`);
    if (!held.length) return [lead];
    const list = el('ul');
    for (const { key, count } of held.slice(0, mostShown)) {
      const item = el('li');
      item.append(conceptButton(key), `: ${count.toLocaleString('en')} of ${of} selected`);
      list.append(item);
    }
    if (held.length > mostShown) list.append(el('li', 'more', `and ${(held.length - mostShown).toLocaleString('en')} more`));
    return [lead, list];
  }
  const pressChosen = () => {
    const card = document.querySelector('.card.selected');
    heldIn.querySelectorAll('button').forEach(b => b.setAttribute('aria-pressed', String(!!card && b.dataset.key === card.dataset.key)));
  };
  const hint = () => { heldIn.classList.remove('held'); heldIn.replaceChildren(el('p', 'lead', 'Select one point on a map, or several, to see which shown concepts hold them.')); };
  if (heldIn) {
    hint();
    document.addEventListener('rd-selection', e => {
      const indices = e.detail && e.detail.indices;
      if (!indices || !indices.length) { hint(); return; }
      if (indices.length > 1) heldIn.replaceChildren(...severalHeld(indices));
      else {
        const row = indices[0], keys = conceptsHoldingMost(indices).map(x => x.key), name = nameOf(row);
        const lead = el('p', 'lead');
        lead.append(page.bdi(idOf(row) !== null ? page.clip(name, 40) : page.clipStart(name, 40)),
          keys.length ? ` is in ${keys.length === 1 ? '1 shown concept' : keys.length + ' shown concepts'} (a button selects its card):` : ' is in none of the shown concepts.');
        const list = el('ul');
        for (const key of keys) { const item = el('li'); item.append(conceptButton(key)); list.append(item); }
        heldIn.replaceChildren(lead, ...(keys.length ? [list] : []));
      }
      heldIn.classList.add('held');
      pressChosen();
    });
    document.addEventListener('rd-highlight', pressChosen); // a card selected or let go anywhere on the page
  }

  // ---- consensus rows: the samples two concepts share ----
  document.querySelectorAll('tr.pair').forEach(tr => {
    const a = data.concepts[tr.dataset.a], b = data.concepts[tr.dataset.b];
    if (!a || !b) return;
    const inB = new Set(b.members);
    const shared = a.members.filter(i => inB.has(i));
    const caption = shared.length.toLocaleString('en') + ' samples in both ' + a.title + ' and ' + b.title;
    const lit = () => highlight(shared, caption);
    rowLit.set(tr, lit);
    tr.addEventListener('mouseenter', () => { if (hovered()) lit(); });
    tr.addEventListener('focus', lit);
    tr.addEventListener('mouseleave', () => { if (hovered()) restore(); });
    tr.addEventListener('blur', restore);
    const choose = () => {
      document.querySelectorAll('tr.pair.on').forEach(x => x.classList.remove('on'));
      tr.classList.add('on');
      lit();
    };
    tr.addEventListener('click', choose);
    // The row is focusable (tabindex): Enter or space selects it as a click does; its links keep their own Enter.
    tr.addEventListener('keydown', e => { if (e.target === tr && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); choose(); } });
  });
})();
