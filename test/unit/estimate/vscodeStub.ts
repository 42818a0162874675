// The two members of the `vscode` module the hover's Markdown uses, so the hover and the CodeLens text render outside
// the editor. Importing this file installs the stub for every later `import('…/hoverMarkdown')` of the process.
import Module from 'node:module';

export class MarkdownString {
  value: string;
  isTrusted: unknown;
  supportHtml = false;
  constructor(value = '') {
    this.value = value;
  }
  appendMarkdown(s: string) {
    this.value += s;
    return this;
  }
}

export const stubUri = (path: string) => {
  const uri = { path, with: () => uri, toString: () => `file://${path}` };
  return uri;
};

const stub = { MarkdownString, Uri: { parse: () => stubUri('/w'), file: (p: string) => stubUri(p) } };
const loader = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
const load = loader._load;
loader._load = (req: string, ...rest: unknown[]) => (req === 'vscode' ? stub : load(req, ...rest));
