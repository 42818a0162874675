// A repository that tries to turn LIM Lens against its user. Its configs carry Markdown command links, raw HTML,
// theme-icon syntax, spreadsheet formulas, a right-to-left override and a 100 KB name, in the model name, in field
// values and in file names. Everything LIM Lens shows of them must be inert text, every link in a hover must be one
// LIM Lens made, and no command reachable from a hover writes where a file says.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { labelText, plainText } from '../../../src/core/text/escape';
import { HOVER_COMMANDS } from '../../../src/extension/hoverMarkdown';
import { HOSTILE_STRINGS, INVISIBLE_OR_REORDERING } from '../../hostileStrings';
import { linkTargets, liveIcons, renderMarkdown, shownText } from '../../markdownView';
import { activateExtension, closeAllEditors, codeLenses, fixtureUri, limDiagnostics, limHover, positionOf, readFixture, screenshot, sleep, ui, uiAvailable, waitFor, workspaceRoot } from './helpers';

const NAME = `${HOSTILE_STRINGS.commandLink} ${HOSTILE_STRINGS.icons} ${HOSTILE_STRINGS.script} ${HOSTILE_STRINGS.rtlOverride} ${HOSTILE_STRINGS.autolinkUrl}`;
const DIR = 'hostile';
// The model's folder name is an attack too: it reaches the hover through the run file's `config:` field.
const MODEL_DIR = '[m](command:vscode.open) $(zap)';
const MODEL = `${DIR}/${MODEL_DIR}/config.json`;
const BROKEN = `${DIR}/broken/config.json`;
const LONG = `${DIR}/long/config.json`;
// A run file whose own name is an attack (Linux allows every character but '/').
const RUN_FILE_NAME = '=HYPERLINK(1) [a](command:limLens.exportReport) $(zap).lim.yaml';
const RUN = `${DIR}/${RUN_FILE_NAME}`;
const OUTSIDE = '/tmp/lim-lens-hostile-outside';

/** The commands LIM Lens's hover links may name, and the link labels it writes. */
const OWN_COMMANDS = new Set<string>(HOVER_COMMANDS);

function writeWorkspaceFiles(): void {
  const llama = JSON.parse(readFixture('models/llama-2-7b/config.json')) as Record<string, unknown>;
  const root = workspaceRoot().fsPath;
  const put = (rel: string, text: string) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  put(MODEL, JSON.stringify({ ...llama, _name_or_path: NAME, torch_dtype: HOSTILE_STRINGS.formulaEquals }, null, 2));
  put(BROKEN, JSON.stringify({ _name_or_path: 'x', model_type: `${HOSTILE_STRINGS.icons} ${HOSTILE_STRINGS.rtlOverride} ${HOSTILE_STRINGS.openLink}`, hidden_size: 4096 }, null, 2));
  put(LONG, JSON.stringify({ ...llama, _name_or_path: HOSTILE_STRINGS.long }, null, 2));
  put(RUN, `name: "${HOSTILE_STRINGS.formulaPlus.replace(/"/g, '\\"')} [r](command:vscode.open)"\nconfig: "${MODEL_DIR}/config.json"\ntokens: 1T\n`);
}

/** Every link of a hover's Markdown, rendered as VS Code renders it: `command:<id>?<args>` → [id, args]. */
function hoverLinks(md: string): Array<{ command: string; args: unknown }> {
  return linkTargets(renderMarkdown(md)).map((href) => {
    const m = /^command:([A-Za-z.]+)(?:\?(.*))?$/.exec(href);
    assert.ok(m, `a hover link that is not a command link: ${href}`);
    return { command: m[1], args: m[2] === undefined ? undefined : JSON.parse(decodeURIComponent(m[2])) };
  });
}

