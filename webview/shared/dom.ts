import { csvLines, markdownText } from '../../src/core/text/escape';

/** A tiny element builder: enough to keep the view code declarative without a framework. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** A codicon glyph (the font is loaded by the page shell). */
export function icon(name: string, label?: string): HTMLElement {
  const el = h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true' });
  if (label) el.setAttribute('aria-label', label);
  return el;
}

/** CSV with RFC 4180 quoting; text that a spreadsheet would read as a formula is kept text (`csvCell`). */
export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  return csvLines([header, ...rows]);
}

/** A GitHub-flavoured Markdown table; every text cell is escaped (`markdownText`), so it renders as written. */
export function toMarkdown(header: string[], rows: Array<Array<string | number>>, align: Array<'l' | 'r'> = []): string {
  const esc = (v: string | number) => (typeof v === 'number' ? String(v) : markdownText(v, 300));
  const rule = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header.map(esc)), line(rule), ...rows.map((r) => line(r.map(esc)))].join('\n') + '\n';
}
