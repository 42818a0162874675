/**
 * Strings a hostile repository can put in a config: shared by the unit, webview and integration tests of LIM Lens's
 * escaping (src/core/text/escape.ts). Each names the attack it tries.
 */
export const HOSTILE_STRINGS: Record<string, string> = {
  commandLink: '[Export report](command:limLens.exportReport?%5B%22csv%22%2C%7B%22%24mid%22%3A1%2C%22path%22%3A%22%2Ftmp%2Fpwned%2Fx.csv%22%2C%22scheme%22%3A%22file%22%7D%5D)',
  openLink: '[docs](command:vscode.open?%5B%22https%3A%2F%2Fevil.example%2F%22%5D "Open")',
  imageLink: '![x](https://evil.example/pixel.png)',
  referenceLink: '[click][1]\n\n[1]: command:limLens.exportReport',
  autolinkUrl: 'https://evil.example/llama-7b',
  autolinkWww: 'www.evil.example',
  angleAutolink: '<https://evil.example>',
  email: 'owner@evil.example',
  rawHtml: '<img src=x onerror=alert(1)><b>bold</b>',
  script: '<script>alert(document.cookie)</script>',
  entity: '&lt;script&gt; &amp; &#x41;',
  backticks: '``code`` `x` ```',
  emphasis: '**bold** _it_ ~~gone~~',
  icons: '$(zap) $(warning) $(loading~spin) \\$(check)',
  tableCell: 'a | b | c',
  heading: '# Heading\n---\n> quote\n- item',
  formulaEquals: '=HYPERLINK("https://evil.example","x")',
  formulaPlus: '+1+cmd|\' /C calc\'!A0',
  formulaMinus: '-2+3',
  formulaAt: '@SUM(A1:A2)',
  rtlOverride: 'safe\u202Egnp.exe',
  controls: 'a\u0000b\u0007c\u001b[31mred\u001b[0m\u0085d\u200Be\uFEFF',
  tags: 'x\u{E0041}\u{E0042}y',
  newlines: 'one\ntwo\r\nthree\tfour\u2028five',
  long: 'A'.repeat(100_000),
};

/** The characters that must never survive into what a person sees. */
// eslint-disable-next-line no-control-regex
export const INVISIBLE_OR_REORDERING = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]|\uDB40[\uDC00-\uDC7F]/;