function assertOnlyOwnLinks(md: string, what: string): void {
  const links = hoverLinks(md);
  assert.ok(links.length >= 3, `${what}: LIM Lens's own actions are there`);
  for (const l of links) {
    assert.ok(OWN_COMMANDS.has(l.command), `${what}: a link to ${l.command}, which LIM Lens does not make`);
    if (l.command === 'limLens.exportReport') assert.equal(l.args, undefined, `${what}: the export link carries no argument`);
    if (l.command === 'limLens.revealSource') {
      const [uri, line, col] = l.args as [string, number, number];
      assert.ok(vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(uri)), `${what}: a "read" link to a workspace file (${uri})`);
      assert.ok(Number.isInteger(line) && Number.isInteger(col));
    }
  }
}

suite('hostile workspace: crafted names and values stay text, and links stay LIM Lens’s', () => {
  suiteSetup(async () => {
    writeWorkspaceFiles();
    rmSync(OUTSIDE, { recursive: true, force: true });
    await activateExtension();
    await closeAllEditors();
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    rmSync(join(workspaceRoot().fsPath, DIR), { recursive: true, force: true });
    rmSync(OUTSIDE, { recursive: true, force: true });
  });

  test('hover on a config with a crafted model name: the name is shown as text; the only links are LIM Lens’s own', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri(MODEL));
    const md = await limHover(doc.uri, positionOf(doc, '"hidden_size"'));
    assertOnlyOwnLinks(md, 'model hover');
    const html = renderMarkdown(md);
    const text = shownText(html);
    // The title line shows the name as typed, cut at 80 characters, its override visible.
    assert.ok(text.includes(`LIM Lens — ${plainText(NAME, 80)}`), text.slice(0, 400));
    assert.ok(text.includes('[U+202E]') || !plainText(NAME, 80).includes('gnp'), 'the override is shown');
    assert.doesNotMatch(text, INVISIBLE_OR_REORDERING);
    // Icons: the first line's $(zap) and the actions' — none of the name's $(warning), $(zap), $(loading~spin).
    assert.deepEqual(liveIcons(html), ['$(zap)', '$(graph)', '$(chip)', '$(export)', '$(book)']);
    assert.doesNotMatch(html, /<(img|script|b)\b/);
    // A field whose value is a crafted path, in a run file whose name and file name are crafted: all text.
    const run = await vscode.workspace.openTextDocument(fixtureUri(RUN));
    const runMd = await limHover(run.uri, positionOf(run, 'config:'));
    assertOnlyOwnLinks(runMd, 'run file hover');
    const runHtml = renderMarkdown(runMd);
    const runText = shownText(runHtml);
    assert.ok(runText.includes(`config = ${MODEL_DIR}/config.json (${RUN_FILE_NAME}:2)`), runText.slice(0, 600));
    assert.ok(runText.includes(`LIM Lens — ${HOSTILE_STRINGS.formulaPlus} [r](command:vscode.open)`), runText.slice(0, 300));
    assert.deepEqual(liveIcons(runHtml), ['$(zap)', '$(graph)', '$(chip)', '$(export)', '$(book)']);
  });

  test('a config without an estimate: its error quotes the crafted model_type as text, in the hover, the CodeLens and Problems', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri(BROKEN));
    await vscode.window.showTextDocument(doc);
    const md = await limHover(doc.uri, positionOf(doc, '"model_type"'));
    const html = renderMarkdown(md);
    for (const l of hoverLinks(md)) assert.ok(OWN_COMMANDS.has(l.command), `link to ${l.command}`);
    assert.ok(!linkTargets(html).some((h) => h.includes('vscode.open') || h.startsWith('https:')), linkTargets(html).join(' '));
    assert.deepEqual(liveIcons(html), ['$(warning)', '$(graph)', '$(chip)', '$(export)', '$(book)']);
    assert.match(shownText(html), /unknown model_type/);
    // CodeLens titles render $(icon): the message's icons are escaped, only LIM Lens's $(warning) leads.
    const lens = await waitFor('the CodeLens', async () => (await codeLenses(doc.uri))[0]?.command?.title);
    assert.ok(lens.startsWith('$(warning) LIM Lens: '), lens);
    assert.equal(lens.replace(/^\$\(warning\) /, '').match(/(?<!\\)\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g), null, `an icon would render: ${lens}`);
    assert.ok(lens.includes(labelText('$(zap) $(warning) $(loading~spin)')), lens);
    // Problems: plain text with the override made visible.
    const problems = await waitFor('the problems', () => (limDiagnostics(doc.uri).length ? limDiagnostics(doc.uri) : undefined));
    for (const p of problems) assert.doesNotMatch(p.message, INVISIBLE_OR_REORDERING, p.message);
    assert.ok(problems.some((p) => p.message.includes('[U+202E]')), problems.map((p) => p.message).join('\n'));
  });

  test('a 100 KB model name is cut: the hover keeps its table and actions', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri(LONG));
    const md = await limHover(doc.uri, positionOf(doc, '"hidden_size"'));
    assert.ok(md.length < 6000, `hover of ${md.length} characters`);
    const text = shownText(renderMarkdown(md));
    assert.ok(text.includes(`${'A'.repeat(79)}…`), 'the name, cut with an ellipsis');
    assert.match(text, /Parameters N/);
    assertOnlyOwnLinks(md, 'long-name hover');
  });

  test('the hover as the editor draws it: no link or icon LIM Lens did not make', async function () {
    if (!uiAvailable()) {
      console.log('    skipped: drawing the hover needs the code-server runner (npm run test:integration)');
      this.skip();
    }
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri(MODEL)), { preview: false });
    await limHover(editor.document.uri, positionOf(editor.document, '"hidden_size"')); // the analysis is ready
    const pos = positionOf(editor.document, '"hidden_size"');
    editor.selection = new vscode.Selection(pos, pos);
    await vscode.commands.executeCommand('editor.action.showHover');
    const hover = '.monaco-hover:not(.hidden) .rendered-markdown';
    const texts = await ui<string[]>({ op: 'texts', selector: hover, hasText: 'LIM Lens' });
    const shown = texts.join('\n');
    assert.ok(shown.includes(plainText(NAME, 80)), shown.slice(0, 300));
    assert.doesNotMatch(shown, INVISIBLE_OR_REORDERING);
    const hrefs = await ui<Array<string | null>>({ op: 'attrs', selector: `${hover} a`, attribute: 'data-href' });
    assert.ok(hrefs.length >= 4, `the hover's links: ${hrefs.join(' ')}`);
    for (const h of hrefs) {
      const command = /^command:([A-Za-z.]+)/.exec(h ?? '')?.[1];
      assert.ok(command && OWN_COMMANDS.has(command), `a drawn link LIM Lens did not make: ${h}`);
    }
    // Icons drawn: LIM Lens's four (zap, graph, chip, export), none from the name.
    const icons = await ui<Array<string | null>>({ op: 'attrs', selector: `${hover} .codicon`, attribute: 'class' });
    const names = icons.map((c) => /codicon-([a-z-]+)/.exec(c ?? '')?.[1]).filter(Boolean);
    assert.deepEqual(names.sort(), ['book', 'chip', 'export', 'graph', 'zap'], icons.join(' | '));
    await sleep(200);
    await screenshot('integration-hostile-hover');
    await vscode.commands.executeCommand('editor.action.hideHover').then(undefined, () => undefined);
  });

  test('the attack’s own link, run as a click would: the export asks where to save and writes nothing outside', async () => {
    const { testHooks } = await activateExtension();
    const asked = testHooks.saveDialog.asked.length;
    testHooks.saveDialog.answers.push(undefined); // the person cancels the dialog
    // What the crafted link asked for: CSV to a file:// path outside the workspace.
    const args = JSON.parse(decodeURIComponent(/\?([^)]*)\)/.exec(HOSTILE_STRINGS.commandLink)?.[1] ?? '')) as unknown[];
    const outside = vscode.Uri.file(join(OUTSIDE, 'x.csv'));
    const result = await vscode.commands.executeCommand('limLens.exportReport', ...args, outside);
    assert.equal(result, undefined);
    assert.equal(testHooks.saveDialog.asked.length, asked + 1, 'the save dialog was shown');
    assert.ok(!existsSync(OUTSIDE), `${OUTSIDE} was created`);
    assert.ok(!existsSync('/tmp/pwned'), '/tmp/pwned was created');
    // The "read" link command opens workspace files only.
    const before = vscode.window.activeTextEditor?.document.uri.toString();
    await vscode.commands.executeCommand('limLens.revealSource', 'file:///etc/passwd', 0, 0);
    await vscode.commands.executeCommand('limLens.revealSource', 'https://evil.example/', 0, 0);
    await vscode.commands.executeCommand('limLens.revealSource', fixtureUri(MODEL).toString(), 'x', {});
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), before, 'nothing was opened');
    await vscode.commands.executeCommand('limLens.revealSource', fixtureUri(MODEL).toString(), 8, 2);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), fixtureUri(MODEL).toString());
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, 8);
  });

  test('exports are inert: CSV cells that a spreadsheet would run are text, Markdown renders the names as text', async () => {
    const { testHooks, index } = await activateExtension();
    await index.rescan();
    await waitFor('the index to list the hostile run file', () => index.list().find((r) => r.uri.endsWith(encodeURIComponent(RUN_FILE_NAME)) || r.relativePath.endsWith(RUN_FILE_NAME)));
    const out = vscode.Uri.joinPath(workspaceRoot(), 'exports-hostile');
    try {
      testHooks.saveDialog.answers.push(vscode.Uri.joinPath(out, 'report.csv'));
      await vscode.commands.executeCommand('limLens.exportReport', 'csv');
      testHooks.saveDialog.answers.push(vscode.Uri.joinPath(out, 'report.md'));
      await vscode.commands.executeCommand('limLens.exportReport', 'markdown');
      const csv = readFileSync(join(out.fsPath, 'report.csv'), 'utf8');
      // Split RFC 4180 cells; no cell may start with a formula character, and the run file's row is there.
      const cells = [...csv.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,\n]*)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
      for (const c of cells) assert.doesNotMatch(c, /^\s*[=+\-@]/, `a CSV cell a spreadsheet would evaluate: ${c}`);
      assert.ok(csv.includes(RUN_FILE_NAME), 'the run file is in the report');
      const md = readFileSync(join(out.fsPath, 'report.md'), 'utf8');
      const html = renderMarkdown(md);
      assert.deepEqual(linkTargets(html), [], 'a link in the Markdown report');
      assert.doesNotMatch(html, /<(img|script)\b/);
      assert.ok(shownText(html).includes(RUN_FILE_NAME), 'the run file name, as text');
    } finally {
      rmSync(out.fsPath, { recursive: true, force: true });
    }
  });

  test('the Training Runs view shows the crafted names as text, overrides visible', async function () {
    if (!uiAvailable()) {
      console.log('    skipped: reading the sidebar needs the code-server runner (npm run test:integration)');
      this.skip();
    }
    await vscode.commands.executeCommand('limLens.runs.focus');
    const labels = await ui<string[]>({ op: 'texts', selector: '.run-label', webview: 'sidebar', timeoutMs: 30_000 });
    const hostile = labels.find((l) => l.includes('Export report'));
    assert.ok(hostile, labels.join(' | '));
    assert.equal(hostile, plainText(NAME, 120));
    for (const l of labels) assert.doesNotMatch(l, INVISIBLE_OR_REORDERING, l);
    assert.equal(await ui<number>({ op: 'count', selector: '.run a, .run img, .run script', webview: 'sidebar' }), 0);
    await screenshot('integration-hostile-sidebar');
  });
});
