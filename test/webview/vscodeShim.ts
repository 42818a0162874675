// The few `vscode` API pieces the webview HTML builder (src/extension/webviewHtml.ts) uses, so the webview tests
// serve exactly the HTML and CSP the extension produces. test/webview/harness.ts bundles webviewHtml.ts with
// `vscode` aliased to this file. If webviewHtml.ts starts using more of the API, add it here.
import { posix } from 'node:path';

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}

  static file(path: string): Uri {
    return new Uri('file', path);
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, posix.join(base.path, ...segments));
  }

  get fsPath(): string {
    return this.path;
  }

  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}
