// What a phone reader trips over, measured in the laid-out page (used by tests/web/test_phone_layout.py
// and scripts/screenshots.py). Returns {overflow, widest, tables, broken, boxed, height, blank}.
() => {
  const visible = el => {
    const s = getComputedStyle(el);
    if (s.display === "none" || s.visibility === "hidden") return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const doc = document.documentElement;
  const overflow = doc.scrollWidth - doc.clientWidth;
  let widest = null;
  if (overflow > 1) {
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right > doc.clientWidth + 1 && (!widest || r.right > widest.right)) {
        widest = {right: Math.round(r.right), what: el.tagName + "." + el.className + " "
                  + (el.textContent || "").trim().slice(0, 50)};
      }
    }
  }
  // A table whose heading row and body rows show a different number of columns: the figures
  // then sit under the wrong heading. Tables shown as cards (thead clipped away) are exempt.
  const tables = [];
  for (const t of document.querySelectorAll("table")) {
    if (!visible(t) || !t.tHead || !visible(t.tHead)) continue;
    const width = row => [...row.cells].filter(visible).reduce((n, c) => n + c.colSpan, 0);
    const head = t.tHead.rows[t.tHead.rows.length - 1];
    const cols = width(head);
    for (const body of t.tBodies) {
      for (const row of body.rows) {
        if (!visible(row)) continue;
        const n = width(row);
        if (n !== cols) {
          tables.push({caption: (t.caption ? t.caption.textContent : head.textContent).trim().slice(0, 60),
                       head: cols, row: n, text: row.textContent.trim().slice(0, 60)});
          break;
        }
      }
    }
  }
  // Words cut between two lines (not at a hyphen or a space). Hashes and other long codes may
  // break anywhere on purpose, so only words of up to 30 letters count; a file's name (code.file)
  // is read as words.
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => (n.parentElement && !n.parentElement.closest("script, style, svg, code:not(.file), .sr-only, option")
                      && n.textContent.trim()) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
  const range = document.createRange();
  for (let node = walker.nextNode(); node && broken.length < 20; node = walker.nextNode()) {
    if (!visible(node.parentElement)) continue;
    for (const m of node.textContent.matchAll(/[\p{L}\p{N}]{2,30}/gu)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  // Tables that scroll sideways inside their own box: on a phone the columns past the edge are
  // easily missed (a statistics table should become cards, table.stack).
  const boxed = [];
  for (const t of document.querySelectorAll("table")) {
    if (!visible(t)) continue;
    for (let box = t.parentElement; box && box !== document.body; box = box.parentElement) {
      const s = getComputedStyle(box);
      if ((s.overflowX === "auto" || s.overflowX === "scroll") && box.scrollWidth > box.clientWidth + 1) {
        const head = t.tHead ? t.tHead.textContent : t.textContent;
        boxed.push({box: box.className, hidden: box.scrollWidth - box.clientWidth,
                    table: (t.caption ? t.caption.textContent : head).trim().slice(0, 60)});
        break;
      }
    }
  }
  // The tallest stretch of the page with nothing in it (in px, with where it starts): a page
  // far taller than its content, e.g. an SVG whose viewBox is taller than its drawing. Content
  // is what a reader sees: text, images, form controls and the shapes inside an SVG (not the
  // SVG's own box, nor the boxes of containers, which stretch with whatever they hold).
  const spans = [];
  const add = r => { if (r.width > 0 && r.height > 0) spans.push([r.top + scrollY, r.bottom + scrollY]); };
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    // Text for screen readers only (.sr-only: clipped to one pixel, so its words stand one under
    // another, thousands of pixels tall, unseen) and SVG tooltips are not on the page.
    acceptNode: n => (n.parentElement && !n.parentElement.closest("script, style, noscript, .sr-only, title")
                      && n.textContent.trim()) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
  // checkVisibility: also false inside a closed <details>, whose content keeps its layout boxes
  // (content-visibility: hidden) though nothing of it is drawn.
  const seen = el => el.checkVisibility({visibilityProperty: true});
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    if (!visible(node.parentElement) || !seen(node.parentElement)) continue;
    range.selectNodeContents(node);
    add(range.getBoundingClientRect());
  }
  const shapes = "img, video, canvas, iframe, input, select, textarea, button, hr, "
    + "svg :is(rect, circle, ellipse, path, line, polyline, polygon, text, image, use)";
  for (const el of document.querySelectorAll(shapes)) {
    if ((visible(el) || el.closest("svg")) && seen(el)) add(el.getBoundingClientRect());
  }
  spans.sort((a, b) => a[0] - b[0]);
  let blank = {height: 0, from: 0}, reached = 0;
  for (const [top, bottom] of [...spans, [doc.scrollHeight, doc.scrollHeight]]) {
    if (top - reached > blank.height) blank = {height: Math.round(top - reached), from: Math.round(reached)};
    reached = Math.max(reached, bottom);
  }
  return {overflow, widest, tables, broken, boxed, height: doc.scrollHeight, blank};
}
