(function () {
  // The linked maps: PCA / UMAP of A and B on canvases, drawn from compact page data (MapData.cs).
  // They listen to `rd-highlight` {indices, caption} on document and dispatch `rd-selection` {indices} when the
  // user's selection changes, by lasso, click or keyboard (also kept in window.rdSelection); they know nothing else
  // about the cards.
  // The page data is parsed once (report.js): the maps' own part is the coordinates; what they show of each sample
  // (colouring columns, texts, thumbnails) is the page's samples, which hold every plotted sample.
  const data = window.rdData, S = data.samples;
  const M = data.maps;
  if (!M) return;
  const started = performance.now();

  const bytes = data.bytes, clip = data.clip, bdi = data.bdi;
  // Plotted point k is row rowOf(k) of the samples.
  const slots = M.slots ? new Int32Array(bytes(M.slots).buffer) : null;
  const n = slots ? slots.length : S.n;
  const rowOf = k => slots ? slots[k] : k;
  const sampleOf = k => S.rows ? S.rows[rowOf(k)] : rowOf(k);
  let pointOf = null;
  if (slots) { pointOf = new Int32Array(S.n).fill(-1); for (let k = 0; k < n; k++) pointOf[slots[k]] = k; }
  const slotOf = i => { const r = S.slot(i); return r === undefined || !pointOf ? r : pointOf[r] < 0 ? undefined : pointOf[r]; };
  const columns = S.columns;
  const COLOURED = M.palette.length - 1; // categories past these share the last colour, "other"
  const RAMP_BINS = 32;
  const RAMP = ['#440154', '#414487', '#2a788e', '#22a884', '#7ad151', '#fde725'];
  // The tooltip's label: the labels, else a metadata column named "label".
  const labelColumn = columns.find(c => c.labels) || columns.find(c => c.name === 'label');

  // One view per canvas; coordinates are Uint16 on one scale per map, placed on the canvas at layout time.
  const views = [];
  M.kinds.forEach(kindData => ['a', 'b'].forEach(side => {
    const canvas = document.querySelector(`canvas.map[data-kind="${kindData.kind}"][data-side="${side}"]`);
    const overlay = document.querySelector(`canvas.overlay[data-kind="${kindData.kind}"][data-side="${side}"]`);
    if (!canvas || !overlay) return;
    const qx = new Uint16Array(bytes(kindData[side].x).buffer), qy = new Uint16Array(bytes(kindData[side].y).buffer);
    let mx = 1, my = 1;
    for (let k = 0; k < n; k++) { if (qx[k] > mx) mx = qx[k]; if (qy[k] > my) my = qy[k]; }
    views.push({ kind: kindData.kind, side, canvas, overlay, qx, qy, mx, my, px: new Float32Array(n), py: new Float32Array(n), W: 0, H: 0, drawnLit: 0 });
  }));
  let kind = 'pca';
  const visible = () => views.filter(v => v.kind === kind);

  // Colouring: a colour index per point and the CSS colour of each index; the last index is "missing".
  let colouring = null;
  const select = document.getElementById('map-colour');
  function makeColouring(c) {
    const column = c >= 0 ? columns[c] : null;
    const index = new Uint8Array(n);
    let styles;
    if (!column) styles = ['#4e79a7', '#c8ced8'].map(hex);
    else if (column.type === 'categorical') {
      // A column may bring its own colours, one per value (the images' dominant colour, drawn in its hue).
      styles = (column.palette || M.palette).concat(['#c8ced8']).map(hex);
      const missing = styles.length - 1, last = column.palette ? missing - 1 : COLOURED;
      for (let k = 0; k < n; k++) { const code = column.codes[rowOf(k)]; index[k] = code < 0 ? missing : Math.min(code, last); }
    } else {
      styles = [];
      for (let b = 0; b < RAMP_BINS; b++) styles.push(ramp(b / (RAMP_BINS - 1)));
      styles.push(hex('#c8ced8'));
      const span = column.max - column.min || 1;
      for (let k = 0; k < n; k++) {
        const v = numberAt(column, k);
        index[k] = Number.isFinite(v) ? Math.min(RAMP_BINS - 1, Math.max(0, Math.floor((v - column.min) / span * RAMP_BINS))) : RAMP_BINS;
      }
    }
    // Points grouped by colour (a counting sort), so each colour is set once per draw; missing values drawn first.
    const groups = styles.length, count = new Int32Array(groups + 1);
    for (let k = 0; k < n; k++) count[index[k] + 1]++;
    const drawOrder = [groups - 1].concat(Array.from({ length: groups - 1 }, (_, g) => g));
    const start = new Int32Array(groups);
    let at = 0;
    for (const g of drawOrder) { start[g] = at; at += count[g + 1]; }
    const order = new Int32Array(n), fill = start.slice();
    for (let k = 0; k < n; k++) order[fill[index[k]]++] = k;
    return { column, index, styles, rims: styles.map(rimOf), order, start, drawOrder, count };
  }
  function ramp(t) {
    const x = t * (RAMP.length - 1), i = Math.min(RAMP.length - 2, Math.floor(x)), f = x - i;
    const a = hex(RAMP[i]), b = hex(RAMP[i + 1]);
    return a.map((v, j) => Math.round(v + (b[j] - v) * f));
  }
  function hex(h) { return [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16)); }
  const rgbText = c => `rgb(${c.join(', ')})`;

  // Every point has a rim in a darker shade of its own colour, opaque and at least 3:1 against the map's background (WCAG
  // 1.4.11): yellow, light green, pink and grey points had drawn at 1.3-1.9:1 (review 167, F7). A shade of the point's own
  // colour, not a darker palette: darkened entries came close to their darker neighbours (#76b7b2 to #008080, #bab0ac to
  // #6b6b6b), and the fill, which tells the labels apart, stays as the legend shows it.
  const BACKGROUND_HEX = '#fbfcfe', BACKGROUND = hex(BACKGROUND_HEX), RIM_CONTRAST = 3.1;
  const luminance = c => c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (a, b) => { const x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  // The colour scaled towards black, keeping its hue, in steps of 2% until it stands out; a colour that already does is its own rim.
  // The label bars' rims follow the same rule in C# (Palette.Rim, which also lightens on a dark track): the page needs this one
  // for colours made here (the ramp's, the images' dominant hues), and PaletteRimBrowserTests checks the two give the same rim.
  function rimOf(rgb) {
    for (let step = 0; step <= 50; step++) {
      const t = 1 - step / 50, c = rgb.map(v => Math.round(v * t));
      if (contrast(c, BACKGROUND) >= RIM_CONTRAST) return c;
    }
    return [0, 0, 0];
  }
  // A legend swatch as the map draws its points: the fill inside a rim of the same shade.
  function paintSwatch(swatch, colour) {
    swatch.style.background = colour;
    swatch.style.border = '1px solid ' + rgbText(rimOf(hex(colour)));
  }

  // The legend. A category's entry is a button that outlines its samples in both maps, as the search outlines matches, so
  // a colour need not be told from its neighbours: under red-green colour blindness the palette's red and green (the 4th and
  // 5th labels) look alike, and a colour had been the only way to tell which points held a label.
  function legend() {
    const box = document.getElementById('map-legend');
    if (!box) return;
    box.replaceChildren();
    const column = colouring.column;
    if (!column) return;
    const item = (colour, text, group) => {
      const span = document.createElement('span'), key = document.createElement('button'), swatch = document.createElement('i');
      key.type = 'button'; key.className = 'key'; key.dataset.group = group; key.setAttribute('aria-pressed', 'false');
      span.title = data.isolated(text) + ': outline these samples on both maps';
      paintSwatch(swatch, colour); key.append(swatch, bdi(text)); span.appendChild(key); box.appendChild(span);
      key.addEventListener('click', () => outlineGroup(key, text));
    };
    if (column.type === 'categorical') {
      if (column.palette) column.names.forEach((name, c) => item(column.palette[c], name, c));
      else {
        column.names.slice(0, COLOURED).forEach((name, c) => item(M.palette[c], name, c));
        const others = column.distinct - COLOURED;
        if (others > 0) item(M.palette[COLOURED], `other (${others} more values)`, COLOURED);
      }
      if (colouring.count[colouring.styles.length] > 0) item('#c8ced8', 'missing', colouring.styles.length - 1);
      return;
    } else {
      const bar = document.createElement('span'); bar.className = 'ramp';
      const lo = document.createElement('span'), hi = document.createElement('span'), g = document.createElement('i');
      lo.textContent = fmt(column, column.min); hi.textContent = fmt(column, column.max);
      g.style.background = `linear-gradient(90deg,${RAMP.join(',')})`;
      bar.append(lo, g, hi); box.appendChild(bar);
    }
    if (colouring.count[colouring.styles.length] > 0) {
      const span = document.createElement('span'), swatch = document.createElement('i');
      paintSwatch(swatch, '#c8ced8'); span.append(swatch, 'missing'); box.appendChild(span);
    }
  }
  // A legend entry pressed: its samples (one colour of the colouring) outlined on both maps and counted beside the search
  // field, which it empties; pressed again, or another search, takes the outlines away.
  function outlineGroup(key, name) {
    const pressed = key.getAttribute('aria-pressed') === 'true';
    document.querySelectorAll('#map-legend .key').forEach(b => b.setAttribute('aria-pressed', 'false'));
    if (field) field.value = '';
    hideSearchTip();
    if (pressed) { found = null; if (matchCount) matchCount.textContent = ''; }
    else {
      const group = +key.dataset.group, list = [];
      for (let k = 0; k < n; k++) if (colouring.index[k] === group) list.push(k);
      found = { list, query: name };
      key.setAttribute('aria-pressed', 'true');
      if (matchCount) matchCount.replaceChildren(...(name === 'missing' ? [`${samplesText(list.length)} with no value outlined`]
        : [`${samplesText(list.length)} coloured as `, bdi(name), ' outlined']));
    }
    visible().forEach(v => { drawMarks(v); drawOverlay(v); });
  }
  // A number of a column as the cards write it (report.js): an image's look as its phrase does ("detail 0.0535", "0.200"),
  // a metadata number as its mean does ("year: mean 1994").
  const fmt = (column, v) => data.figure(v, column.look ? 'measure' : 'value');

  // Canvas geometry and a uniform grid over the points for hover and lasso.
  function layout(v) {
    const r = v.canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    const W = Math.round(r.width * dpr), H = Math.round(r.height * dpr);
    if (W < 2 || H < 2) return false;
    if (W === v.W && H === v.H) return true;
    v.W = W; v.H = H; v.dpr = dpr;
    v.canvas.width = v.overlay.width = W; v.canvas.height = v.overlay.height = H;
    const pad = 8 * dpr, scale = Math.min((W - 2 * pad) / v.mx, (H - 2 * pad) / v.my);
    const ox = (W - scale * v.mx) / 2, oy = (H - scale * v.my) / 2;
    for (let k = 0; k < n; k++) { v.px[k] = ox + scale * v.qx[k]; v.py[k] = H - (oy + scale * v.qy[k]); }
    const cell = v.cell = 12 * dpr, gw = v.gw = Math.ceil(W / cell) + 1, gh = v.gh = Math.ceil(H / cell) + 1;
    const cellOf = new Int32Array(n), start = new Int32Array(gw * gh + 1);
    for (let k = 0; k < n; k++) { const c = Math.floor(v.px[k] / cell) + gw * Math.floor(v.py[k] / cell); cellOf[k] = c; start[c + 1]++; }
    for (let c = 0; c < gw * gh; c++) start[c + 1] += start[c];
    const items = new Int32Array(n), fill = start.slice(0, gw * gh);
    for (let k = 0; k < n; k++) items[fill[cellOf[k]]++] = k;
    v.gridStart = start; v.gridItems = items;
    return true;
  }
  function cellsIn(v, x0, y0, x1, y1, visit) {
    const c0 = Math.max(0, Math.floor(x0 / v.cell)), c1 = Math.min(v.gw - 1, Math.floor(x1 / v.cell));
    const r0 = Math.max(0, Math.floor(y0 / v.cell)), r1 = Math.min(v.gh - 1, Math.floor(y1 / v.cell));
    for (let r = r0; r <= r1; r++)
      for (let c = c0; c <= c1; c++) {
        const cell = c + v.gw * r;
        for (let e = v.gridStart[cell]; e < v.gridStart[cell + 1]; e++) visit(v.gridItems[e]);
      }
  }
  function nearest(v, x, y, radius) {
    let best = -1, bestD = radius * radius;
    cellsIn(v, x - radius, y - radius, x + radius, y + radius, k => {
      const dx = v.px[k] - x, dy = v.py[k] - y, d = dx * dx + dy * dy;
      if (d <= bestD) { bestD = d; best = k; }
    });
    return best;
  }

  // What is lit: a card's highlight while there is one, else the user's selection (a new selection ends the highlight).
  let highlight = null, highlightCaption = '', selection = null;
  // The search field's matches ({list, query}, plot indices), outlined apart from what is lit: typing never changes the selection.
  let found = null;
  const litOf = () => highlight || selection;

  // Points are written straight into the canvas's pixels (alpha-blended squares, corners cut when large): a
  // fillRect per point costs microseconds in a software canvas, a pixel write nanoseconds, and 100,000 points must stay interactive.
  function square(d, W, H, cx, cy, size, rgb, a) {
    const x0 = Math.max(0, Math.round(cx - size / 2)), y0 = Math.max(0, Math.round(cy - size / 2));
    const x1 = Math.min(W, x0 + size), y1 = Math.min(H, y0 + size), round = size >= 4;
    const [r, g, b] = rgb;
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        if (round && (x === x0 || x === x1 - 1) && (y === y0 || y === y1 - 1)) continue;
        const i = (y * W + x) * 4;
        d[i] += (r - d[i]) * a; d[i + 1] += (g - d[i + 1]) * a; d[i + 2] += (b - d[i + 2]) * a;
      }
  }
  const OUTLINE = hex('#111111');
  // Sides in pixels of a point (its rim inside, and at least a pixel of fill within it), of a lit point and of a lit point
  // with its dark outline.
  function pointSizes(dpr) {
    const rim = Math.max(1, Math.round(dpr / 2));
    const size = Math.max(2 * rim + 1, Math.round((n > 20000 ? 1.6 : n > 3000 ? 2.4 : 5) * dpr));
    const big = Math.max(size + Math.round(dpr), Math.round(4 * dpr)), ring = Math.max(1, Math.round(dpr));
    return { size, rim, big, ring, lit: big + 2 * ring };
  }
  function draw(v) {
    const began = performance.now();
    if (!layout(v)) return;
    const ctx = v.canvas.getContext('2d'), dpr = v.dpr, W = v.W, H = v.H;
    if (!v.image || v.image.width !== W || v.image.height !== H) v.image = ctx.createImageData(W, H);
    const d = v.image.data;
    for (let i = 0; i < d.length; i += 4) { d[i] = BACKGROUND[0]; d[i + 1] = BACKGROUND[1]; d[i + 2] = BACKGROUND[2]; d[i + 3] = 255; }
    const lit = litOf();
    const { size, rim, big, ring } = pointSizes(dpr);
    const alpha = lit ? 0.15 : n > 20000 ? 0.6 : 0.8;
    const { order, start, styles, rims, count, drawOrder, index } = colouring;
    // Every rim first, opaque (faded with the rest while something is lit), then every fill over them: a crowd shows its
    // points' colours inside, blended, and their rims round its edge.
    const each = paint => { for (const g of drawOrder) for (let e = start[g], end = start[g] + count[g + 1]; e < end; e++) paint(order[e], g); };
    each((k, g) => square(d, W, H, v.px[k], v.py[k], size, rims[g], lit ? alpha : 1));
    each((k, g) => square(d, W, H, v.px[k], v.py[k], size - 2 * rim, styles[g], alpha));
    v.drawnLit = 0;
    if (lit) {
      for (const k of lit.list) square(d, W, H, v.px[k], v.py[k], big + 2 * ring, OUTLINE, 1);
      for (const k of lit.list) square(d, W, H, v.px[k], v.py[k], big, styles[index[k]], 1);
      v.drawnLit = lit.list.length;
    }
    ctx.putImageData(v.image, 0, 0);
    drawMarks(v);
    drawOverlay(v);
    v.drawMs = performance.now() - began;
  }
  function drawAll() { visible().forEach(draw); }

  // The search's matches, outlined: the outline of the area within a few pixels of any match, a magenta band on a thin
  // white edge, hollow so the points' own colours show (unlike the lit points' dark rim). A lone match gets a square
  // frame; a crowd of them one outline round the crowd rather than a tangle of frames. Made from a mask of the matches'
  // pixels grown by sliding windows, so it costs the pixels of the box round the matches whatever their number; written
  // into an offscreen canvas when the matches or the layout change and copied onto the overlay at each of its redraws.
  const MARK = hex('#d0107a'), WHITE = [255, 255, 255];
  // The pixels within r of a set pixel in x and in y (a square of side 2r + 1 about each).
  function grow(mask, W, H, r) {
    const across = new Uint8Array(W * H), out = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) slide(mask, across, y * W, 1, W, r);
    for (let x = 0; x < W; x++) slide(across, out, x, W, H, r);
    return out;
  }
  function slide(src, dst, o, stride, len, r) {
    let c = 0;
    for (let j = 0; j < r && j < len; j++) c += src[o + j * stride];
    for (let j = 0; j < len; j++) {
      if (j + r < len) c += src[o + (j + r) * stride];
      dst[o + j * stride] = c > 0 ? 1 : 0;
      if (j >= r) c -= src[o + (j - r) * stride];
    }
  }
  function drawMarks(v) {
    v.drawnFound = 0;
    if (!found || !found.list.length || !v.W) { v.marks = null; return; }
    const W = v.W, H = v.H;
    if (!v.marks || v.marks.width !== W || v.marks.height !== H) {
      v.marks = document.createElement('canvas'); v.marks.width = W; v.marks.height = H;
      v.markImage = v.marks.getContext('2d').createImageData(W, H);
    }
    // The hole holds a lit point whole; then the band, then the edge. Only the box round the matches is worked on.
    const hole = Math.ceil(pointSizes(v.dpr).lit / 2), band = hole + Math.max(2, Math.round(2 * v.dpr)), edge = band + Math.max(1, Math.round(v.dpr));
    let bx0 = W, by0 = H, bx1 = -1, by1 = -1;
    for (const k of found.list) {
      const x = Math.round(v.px[k]), y = Math.round(v.py[k]);
      if (x < bx0) bx0 = x; if (x > bx1) bx1 = x; if (y < by0) by0 = y; if (y > by1) by1 = y;
    }
    bx0 = Math.max(0, bx0 - edge); by0 = Math.max(0, by0 - edge); bx1 = Math.min(W - 1, bx1 + edge); by1 = Math.min(H - 1, by1 + edge);
    const d = v.markImage.data;
    d.fill(0);
    const bw = bx1 - bx0 + 1, bh = by1 - by0 + 1;
    if (bw > 0 && bh > 0) {
      const mask = new Uint8Array(bw * bh);
      for (const k of found.list) {
        const x = Math.round(v.px[k]) - bx0, y = Math.round(v.py[k]) - by0;
        if (x >= 0 && y >= 0 && x < bw && y < bh) mask[x + bw * y] = 1;
      }
      const inHole = grow(mask, bw, bh, hole), inBand = grow(mask, bw, bh, band), inEdge = grow(mask, bw, bh, edge);
      for (let y = 0; y < bh; y++)
        for (let x = 0, p = y * bw, i = ((by0 + y) * W + bx0) * 4; x < bw; x++, p++, i += 4) {
          const colour = inHole[p] ? null : inBand[p] ? MARK : inEdge[p] ? WHITE : null;
          if (colour) { d[i] = colour[0]; d[i + 1] = colour[1]; d[i + 2] = colour[2]; d[i + 3] = 255; }
        }
    }
    v.marks.getContext('2d').putImageData(v.markImage, 0, 0);
    v.drawnFound = found.list.length;
  }

  // Overlay: the search's outlines, the hovered sample's ring in both maps, the keyboard's focused sample (while a map or
  // the search field has the keys) and the lasso being drawn.
  let hovered = -1, lasso = null;
  let focused = -1, keyView = null; // the keyboard's sample (a plot index) and the map that has the keys, if any
  let searchShown = false; // the search field holds the keys and shows its one match as the keyboard's sample, on A's map
  function drawOverlay(v) {
    if (!v.W) return;
    const ctx = v.overlay.getContext('2d');
    ctx.clearRect(0, 0, v.W, v.H);
    if (v.marks) ctx.drawImage(v.marks, 0, 0);
    if (focused >= 0 && (keyView || searchShown)) {
      // Dark on a white halo, larger than the hover ring: visible on any colour, and not mistaken for the mouse's.
      const x = v.px[focused], y = v.py[focused], r = 8 * v.dpr;
      ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.strokeStyle = '#fff'; ctx.lineWidth = 5 * v.dpr; ctx.stroke();
      ctx.strokeStyle = '#111'; ctx.lineWidth = 2 * v.dpr; ctx.stroke();
    }
    if (hovered >= 0) {
      ctx.strokeStyle = '#d6452f'; ctx.lineWidth = 2 * v.dpr;
      ctx.beginPath(); ctx.arc(v.px[hovered], v.py[hovered], 5.5 * v.dpr, 0, 2 * Math.PI); ctx.stroke();
    }
    if (lasso && lasso.view === v && lasso.points.length > 1) {
      ctx.strokeStyle = '#2f6fdb'; ctx.fillStyle = 'rgba(47,111,219,.08)'; ctx.lineWidth = 1.5 * v.dpr;
      ctx.beginPath(); lasso.points.forEach(([x, y], i) => i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)); ctx.closePath(); ctx.fill(); ctx.stroke();
    }
  }

  const caption = document.getElementById('map-caption') || document.createElement('p');
  const defaultCaption = caption.textContent;
  const clear = document.getElementById('map-clear');
  const samplesText = count => count.toLocaleString('en') + (count === 1 ? ' sample' : ' samples');
  function updateCaption() {
    if (highlight) caption.textContent = highlightCaption + (highlight.missing ? ` (${highlight.missing.toLocaleString('en')} of them not in the maps)` : '');
    else if (selection) caption.textContent = `Selection: ${samplesText(selection.list.length)} (click an empty spot of a map, or press Escape on it, to clear).`;
    else caption.textContent = defaultCaption;
    // Cut to its three lines (report.css), the caption keeps the rest in its title.
    caption.title = caption.scrollHeight > caption.clientHeight + 1 ? caption.textContent : '';
    if (clear) clear.hidden = !selection;
  }

  document.addEventListener('rd-highlight', e => {
    const d = e.detail || {};
    if (!d.indices) highlight = null;
    else {
      const list = [];
      let missing = 0;
      for (const i of d.indices) { const k = slotOf(i); if (k === undefined) missing++; else list.push(k); }
      highlight = { list, missing };
    }
    highlightCaption = d.caption || '';
    updateCaption();
    drawAll();
  });

  function setSelection(list) {
    selection = list && list.length ? { list } : null;
    // A new selection replaces a card's highlight (report.js deselects the card on rd-selection): the maps draw what the
    // export bar's "current selection" writes, not a card's members over an invisible lasso.
    if (selection) { highlight = null; highlightCaption = ''; }
    const indices = selection ? selection.list.map(sampleOf) : [];
    window.rdSelection = indices;
    document.dispatchEvent(new CustomEvent('rd-selection', { detail: { indices } }));
    updateCaption();
    drawAll();
  }
  window.rdSelection = [];
  if (clear) clear.addEventListener('click', () => setSelection(null));

  function inside(points, x, y) {
    let hit = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i], [xj, yj] = points[j];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) hit = !hit;
    }
    return hit;
  }
  function lassoSelect(v, points) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [x, y] of points) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
    const list = [];
    cellsIn(v, x0, y0, x1, y1, k => { if (inside(points, v.px[k], v.py[k])) list.push(k); });
    return list.sort((p, q) => p - q);
  }

  const tip = document.getElementById('tip');
  function showTip(k, e) {
    if (!tip) return;
    const i = sampleOf(k);
    tip.replaceChildren();
    const thumb = S.thumbs && S.thumbs[i];
    if (thumb) { const img = document.createElement('img'); img.src = thumb; img.alt = ''; tip.appendChild(img); }
    tip.appendChild(tipLine(sampleParts(k), ' · '));
    const file = S.otherFileAt(rowOf(k));
    if (file !== null) tip.appendChild(tipLine([file], '', 'file '));
    const coloured = colourParts(k);
    if (coloured) tip.appendChild(tipLine(coloured, ': '));
    // A text is a line of its own, read in its own direction.
    const text = S.texts && S.texts[rowOf(k)];
    if (text) { const t = document.createElement('div'); t.dir = 'auto'; t.textContent = clip(data.oneLine(text)); tip.appendChild(t); }
    tip.hidden = false;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = (e.clientX + 14 + w > innerWidth ? e.clientX - 14 - w : e.clientX + 14) + 'px';
    tip.style.top = (e.clientY + 14 + h > innerHeight ? e.clientY - 14 - h : e.clientY + 14) + 'px';
  }
  // The tooltip's lines, also what the keyboard announces; each cut at 200 characters: the tooltip follows the mouse,
  // and a 10,000-character label would cover the page (or be read out whole).
  // A sample is named as the cards name it (HtmlReport.SampleName): its id, cut to 40 characters, else its image file (cut
  // from the front, so the file's own name stays), else its row ("#220").
  const idOf = k => { const id = S.ids && S.ids[rowOf(k)]; return id === null || id === undefined ? null : id; };
  const nameOf = k => {
    const id = idOf(k), name = S.nameAt(rowOf(k), sampleOf(k));
    return id !== null ? clip(name, 40) : data.clipStart(name, 40);
  };
  const sampleParts = k => labelColumn ? [nameOf(k), valueOf(labelColumn, k)] : [nameOf(k)];
  const sampleLine = k => clip(sampleParts(k).join(' · '));
  const colourParts = k => { const column = colouring.column; return column && column !== labelColumn ? [column.name, valueOf(column, k)] : null; };
  const colourLine = k => { const parts = colourParts(k); return parts ? clip(parts.join(': ')) : ''; };
  // A line of the tooltip: the user's strings (parts) joined by sep after the page's own words (lead), cut as the
  // announcement cuts the joined line (clip), each part in its own bdi.
  function tipLine(parts, sep, lead = '') {
    const line = document.createElement('div');
    line.append(lead);
    let rest = clip(lead + parts.join(sep)).slice(lead.length);
    parts.forEach((part, i) => {
      if (!rest) return;
      const whole = rest.startsWith(i === parts.length - 1 ? part : part + sep);
      if (i > 0) line.append(sep);
      // Broken only after the break characters, as the member list and the cards break a sample's id (report.js); a word wider
      // than the tooltip ends in "…" (report.css): broken anywhere, "n01440764_10080.JPEG" had read "n01440764_10|080.JPEG".
      const value = bdi('');
      value.append(data.breakable(whole ? part : rest));
      line.append(value);
      rest = whole ? rest.slice(part.length + sep.length) : '';
    });
    return line;
  }
  function valueOf(column, k) {
    if (column.type === 'numeric') { const v = numberAt(column, k); return Number.isFinite(v) ? fmt(column, v) : 'missing'; }
    // The sample's own value: values past the palette share the legend's "other" colour, but the tooltip names them.
    const code = column.codes[rowOf(k)];
    return code < 0 ? 'missing' : column.names[code];
  }
  function numberAt(column, k) { const code = column.codes[rowOf(k)]; return code < 0 ? NaN : column.numbers[code]; }

  const local = (v, e) => { const r = v.overlay.getBoundingClientRect(); return [(e.clientX - r.left) * v.dpr, (e.clientY - r.top) * v.dpr]; };
  views.forEach(v => {
    const o = v.overlay;
    o.addEventListener('mousedown', e => {
      if (e.button !== 0) return;
      fitted(v);
      if (!v.W) return;
      e.preventDefault();
      lasso = { view: v, points: [local(v, e)] };
    });
    o.addEventListener('mousemove', e => {
      if (lasso) return;
      fitted(v);
      if (!v.W) return;
      const [x, y] = local(v, e);
      const k = nearest(v, x, y, 8 * v.dpr);
      if (k !== hovered) { hovered = k; visible().forEach(drawOverlay); }
      if (k >= 0) showTip(k, e); else if (tip) tip.hidden = true;
    });
    o.addEventListener('mouseleave', () => { hovered = -1; if (tip) tip.hidden = true; visible().forEach(drawOverlay); showFocusTip(); });
  });
  // While a lasso is drawn the whole window follows the mouse, so a drag may leave the map and come back.
  window.addEventListener('mousemove', e => {
    if (!lasso) return;
    lasso.points.push(local(lasso.view, e));
    drawOverlay(lasso.view);
  });
  window.addEventListener('mouseup', e => {
    if (!lasso) return;
    const { view: v, points } = lasso;
    points.push(local(v, e));
    lasso = null;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const [x, y] of points) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    if (x1 - x0 < 4 * v.dpr && y1 - y0 < 4 * v.dpr) {
      // A click: on a point, select that sample; elsewhere, clear the selection.
      const [x, y] = points[0], k = nearest(v, x, y, 8 * v.dpr);
      setSelection(k >= 0 ? [k] : null);
    } else setSelection(lassoSelect(v, points));
    drawOverlay(v);
  });

  // The keyboard. Each map's box (HtmlReport.Canvas: tabindex 0) takes the arrow keys, which move a focus ring from sample
  // to sample; the sample is shown in the tooltip, as hovering shows it, and announced in #map-live. Enter or Space adds
  // the focused sample to the selection or removes it (a mouse click replaces the selection; the keys build one sample by
  // sample, as a lasso cannot); Escape clears the selection and the ring, as a click on an empty spot clears the selection.
  // The focused sample is shared by the maps, as the hovered one is: Tab to the other model's map goes on from it.
  const live = document.getElementById('map-live');
  const say = text => { if (live) live.textContent = text; };
  const isSelected = k => !!selection && selection.list.includes(k);
  // The whole id or file, where the name cut it; and the image file where the sample has an id that is not its file.
  const idLine = k => {
    const id = idOf(k), file = S.files ? S.files[rowOf(k)] : null, other = S.otherFileAt(rowOf(k));
    return [id !== null && id.length > 40 ? clip('id ' + id) : id === null && file !== null && file.length > 40 ? clip('file ' + file) : '',
      other !== null ? clip('file ' + other) : ''].filter(x => x).join('; ');
  };
  const described = k => [sampleLine(k), idLine(k), colourLine(k), isSelected(k) ? 'selected' : ''].filter(x => x).join('; ');
  function showFocusTip() {
    const v = keyView || (searchShown ? visible()[0] : null);
    if (!v || focused < 0 || !v.W) return;
    const r = v.overlay.getBoundingClientRect();
    showTip(focused, { clientX: r.left + v.px[focused] / v.dpr, clientY: r.top + v.py[focused] / v.dpr });
  }
  // The next sample from k for an arrow (ux, uy: screen axes, y down): the nearest sample within 45 degrees of that
  // direction, else the nearest anywhere on that side. Why: the map is a picture, and the key should go where the eye
  // goes, to the next point that way; stepping in order of x alone would jump to a point far above or below, and a
  // strict row/column rule finds nothing in a scatter. Distances are in the stored coordinates (one scale per map), so
  // the path does not depend on the window's size. Samples on the same spot are ordered by their place in the plot
  // (right and down go to later ones, left and up to earlier ones), so each of them can be reached.
  function step(v, k, ux, uy) {
    const later = ux + uy > 0, x = v.qx[k], y = -v.qy[k];
    let cone = -1, coneD = 0, coneA = 0, side = -1, sideD = 0, sideA = 0;
    // Nearest first, then the straightest; of equals the scan keeps the first later sample or the last earlier one.
    const beats = (best, d, a, bestD, bestA) => best < 0 || d < bestD || (d === bestD && (a < bestA || (a === bestA && !later)));
    for (let j = 0; j < n; j++) {
      if (j === k) continue;
      const dx = v.qx[j] - x, dy = -v.qy[j] - y, along = dx * ux + dy * uy, across = Math.abs(dx * uy - dy * ux);
      const same = dx === 0 && dy === 0;
      if (same ? (j > k) !== later : along <= 0) continue;
      const d = dx * dx + dy * dy;
      if ((same || across <= along) && beats(cone, d, across, coneD, coneA)) { cone = j; coneD = d; coneA = across; }
      if (beats(side, d, across, sideD, sideA)) { side = j; sideD = d; sideA = across; }
    }
    return cone >= 0 ? cone : side;
  }
  function centreSample(v) {
    let best = -1, bestD = Infinity;
    for (let j = 0; j < n; j++) { const dx = 2 * v.qx[j] - v.mx, dy = 2 * v.qy[j] - v.my, d = dx * dx + dy * dy; if (d < bestD) { bestD = d; best = j; } }
    return best;
  }
  const ARROWS = { ArrowRight: [1, 0, 'right'], ArrowLeft: [-1, 0, 'left'], ArrowDown: [0, 1, 'down'], ArrowUp: [0, -1, 'up'] };
  views.forEach(v => {
    const box = v.overlay.parentElement;
    if (!box || box.tabIndex < 0) return;
    box.addEventListener('focus', () => { keyView = v; visible().forEach(drawOverlay); showFocusTip(); if (focused >= 0) say(described(focused)); });
    box.addEventListener('blur', () => { keyView = null; if (tip) tip.hidden = true; visible().forEach(drawOverlay); });
    box.addEventListener('keydown', e => {
      if (e.altKey || e.ctrlKey || e.metaKey || !v.W || n === 0) return;
      const arrow = ARROWS[e.key];
      if (arrow) {
        e.preventDefault();
        // The first arrow starts from the middle of the map.
        const next = focused < 0 ? centreSample(v) : step(v, focused, arrow[0], arrow[1]);
        if (next < 0) { say(`No sample further ${arrow[2]}; still on ${described(focused)}`); return; }
        focused = next;
        say(described(focused));
      } else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        if (focused < 0) { say('No sample focused: an arrow key moves to one.'); return; }
        const list = selection ? selection.list.slice() : [], at = list.indexOf(focused);
        if (at >= 0) list.splice(at, 1); else { list.push(focused); list.sort((p, q) => p - q); }
        setSelection(list);
        say(`${sampleLine(focused)} ${at >= 0 ? 'removed from' : 'added to'} the selection (${samplesText(list.length)})`);
      } else if (e.key === 'Escape') {
        if (focused < 0 && !selection) return;
        e.preventDefault();
        const had = !!selection;
        focused = -1;
        if (tip) tip.hidden = true;
        if (had) setSelection(null);
        say(had ? 'Selection cleared.' : 'No sample focused.');
      } else return;
      visible().forEach(drawOverlay);
      showFocusTip();
    });
  });

  // The search field (HtmlReport.SearchField), one for both maps. What is typed (ends trimmed) is looked for, ignoring case,
  // in each plotted sample's id (its number where the report has no ids), image file, label and text as the page holds them (the texts
  // of samples that are no shown concept's member are cut at 200 characters); "#123" also finds sample 123, as the member list
  // and a report without ids name it. The lower-cased strings are made once, when the field is first focused, and each search is one pass of
  // includes() over them, run when typing pauses: 100,000 samples must not stall a keystroke. The count beside the field
  // says how many match and the maps outline them; only Enter changes the selection, to them, as a lasso would.
  const field = document.getElementById('map-search'), matchCount = document.getElementById('map-search-count');
  let lower = null, searchTimer = 0, searchMs = [0, 0];
  const SEARCH_PAUSE_MS = 120;
  // Each field apart (a match never spans two), each label name once rather than once per sample.
  function searchable() {
    if (lower) return lower;
    const ids = new Array(n), texts = S.texts ? new Array(n) : null, files = S.files ? new Array(n) : null;
    for (let k = 0; k < n; k++) {
      const r = rowOf(k), id = S.ids ? S.ids[r] : null;
      ids[k] = id === null || id === undefined ? String(sampleOf(k)) : id.toLowerCase();
      if (texts) texts[k] = S.texts[r] ? S.texts[r].toLowerCase() : '';
      if (files) files[k] = S.files[r] ? S.files[r].toLowerCase() : '';
    }
    lower = { ids, texts, files, labels: labelColumn ? labelColumn.names.map(name => name.toLowerCase()) : null };
    return lower;
  }
  function search() {
    clearTimeout(searchTimer); searchTimer = 0;
    const began = performance.now();
    const query = field.value.trim().toLowerCase();
    hideSearchTip();
    document.querySelectorAll('#map-legend .key').forEach(b => b.setAttribute('aria-pressed', 'false'));
    if (!query) { found = null; if (matchCount) matchCount.textContent = ''; }
    else {
      const { ids, texts, files, labels } = searchable(), list = [], numbered = /^#\d+$/.test(query) ? slotOf(+query.slice(1)) : undefined;
      const labelHit = labels ? labels.map(name => name.includes(query)) : null, codes = labelHit ? labelColumn.codes : null;
      for (let k = 0; k < n; k++) {
        let code;
        if (k === numbered || ids[k].includes(query) || (labelHit && (code = codes[rowOf(k)]) >= 0 && labelHit[code]) || (texts && texts[k].includes(query)) || (files && files[k].includes(query))) list.push(k);
      }
      found = { list, query };
      if (matchCount) matchCount.textContent = list.length ? samplesText(list.length) + (list.length === 1 ? ' matches' : ' match') : 'no sample matches';
    }
    const scanned = performance.now();
    visible().forEach(v => { drawMarks(v); drawOverlay(v); });
    searchMs = [scanned - began, performance.now() - scanned];
  }
  function hideSearchTip() {
    if (!searchShown) return;
    searchShown = false;
    if (!keyView && tip) tip.hidden = true;
    visible().forEach(drawOverlay);
  }
  // Enter: the matches become the selection; one match also becomes the keyboard's sample (arrows on a map go on from it).
  function selectFound() {
    if (!found) return;
    const list = found.list;
    if (!list.length) { say('No sample matches; the selection is unchanged.'); return; }
    if (list.length === 1) { focused = list[0]; searchShown = true; }
    setSelection(list.slice());
    if (list.length === 1) {
      showFocusTip();
      say('1 sample selected: ' + [sampleLine(focused), idLine(focused)].filter(x => x).join('; '));
    } else say(samplesText(list.length) + ' selected.');
  }
  if (field) {
    field.addEventListener('focus', searchable);
    field.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(search, SEARCH_PAUSE_MS); });
    field.addEventListener('keydown', e => {
      if (e.key === 'Enter') { e.preventDefault(); search(); selectFound(); }
      else if (e.key === 'Escape') {
        // Clears the search and its outlines, never the selection (Escape on a map does that).
        if (!field.value && !found) return;
        e.preventDefault();
        field.value = '';
        search();
        say('Search cleared; the selection is unchanged.');
      }
    });
    field.addEventListener('blur', hideSearchTip);
  }

  const tabs = Array.from(document.querySelectorAll('.maptabs button'));
  tabs.forEach(tab => tab.addEventListener('click', () => {
    kind = tab.dataset.kind;
    tabs.forEach(t => { t.classList.toggle('on', t === tab); t.setAttribute('aria-pressed', t === tab ? 'true' : 'false'); });
    document.querySelectorAll('.mapset').forEach(set => { set.hidden = set.dataset.kind !== kind; });
    hovered = -1;
    drawAll();
  }));
  if (select) select.addEventListener('change', () => {
    // Outlines of a legend entry belong to the colouring they were chosen in.
    if (document.querySelector('#map-legend .key[aria-pressed="true"]')) { found = null; if (matchCount) matchCount.textContent = ''; }
    colouring = makeColouring(+select.value); legend(); drawAll();
  });
  let resizing = 0;
  const redraw = () => { cancelAnimationFrame(resizing); resizing = requestAnimationFrame(drawAll); };
  window.addEventListener('resize', redraw);
  // A map's box also changes size without the window (docked at a narrow window's foot, report.js): drawn again to fit.
  const resized = v => { const r = v.canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1; return Math.round(r.width * dpr) !== v.W || Math.round(r.height * dpr) !== v.H; };
  if (window.ResizeObserver) { const boxes = new ResizeObserver(() => { if (visible().some(resized)) redraw(); }); views.forEach(v => boxes.observe(v.canvas)); }
  // That redraw waits for the observer and then a frame (many on a busy machine): a click there had been measured against
  // the points' places in the old box, and a click on a point just after the dock opened selected nothing. Drawn at once.
  function fitted(v) { if (resized(v)) { cancelAnimationFrame(resizing); drawAll(); } }

  const decoded = performance.now();
  colouring = makeColouring(select ? +select.value : -1);
  legend();
  drawAll();
  // For tests and tools: what each visible map drew, and when the maps were first ready.
  window.rdMaps = {
    kind: () => kind,
    lit: () => Object.fromEntries(views.filter(v => v.kind === kind).map(v => [v.side, v.drawnLit])),
    outlined: () => Object.fromEntries(views.filter(v => v.kind === kind).map(v => [v.side, v.drawnFound || 0])),
    searchMs: () => searchMs, // the last search's [scan, outlines] in ms
    point: (side, i) => {
      const v = views.find(w => w.kind === kind && w.side === side), k = slotOf(i);
      if (v) fitted(v);
      if (!v || k === undefined || !v.W) return null;
      const r = v.overlay.getBoundingClientRect();
      return { x: r.left + v.px[k] / v.dpr, y: r.top + v.py[k] / v.dpr };
    },
    colour: (k) => 'rgb(' + colouring.styles[colouring.index[k]].join(',') + ')',
    background: BACKGROUND_HEX,
    rim: colour => '#' + rimOf(hex(colour)).map(v => v.toString(16).padStart(2, '0')).join(''), // a point's rim, '#rrggbb'
    focused: () => focused < 0 ? null : sampleOf(focused),
    started,
    decoded,
    drawMs: () => views.filter(v => v.kind === kind).map(v => v.drawMs),
    ready: performance.now(),
  };
})();
