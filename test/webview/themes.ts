// The theme data VS Code hands a webview, for the default themes of VS Code 1.100 (the colours the webview
// code reads). A webview gets a body class and these variables on <html>; WebviewPage.setTheme applies them.
export interface Theme {
  id: 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';
  name: string;
  bodyClass: string;
  vars: Record<string, string>;
  /** The colours tests look for in the chart: text (ticks, titles) and the bars. */
  foreground: string;
  bar: string;
  background: string;
}

const font = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
};

function theme(id: Theme['id'], name: string, bodyClass: string, c: { fg: string; bg: string; blue: string; red: string; green: string; purple: string; orange: string; yellow: string; desc: string; lines: string; control: { bg: string; fg: string; border: string } }): Theme {
  return {
    id,
    name,
    bodyClass,
    foreground: c.fg,
    bar: c.blue,
    background: c.bg,
    vars: {
      ...font,
      '--vscode-foreground': c.fg,
      '--vscode-editor-foreground': c.fg,
      '--vscode-editor-background': c.bg,
      '--vscode-descriptionForeground': c.desc,
      '--vscode-charts-foreground': c.fg,
      '--vscode-charts-lines': c.lines,
      '--vscode-charts-blue': c.blue,
      '--vscode-charts-red': c.red,
      '--vscode-charts-green': c.green,
      '--vscode-charts-purple': c.purple,
      '--vscode-charts-orange': c.orange,
      '--vscode-charts-yellow': c.yellow,
      '--vscode-focusBorder': c.blue,
      '--vscode-button-background': c.blue,
      '--vscode-button-foreground': '#ffffff',
      // Dropdowns and text fields (the run picker, the simulation form) as the theme's settings editor draws them.
      '--vscode-settings-dropdownBackground': c.control.bg,
      '--vscode-settings-dropdownForeground': c.control.fg,
      '--vscode-settings-dropdownBorder': c.control.border,
      '--vscode-settings-dropdownListBorder': c.control.border,
      '--vscode-settings-textInputBackground': c.control.bg,
      '--vscode-settings-textInputForeground': c.control.fg,
      '--vscode-settings-textInputBorder': c.control.border,
      '--vscode-input-background': c.control.bg,
      '--vscode-input-foreground': c.control.fg,
      '--vscode-panelTitle-activeForeground': c.fg,
      '--vscode-button-secondaryBackground': c.control.bg,
      '--vscode-button-secondaryForeground': c.control.fg,
      '--vscode-button-border': c.control.border,
    },
  };
}

export const THEMES: Theme[] = [
  theme('dark', 'Default Dark Modern', 'vscode-dark', {
    fg: '#cccccc', bg: '#1f1f1f', blue: '#3794ff', red: '#f14c4c', green: '#89d185', purple: '#b180d7', orange: '#d18616', yellow: '#cca700', desc: '#9d9d9d', lines: '#cccccc80', control: { bg: '#313131', fg: '#cccccc', border: '#3c3c3c' },
  }),
  theme('light', 'Default Light Modern', 'vscode-light', {
    fg: '#3b3b3b', bg: '#ffffff', blue: '#1a85ff', red: '#e51400', green: '#388a34', purple: '#652d90', orange: '#d18616', yellow: '#bf8803', desc: '#3b3b3b', lines: '#3b3b3b80', control: { bg: '#ffffff', fg: '#3b3b3b', border: '#cecece' },
  }),
  theme('high-contrast', 'Default High Contrast', 'vscode-high-contrast', {
    fg: '#ffffff', bg: '#000000', blue: '#3794ff', red: '#f48771', green: '#89d185', purple: '#b180d7', orange: '#d18616', yellow: '#ffd700', desc: '#ffffff', lines: '#ffffff80', control: { bg: '#000000', fg: '#ffffff', border: '#6fc3df' },
  }),
  theme('high-contrast-light', 'Default High Contrast Light', 'vscode-high-contrast vscode-high-contrast-light', {
    fg: '#292929', bg: '#ffffff', blue: '#0f4a85', red: '#b5200d', green: '#374e06', purple: '#5d2e8c', orange: '#8f4e00', yellow: '#895503', desc: '#292929', lines: '#29292980', control: { bg: '#ffffff', fg: '#292929', border: '#0f4a85' },
  }),
];

export const themeById = (id: Theme['id']): Theme => {
  const t = THEMES.find((x) => x.id === id);
  if (!t) throw new Error(`no theme ${id}`);
  return t;
};
