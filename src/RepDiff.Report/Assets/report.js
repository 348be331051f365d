(function () {
  // The page data is parsed here once and every page script reads it from window.rdData; the samples' base64 arrays
  // (SampleData.cs) are decoded here too: rows, and per column a code per row (-1 where missing) and, for numeric
  // columns, each value's number. rdData.samples.slot(sample) is a sample's place among the rows (undefined if none).
  const data = window.rdData = JSON.parse(document.getElementById('rd-data').textContent);
  function bytes(b64) {
    if (!b64) return new Uint8Array(0);
    const s = atob(b64), u = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
    return u;
  }
  data.bytes = bytes;
  // A value cut to n characters for a line of the page (a label or text may be 10,000 characters); the whole value goes in a title.
  // Cut between graphemes, as HtmlReport.Head cuts (TextCut): an emoji's first half alone showed as U+FFFD, and "👍🏽" cut after
  // its first pair left the skin tone's swatch alone. A grapheme alone longer than the cut falls back to a code point boundary.
  const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
  const boundaryBefore = (s, at) => {
    let end = 0;
    for (const g of graphemes.segment(s)) { if (g.index + g.segment.length > at) break; end = g.index + g.segment.length; }
    return end > 0 ? end : /[\uD800-\uDBFF]/.test(s[at - 1]) ? at - 1 : at;
  };
  const boundaryAfter = (s, at) => {
    for (const g of graphemes.segment(s)) if (g.index >= at) return g.index;
    return /[\uDC00-\uDFFF]/.test(s[at]) ? at + 1 : at;
  };
  data.clip = (s, n = 200) => s.length <= n ? s : s.slice(0, boundaryBefore(s, n - 1)) + '…';
  // The same from the end, for a file path whose own name is at its end (HtmlReport.Tail).
  data.clipStart = (s, n) => s.length <= n ? s : '…' + s.slice(boundaryAfter(s, s.length - (n - 1)));
  // A text on one line, as the page shows it: its line breaks as spaces (as .NET's ReplaceLineEndings); the data keeps them for the downloads.
  data.oneLine = s => s.replace(/\r\n|[\n\r\f\u0085\u2028\u2029]/g, ' ');
  // A user's string (an id, a label, a column's name or value) in a line a script writes: in its own bdi, and between
  // isolate marks in a title, where no element goes, as the C# side writes them (HtmlReport.Bdi, EIsolated). A right-to-left
  // label had carried the separator, the number or the next string beside it into its own order.
  data.bdi = text => { const b = document.createElement('bdi'); b.textContent = text; return b; };
  data.isolated = text => '\u2068' + text + '\u2069';
  // A sample's id, image file or label with a line break allowed after each character the cards' lists break it after
  // (samples.breakAfter, Charts.SampleBreaks), and nowhere else inside a word: broken at any letter, the member list had
  // read "imagenet/n0144|0764/…". Its style ends a word wider than its column in "…".
  data.breakable = text => {
    const parts = document.createDocumentFragment(), after = data.samples.breakAfter;
    let from = 0;
    for (let i = 0; i < text.length; i++)
      if (after.includes(text[i])) { parts.append(text.slice(from, i + 1), document.createElement('wbr')); from = i + 1; }
    parts.append(text.slice(from));
    return parts;
  };
  // A number written as the C# side writes the same kind of quantity, so the member list and the maps read as the cards do
  // (each page script had its own toPrecision rule, which dropped the zeros a card keeps: "0.2" in the legend, "0.200" on
  // the card). 'strength': a card's strength and a member's score (HtmlReport.StrengthFigure: three significant digits below
  // 1, four from 1 up, trailing zeros kept, an exponent below 1e-4 and from 1e4); 'measure': an image's look
  // (ImageLooks.Number: three significant digits, trailing zeros kept, no exponent); 'value': a metadata number
  // (EnrichedValue.Number, .NET's "G4": trailing zeros dropped).
  data.figure = (x, kind) => {
    if (x === 0 || !Number.isFinite(x)) return String(x);
    const order = Math.floor(Math.log10(Math.abs(x)));
    if (kind === 'measure') return x.toFixed(Math.min(15, Math.max(0, 2 - order)));
    if (kind === 'value') return general(x, 4);
    const digits = Math.abs(x) < 1 ? 3 : 4;
    return Math.abs(x) < 1e-4 || Math.abs(x) >= 1e4 ? general(x, digits) : x.toFixed(Math.max(0, digits - 1 - order));
  };
  // .NET's "G<digits>": trailing zeros dropped, and an exponent of at least two digits ("1.235E+04", "9.27E-05") where the
  // rounded number's own exponent is below -4 or not below the digits.
  function general(x, digits) {
    const [mantissa, power] = x.toExponential(digits - 1).split('e'), e = +power;
    const trim = s => s.includes('.') ? s.replace(/\.?0+$/, '') : s;
    if (e < -4 || e >= digits) return trim(mantissa) + 'E' + (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
    return trim(Number(mantissa + 'e' + power).toFixed(digits - 1 - e));
  }
  // "1 member", "1,234 members", as the cards count them (CardParts.MemberCount); a card's caption on the maps says it so.
  data.members = n => n.toLocaleString('en') + (n === 1 ? ' member' : ' members');
  data.cardCaption = c => c.title + ' (' + data.members(c.members.length) + ')';
  const S = data.samples;
  S.rows = S.rows ? new Int32Array(bytes(S.rows).buffer) : null;
  let slots = null;
  if (S.rows) { slots = new Map(); S.rows.forEach((r, k) => slots.set(r, k)); }
  S.slot = i => slots ? slots.get(i) : (Number.isInteger(i) && i >= 0 && i < S.n ? i : undefined);
  // Image files' names, written with their shared beginning and end once (SampleData.FileNames): whole again, one per row.
  if (S.files) { const f = S.files; S.files = f.names.map(name => f.prefix + name + f.suffix); }
  // What the page calls the sample in row slot k: its id, else its image file, else its number ("#220"); and the file
  // where it differs from that name, so a sample with an id is still found by its picture (null otherwise).
  const given = v => v !== null && v !== undefined;
  S.nameAt = (k, row) => {
    const id = S.ids ? S.ids[k] : null, file = S.files ? S.files[k] : null;
    return given(id) ? id : given(file) ? file : '#' + row;
  };
  S.otherFileAt = k => {
    const id = S.ids ? S.ids[k] : null, file = S.files ? S.files[k] : null;
    return given(id) && given(file) && id !== file ? file : null;
  };
  for (const c of S.columns) {
    const raw = bytes(c.codes), codes = new Int32Array(S.n);
    if (c.bytes === 4) codes.set(new Int32Array(raw.buffer));
    else {
      const wide = c.bytes === 2 ? new Uint16Array(raw.buffer) : raw, missing = c.bytes === 2 ? 65535 : 255;
      for (let k = 0; k < S.n; k++) codes[k] = wide[k] === missing ? -1 : wide[k];
    }
    c.codes = codes;
    if (c.numbers !== undefined) c.numbers = new Float32Array(bytes(c.numbers).buffer);
  }

  // The sticky methods bar's height, for report.css's scroll margins (--nav): a link's target lands below it however many
  // lines the bar wraps to.
  const nav = document.querySelector('nav.methods');
  if (nav) {
    const fit = () => document.documentElement.style.setProperty('--nav', nav.offsetHeight + 'px');
    fit();
    window.addEventListener('resize', fit);
  }

  // A box that scrolls is a Tab stop while it scrolls, named, so the arrow keys can reach what it hides; a keyboard alone
  // could not scroll it. Tables too wide for their box (the BSR table, the methods' overlap) are named by their section's
  // heading; a card's list of samples taller than its nine lines (five-digit ids with labels) by its card.
  const tableName = box => {
    const before = box.previousElementSibling, heading = before && before.tagName === 'H3' ? before : box.closest('section').querySelector('h2');
    return (heading ? heading.textContent : 'table') + ' (scrolls sideways)';
  };
  const idsName = box => 'samples shown of ' + box.closest('.card').getAttribute('aria-label') + ' (scrolls)';
  const scrollers = [
    ...Array.from(document.querySelectorAll('section.bsr, .consensus .tablewrap'), box => ({ box, name: tableName, scrolls: () => box.scrollWidth > box.clientWidth + 1 })),
    ...Array.from(document.querySelectorAll('.card .ids'), box => ({ box, name: idsName, scrolls: () => box.scrollHeight > box.clientHeight + 1 })),
  ];
  function scrollable() {
    for (const { box, name, scrolls } of scrollers) {
      if (scrolls()) {
        if (box.tabIndex === 0) continue;
        box.tabIndex = 0;
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', name(box));
      } else if (box.hasAttribute('tabindex')) {
        box.removeAttribute('tabindex');
        box.removeAttribute('role');
        box.removeAttribute('aria-label');
      }
    }
  }
  scrollable();
  window.addEventListener('resize', scrollable);

  // Cards tell the maps what to highlight through a document event (rd-highlight); the maps (maps.js) listen.
  let selected = null;
  const live = document.getElementById('map-live');
  const unmarkSelected = () => document.querySelectorAll('.card.selected').forEach(c => { c.classList.remove('selected'); c.removeAttribute('aria-current'); });
  function show(key) {
    const c = key ? data.cards.concepts[key] : null;
    document.dispatchEvent(new CustomEvent('rd-highlight', {
      detail: { indices: c ? c.members : null, caption: c ? data.cardCaption(c) : '' }
    }));
  }
  // Below 1,000 px wide the maps come after every card (report.css), 20,000 to 60,000 px down: selecting a card lit maps
  // nobody could see. There the maps dock at the window's foot while the reader wants them: selecting a card docks them
  // (unless the reader hid them), a "maps" button docks them and "hide the maps" puts them back after the cards. The dock
  // takes under half the window; "enlarge" beside "hide the maps" raises it to most of the window's height and back
  // (html.dock-tall, report.css), and the dock keeps that height, hidden and shown again, while the page is open.
  const aside = document.querySelector('aside.maps'), panel = aside && aside.querySelector('.sticky');
  const narrow = window.matchMedia('screen and (max-width:1000px)');
  let dockWanted = null; // the reader's last word: true shown, false hidden, null none yet
  const dockButton = (cls, text, title) => {
    const b = document.createElement('button');
    b.type = 'button'; b.className = cls; b.textContent = text; b.title = title;
    return b;
  };
  const opener = dockButton('dock-open', '▴ maps', 'show both maps at the foot of the window');
  const closer = dockButton('dock-close', 'hide the maps ▾', 'put the maps back after the cards');
  const enlarger = dockButton('dock-grow', 'enlarge', 'make the docked maps most of the window\'s height, or give the cards their room back');
  function dock(on) {
    document.documentElement.classList.toggle('docked', on);
    opener.setAttribute('aria-expanded', String(on));
  }
  // A selected card stays in view above the dock (report.css pads the page's scrolling by the dock's height).
  function dockFor(card) {
    if (!panel || !narrow.matches || dockWanted === false) return;
    dock(true);
    hoverHeld = true;
    fitDock();
    showAboveDock(card);
  }
  // With the dock enlarged (85% of the window) a selected card had 51 px above it in a 600-px window: its first line. While a
  // card is selected the enlarged dock gives up what the card needs (report.css: html.dock-fit, --room, the window's height
  // left under the card), down to the dock's usual height; it is 85% again when no card is. "enlarge" stays pressed. At its
  // usual height (44%) the dock had left a 575-px card at 960×600 its top half: it gives up what the card's top needs, down to
  // its least height (--dock-least), and takes it back when no card is selected. A card taller than the room then left above the
  // dock (575 px against 600 − 39 − 180 − 20) had its foot under the dock, reached only by scrolling its top away under the bar:
  // it is held to that room and scrolls in its own box (report.css: .card.held-in).
  function fitDock() {
    const root = document.documentElement, card = document.querySelector('.card.selected');
    document.querySelectorAll('.card.held-in').forEach(c => { c.classList.remove('held-in'); c.style.removeProperty('--card-room'); c.style.removeProperty('--card-head'); });
    const fit = !!card && !!panel && narrow.matches && root.classList.contains('docked');
    root.classList.toggle('dock-fit', fit);
    if (!fit) return;
    root.style.setProperty('--room', (innerHeight - navBottom() - heightNeeded(card, root.classList.contains('dock-tall')) - 20) + 'px');
    const { top, bottom } = roomAboveDock(), room = bottom - top;
    if (card.getBoundingClientRect().height > room) {
      card.style.setProperty('--card-room', room + 'px');
      card.classList.add('held-in');
      card.style.setProperty('--card-head', card.querySelector('.card-head').getBoundingClientRect().height + 'px');
    }
  }
  // The card whole where it fits above the dock at its least height (the enlarged dock's least is its usual height, which
  // report.css keeps), else its top down to the samples shown and the note under them: what makes it readable.
  function heightNeeded(card, tall) {
    const whole = card.getBoundingClientRect();
    if (tall || whole.height <= innerHeight - navBottom() - 20 - (parseFloat(getComputedStyle(panel).minHeight) || 0)) return whole.height;
    const shown = card.querySelector('.gridnote') || card.querySelector('.grid, .texts, .ids') || card.querySelector('header');
    return shown.getBoundingClientRect().bottom - whole.top + 8;
  }
  // The methods bar's bottom once the page has scrolled to a card below it (sticky at the window's top): at the page's top the
  // bar sits lower, and a card chosen from the dock was scrolled to 2,400 px under the window by that bar's place there.
  const navBottom = () => nav ? Math.max(0, Math.min(nav.getBoundingClientRect().bottom, nav.offsetHeight)) : 0;
  // Where a selected card is shown while the maps are docked: 10 px under the methods bar down to 10 px above the dock.
  const roomAboveDock = () => ({ top: navBottom() + 10, bottom: panel.getBoundingClientRect().top - 10 });
  // The card whole between the methods bar and the dock where that room holds it, else its top just under the bar: at any
  // dock height. scrollIntoView('nearest') had lined a card taller than the room up by its bottom, so with the dock enlarged
  // (85% of the window) its title and strength were under the bar, 250 to 480 px above the window's top.
  function showAboveDock(card) {
    const r = card.getBoundingClientRect(), { top, bottom } = roomAboveDock();
    const by = r.top < top || r.height > bottom - top ? r.top - top : r.bottom > bottom ? r.bottom - bottom : 0;
    if (by) window.scrollBy(0, by);
  }
  if (panel) {
    opener.setAttribute('aria-controls', 'maps');
    opener.setAttribute('aria-expanded', 'false');
    opener.setAttribute('aria-label', 'show the maps');
    // Next to the skip links (a page with maps has them, HtmlReport.SkipLinks): before the aside, the keyboard reached it
    // only after every card. Fixed at the window's edge, its place in the page moves nothing (report.css).
    document.querySelector('nav.skip').after(opener);
    const tools = document.createElement('div');
    tools.className = 'dock-tools';
    tools.append(enlarger, closer);
    panel.prepend(tools);
    enlarger.setAttribute('aria-controls', 'maps');
    enlarger.setAttribute('aria-pressed', 'false');
    // The selected card stays above the dock as it grows.
    enlarger.addEventListener('click', () => {
      enlarger.setAttribute('aria-pressed', String(document.documentElement.classList.toggle('dock-tall')));
      fitDock();
      const card = document.querySelector('.card.selected');
      if (card) showAboveDock(card);
    });
    opener.addEventListener('click', () => { dockWanted = true; dock(true); fitDock(); closer.focus(); });
    closer.addEventListener('click', () => { dockWanted = false; dock(false); opener.focus(); });
    window.addEventListener('resize', fitDock);
  }

  // After the page moves under a still pointer (a link followed, a member list opened), the browser reports what scrolled
  // under it as hovered: the maps lit a card nobody pointed at instead of the link's target. Hovering lights nothing more
  // until the pointer itself moves (the browser's own pointer events after a scroll keep its place). pointermove, as it comes
  // before the mouseenter of the same move.
  let pointer = null, hoverHeld = false;
  document.addEventListener('pointermove', e => {
    if (pointer && e.clientX === pointer[0] && e.clientY === pointer[1]) return;
    pointer = [e.clientX, e.clientY];
    if (!hoverHeld) return;
    hoverHeld = false;
    // The card it now moves on was entered while held: it lights now.
    const card = e.target.closest && e.target.closest('.card');
    if (card) show(card.dataset.key);
  }, true);
  data.holdHover = () => { hoverHeld = true; };
  data.hoverHeld = () => hoverHeld;
  // A link to a card (closest concept, consensus pair) moves the focus there (the browser focuses a link's target), which lights it (below).
  document.addEventListener('click', e => { if (e.target.closest('a[href^="#card-"]')) hoverHeld = true; }, true);
  // A card lights its members while it is hovered or has the focus, as a consensus row does; leaving it gives the maps back
  // what was chosen (cards.js: a chosen consensus row, else the selected card, else nothing). A click or Enter selects it.
  const leave = () => data.restoreMaps ? data.restoreMaps() : show(selected);
  document.querySelectorAll('.card').forEach(card => {
    const key = card.dataset.key;
    card.addEventListener('mouseenter', () => { if (!hoverHeld) show(key); });
    card.addEventListener('mouseleave', () => { if (!hoverHeld) leave(); });
    // A card reached by the keyboard and taller than the room was centred by the browser, its head (rank, strength, BSR) above
    // the window under the methods bar, even at 1366×768: its top is brought under the bar (report.css: the cards' scroll
    // margin). Not on a click, which would move the part the pointer is on.
    card.addEventListener('focus', () => {
      show(key);
      if (!card.matches(':focus-visible') || card.getBoundingClientRect().top >= navBottom()) return;
      hoverHeld = true;
      card.scrollIntoView({ block: 'start' });
    });
    card.addEventListener('blur', leave);
    const toggle = () => {
      unmarkSelected();
      selected = selected === key ? null : key;
      if (selected) { card.classList.add('selected'); card.setAttribute('aria-current', 'true'); dockFor(card); }
      else fitDock();
      show(selected);
      // Said aloud, as the maps say what their keys did: the border alone told a screen reader's user nothing.
      if (live) {
        const c = data.cards.concepts[key];
        live.textContent = selected ? `Selected ${c.title}: its ${data.members(c.members.length)} lit in both maps.` : `${c.title} no longer selected.`;
      }
    };
    card.addEventListener('click', toggle);
    // Only the card's own keys: Enter on its members button, a link or a summary inside it does what that control does
    // (its click then reaches the card as a mouse click would), instead of being swallowed here.
    card.addEventListener('keydown', e => { if (e.target === card && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggle(); } });
  });
  // A card chosen elsewhere on the page (cards.js: the concepts that hold a sample selected on a map) is selected or let go as
  // its own click does it, and brought into view: above the dock where the maps are docked (dockFor), else where it lies.
  data.chooseCard = key => {
    const card = document.getElementById('card-' + key);
    if (!card) return;
    card.click();
    if (selected !== key || (panel && narrow.matches && dockWanted !== false)) return;
    const r = card.getBoundingClientRect();
    if (r.top >= navBottom() && r.bottom <= innerHeight) return;
    hoverHeld = true;
    card.scrollIntoView({ block: 'start' }); // its title under the methods bar (report.css: the cards' scroll margin)
  };
  // Paper cannot unfold what the page folds away (parameters and timings, difference matrices, coefficients by label): a
  // printed report showed only their summaries. They are opened while the page prints and folded again afterwards.
  let unfolded = [];
  window.addEventListener('beforeprint', () => {
    unfolded = Array.from(document.querySelectorAll('details:not([open])'));
    unfolded.forEach(d => { d.open = true; });
  });
  window.addEventListener('afterprint', () => {
    unfolded.forEach(d => { d.open = false; });
    unfolded = [];
  });
  // Samples selected on a map replace the selected card (the maps have dropped its highlight), so the card, the maps and
  // the export bar's "current selection" speak of the same samples.
  document.addEventListener('rd-selection', e => {
    if (!(e.detail && e.detail.indices && e.detail.indices.length) || !selected) return;
    unmarkSelected();
    selected = null;
    fitDock();
  });
})();
