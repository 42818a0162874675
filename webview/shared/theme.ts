/**
 * Chart colours from the VS Code theme. The webview body carries the theme's CSS variables and a class
 * (vscode-light, vscode-dark, vscode-high-contrast, vscode-high-contrast-light); charts read them at draw time
 * and are redrawn when the class changes.
 */
export interface Palette {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  fontFamily: string;
  red: string;
  blue: string;
  green: string;
  yellow: string;
  orange: string;
  purple: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function themeKind(): Palette['kind'] {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readPalette(): Palette {
  const s = getComputedStyle(document.body);
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const foreground = cssVar(s, '--vscode-charts-foreground', cssVar(s, '--vscode-foreground', light ? '#333333' : '#cccccc'));
  return {
    kind,
    foreground,
    muted: cssVar(s, '--vscode-descriptionForeground', light ? '#717171' : '#9d9d9d'),
    grid: cssVar(s, '--vscode-charts-lines', light ? 'rgba(0,0,0,0.12)' : 'rgba(255,255,255,0.12)'),
    background: cssVar(s, '--vscode-editor-background', light ? '#ffffff' : '#1e1e1e'),
    fontFamily: cssVar(s, '--vscode-font-family', 'system-ui, sans-serif'),
    red: cssVar(s, '--vscode-charts-red', '#f14c4c'),
    blue: cssVar(s, '--vscode-charts-blue', '#3794ff'),
    green: cssVar(s, '--vscode-charts-green', '#89d185'),
    yellow: cssVar(s, '--vscode-charts-yellow', '#cca700'),
    orange: cssVar(s, '--vscode-charts-orange', '#d18616'),
    purple: cssVar(s, '--vscode-charts-purple', '#b180d7'),
  };
}

/** Calls `onChange` whenever VS Code switches the theme (it rewrites the body's class and style). */
export function watchTheme(onChange: () => void): void {
  let last = `${document.body.className}|${document.body.getAttribute('style') ?? ''}`;
  new MutationObserver(() => {
    const now = `${document.body.className}|${document.body.getAttribute('style') ?? ''}`;
    if (now !== last) {
      last = now;
      onChange();
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
}

/** The colour of each energy series, the same in every chart. */
export function energyColors(p: Palette) {
  return { landauer: p.green, lim: p.blue, staticBarrier: p.purple, accelerator: p.red, cim: p.orange, band: p.blue };
}

export function algorithmColor(p: Palette, algorithm: string): string {
  switch (algorithm) {
    case 'sgd':
      return p.green;
    case 'analog-sgd':
      return p.red;
    case 'tiki-taka':
      return p.blue;
    case 'ttv2':
      return p.purple;
    default:
      return p.orange;
  }
}

/** Adds transparency to a CSS colour (hex or rgb[a]); other notations come back unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color.trim());
  if (hex) {
    let v = hex[1];
    if (v.length === 3) v = [...v].map((c) => c + c).join('');
    const n = parseInt(v, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/i.exec(color.trim());
  if (rgb) {
    const [r, g, b] = rgb[1].split(',').map((x) => x.trim());
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}
