// What can be measured of a clipped layout from inside a page: text wider than its box (scrollWidth > clientWidth on
// buttons, table cells, labels, captions, figures) and elements that reach outside the viewport. Used by the webview
// layout test (the dashboard alone, in Chromium) and by the UI smoke test (the dashboard inside VS Code); both pass
// the function to page.evaluate / frame.evaluate, so it must not use anything from outside its own body.

export interface OverflowProblem {
  /** A short CSS-like path of the element: tag#id.class, with its text. */
  element: string;
  problem: string;
}

/** Runs in the page: every clipped or overflowing element it can measure, with why. */
export function findOverflow(): OverflowProblem[] {
  const out: OverflowProblem[] = [];
  const viewport = document.documentElement.clientWidth;
  const name = (el: Element): string => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${id}${cls}${text ? ` "${text}"` : ''}`;
  };
  const visible = (el: Element): boolean => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none';
  };
  // Hidden on purpose: the visually-hidden pattern (screen-reader text) and table headers of a stacked table.
  const hiddenOnPurpose = (el: Element): boolean => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.clipPath.startsWith('inset(50%')) return true;
    }
    return false;
  };
  if (document.documentElement.scrollWidth > viewport + 1) out.push({ element: 'html', problem: `the page scrolls sideways: ${document.documentElement.scrollWidth} px wide in a ${viewport} px view` });
  const boxes = 'vscode-button, vscode-tab-header, vscode-single-select, vscode-textfield, vscode-checkbox, th, td, label, .field > span, figcaption, .fact, .fact-label, .fact-value, h1, p, .note, .provenance, .status, .placeholder, canvas, .chart-box';
  for (const el of document.querySelectorAll(boxes)) {
    if (!visible(el) || hiddenOnPurpose(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > viewport + 1 || r.left < -1) out.push({ element: name(el), problem: `outside the view: ${Math.round(r.left)}–${Math.round(r.right)} px of ${viewport}` });
    // Text cut at the box's edge. Custom elements draw their text in a shadow root: measure the control inside.
    const inner = el.shadowRoot?.querySelector('button, .wrapper, .select-face, input, .label') ?? undefined;
    for (const box of inner ? [el, inner] : [el]) {
      if (box.scrollWidth > box.clientWidth + 1 && box.clientWidth > 0) out.push({ element: name(el), problem: `text clipped: ${box.scrollWidth} px of content in ${box.clientWidth} px` });
    }
  }
  // A canvas wider than the box it sits in is cut by it.
  for (const c of document.querySelectorAll('canvas')) {
    const box = c.parentElement;
    if (!box || !visible(c)) continue;
    if (c.getBoundingClientRect().width > box.getBoundingClientRect().width + 1) out.push({ element: name(c), problem: 'canvas wider than its box' });
  }
  return out;
}
