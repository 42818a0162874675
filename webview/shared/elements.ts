// The @vscode-elements/elements components the webviews use (each registers its custom element on import).
// They are the maintained successor of the deprecated @vscode/webview-ui-toolkit and style themselves from
// the VS Code theme variables through adoptedStyleSheets, so the strict CSP needs no 'unsafe-inline'.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';

import { h } from './dom';

/**
 * A <vscode-single-select> with its options; `onChange` gets the new value. With `search`, it is a combobox: typing
 * filters the options (by any part of their label), and each option's `description` shows under the list.
 */
export function select(
  options: Array<{ value: string; label: string; description?: string }>,
  value: string,
  onChange: (v: string) => void,
  label: string,
  opts: { search?: boolean; id?: string } = {},
): HTMLElement {
  const el = h('vscode-single-select', { 'aria-label': label, title: label, id: opts.id, combobox: opts.search, filter: opts.search ? 'contains' : undefined });
  for (const o of options) {
    const opt = h('vscode-option', { value: o.value, description: o.description }, o.label);
    if (o.value === value) opt.setAttribute('selected', '');
    el.append(opt);
  }
  (el as unknown as { value: string }).value = value;
  el.addEventListener('change', () => onChange((el as unknown as { value: string }).value));
  return el;
}

export function button(label: string, onClick: () => void, opts: { icon?: string; secondary?: boolean; title?: string; id?: string } = {}): HTMLElement {
  return h('vscode-button', { icon: opts.icon, secondary: opts.secondary, title: opts.title ?? label, id: opts.id, onclick: onClick }, label);
}

export function toolbarButton(iconName: string, label: string, onClick: () => void): HTMLElement {
  return h('vscode-toolbar-button', { icon: iconName, label, title: label, 'aria-label': label, onclick: onClick });
}

/** A labelled numeric text field; `onChange` receives the parsed number, or is not called for invalid text. */
export function numberField(label: string, value: number, onChange: (v: number) => void, opts: { min?: number; id?: string } = {}): HTMLElement {
  const field = h('vscode-textfield', { value: String(value), 'aria-label': label, id: opts.id, class: 'num' });
  field.addEventListener('change', () => {
    const v = Number((field as unknown as { value: string }).value);
    const ok = Number.isFinite(v) && (opts.min === undefined || v >= opts.min);
    field.toggleAttribute('invalid', !ok);
    if (ok) onChange(v);
  });
  return h('label', { class: 'field' }, h('span', {}, label), field);
}

export function checkbox(label: string, checked: boolean, onChange: (v: boolean) => void, id?: string): HTMLElement {
  const el = h('vscode-checkbox', { label, checked, id });
  el.addEventListener('change', () => onChange((el as unknown as { checked: boolean }).checked));
  return el;
}
