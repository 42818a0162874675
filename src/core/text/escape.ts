/**
 * Strings that come from a workspace file (model names, field names and values, file names, diagnostics that quote
 * a file) are data, never markup. Each kind of output LIM Lens writes has one function here, and every such string
 * passes through the one for its output on the way out:
 *
 * | output                                              | function           |
 * |-----------------------------------------------------|--------------------|
 * | a hover's MarkdownString, a Markdown report or table | `markdownText`     |
 * | a CodeLens title, a quick pick, a status bar item   | `labelText`        |
 * | a notification (toast)                              | `notificationText` |
 * | a webview's DOM text node, the Problems panel, logs | `plainText`        |
 * | a CSV cell                                          | `csvCell`          |
 * | HTML built as a string                              | `htmlText`         |
 * | a terminal table or line                            | `terminalText`     |
 *
 * All of them first make the text safe to look at (`plainText`): control characters, bidirectional overrides and
 * invisible formatting characters are shown as `[U+202E]`, so "safe\u202Egnp.exe" cannot pass for "safe…exe.png";
 * line breaks and tabs become spaces; and a string longer than its limit is cut, with an ellipsis, so a 100 KB name
 * cannot push everything else out of a hover.
 */

/** The default limit for a single string from a file, in code points. */
export const MAX_TEXT_LENGTH = 160;

// Control characters (C0 except the whitespace handled apart, DEL, C1), bidirectional embeddings, overrides,
// isolates and marks, invisible formatting characters (zero-width space, word joiner, invisible operators, the byte
// order mark), interlinear annotations and Unicode tag characters. Zero-width (non-)joiners are left alone: scripts
// and emoji need them and they cannot reorder text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDC7F]/g;
const LINE_BREAKS = /\r\n|[\t\n\r\f\u2028\u2029\u0085]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function codePointLabel(ch: string): string {
  return `[U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** Cuts `s` to at most `max` code points, the last being an ellipsis, never inside a surrogate pair. */
export function truncate(s: string, max = MAX_TEXT_LENGTH): string {
  if (s.length <= max) return s;
  const points = Array.from(s);
  return points.length <= max ? s : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * The text made safe to look at, for outputs that render no markup (a DOM text node, the Problems panel, a log):
 * unsafe characters shown as `[U+XXXX]`, line breaks and tabs as spaces, lone surrogates as U+FFFD, and cut at `max`
 * code points. Non-strings are turned into text first (`JSON.stringify` for objects).
 */
export function plainText(value: unknown, max = MAX_TEXT_LENGTH): string {
  let s = typeof value === 'string' ? value : value !== null && typeof value === 'object' ? safeJson(value) : String(value);
  // Cut a huge string before the replacements, which only lengthen it; the final cut below is exact.
  if (s.length > max * 4 + 16) s = s.slice(0, max * 4 + 16);
  s = s.replace(LONE_SURROGATE, '\uFFFD').replace(LINE_BREAKS, ' ').replace(UNSAFE, codePointLabel);
  return truncate(s, max);
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

// `$(name)` and `$(name~modifier)`: the theme-icon syntax VS Code renders in hovers, CodeLens titles, quick picks and
// the status bar.
const THEME_ICON = /\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/**
 * For labels that render `$(icon)` syntax but no Markdown (CodeLens titles, quick pick items, status bar text):
 * `plainText`, with each `$(…)` escaped as VS Code expects (`\$(…)` shows the characters instead of an icon).
 */
export function labelText(value: unknown, max = MAX_TEXT_LENGTH): string {
  return plainText(value, max).replace(THEME_ICON, (m) => `\\${m}`);
}

// Backslash-escaped, an ASCII punctuation character is literal text in CommonMark. These are the ones that can start
// or end inline syntax: emphasis and strikethrough (`*`, `_`, `~`), code spans, links and images (`[`, `]`, `(`, `)`,
// `!`), raw HTML and `<…>` autolinks (`<`, `>`), entities (`&`), table cells (`|`), theme icons (`$`), link titles
// (`"`), headings (`#`), and the GFM autolinks of `https:`, `mailto:` and e-mail addresses (`:`, `@`). The
// backslash itself is escaped too. What remains cannot form syntax inside a line: `www.` autolinks are broken at their
// dot, and a block marker at the start (`- `, `+ `, `---`, `===`, `1. `) is escaped, in case the text starts a line or
// list item; `-2`, `1.5e8` and other numbers are not markers and stay as they are.
const MARKDOWN_INLINE = /[\\`*_~[\]()!<>&|$:@"#]/g;
const MARKDOWN_WWW = /(www)\./gi;
// A list item needs a space after its marker (`- x`, `1. x`); a rule or setext underline repeats its character (`---`).
const MARKDOWN_BLOCK_START = /^(\s*)(?:([-+=])(?=\s|$|[-+=])|(\d+)\.(?=\s|$))/;

/**
 * For Markdown: a hover's (trusted) MarkdownString, a Markdown report or a table cell. `plainText`, with the
 * characters that can form syntax backslash-escaped, and every `$(…)` preceded by an escaped backslash, which is how
 * VS Code's own `MarkdownString.appendText` keeps theme icons from rendering (the renderer draws icons after Markdown
 * is parsed, so `\$\(zap\)` alone would still become an icon). The result renders as exactly the safe text, and an
 * ordinary name or path reads unchanged in the Markdown source (`meta-llama/Llama-3.1-8B`).
 */
export function markdownText(value: unknown, max = MAX_TEXT_LENGTH): string {
  return plainText(value, max)
    .replace(THEME_ICON, (m) => `\\${m}`)
    .replace(MARKDOWN_INLINE, (c) => `\\${c}`)
    .replace(MARKDOWN_WWW, '$1\\.')
    .replace(MARKDOWN_BLOCK_START, (_m, space: string, marker: string | undefined, digits: string | undefined) => (marker ? `${space}\\${marker}` : `${space}${digits}\\.`));
}

/**
 * For notifications (`showInformationMessage` and the like), which render `[label](target)` as a link, command
 * links included: `plainText`, with a space between `]` and `(` so that no such pattern can form one.
 */
export function notificationText(value: unknown, max = MAX_TEXT_LENGTH): string {
  return plainText(value, max).replace(/\]\s*\(/g, '] (');
}

/** For HTML built as a string: `plainText` with `& < > " '` as entities. */
export function htmlText(value: unknown, max = MAX_TEXT_LENGTH): string {
  return plainText(value, max).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** For a terminal: `plainText`, so no escape sequence, carriage return or bidirectional override reaches the tty. */
export function terminalText(value: unknown, max = MAX_TEXT_LENGTH): string {
  return plainText(value, max);
}

// A cell starting with one of these is a formula (or DDE payload) to Excel, LibreOffice and Google Sheets; some trim
// leading spaces first (tabs and carriage returns are spaces by then).
const FORMULA_START = /^\s*[=+\-@]/;

/**
 * One CSV cell (RFC 4180). Numbers are written as numbers. Text is made safe (`plainText`, at `max`), a text cell that
 * a spreadsheet would read as a formula (`=`, `+`, `-` or `@` first, after any spaces) is prefixed with `'`, which
 * spreadsheets show as text; and a cell with a comma, quote or line break is quoted.
 */
export function csvCell(value: string | number | boolean | null | undefined, max = 1000): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  let s = plainText(value, max);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV file: a header and rows, each cell through `csvCell`, lines ended with `\n`. */
export function csvLines(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  return rows.map((r) => r.map((c) => csvCell(c)).join(',')).join('\n') + '\n';
}
