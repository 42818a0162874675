import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh script nonce per page: 128 bits from the system's CSPRNG, base64url (valid in a CSP source). */
export function nonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The HTML shell of a webview: a strict CSP (no inline script, no eval, nothing remote), the codicon font, the
 * shared stylesheet and one bundled script. Everything else is drawn by the script.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, opts: { script: string; title: string; bodyClass?: string }): string {
  const n = nonce();
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en" data-view="${opts.bodyClass ?? opts.script}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('dist', 'codicons', 'codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${uri('media', 'webview.css')}">
<title>${opts.title}</title>
</head>
<body>
<main id="app" class="${opts.bodyClass ?? opts.script}"></main>
<script nonce="${n}" src="${uri('dist', 'webview', opts.script + '.js')}"></script>
</body>
</html>`;
}
