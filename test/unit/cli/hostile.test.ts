// `lim-lens estimate` on a folder of crafted configs: names, file names and values that are Markdown links, HTML,
// spreadsheet formulas, terminal escape sequences and right-to-left overrides. The table reaches the terminal
// without a control character, the Markdown renders without a link, and no CSV cell is a formula.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cliProcess';
import { fixturePath } from '../configs/fixtures';
import { HOSTILE_STRINGS, INVISIBLE_OR_REORDERING } from '../../hostileStrings';
import { linkTargets, renderMarkdown } from '../../markdownView';

describe('lim-lens estimate on a hostile folder', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lim-lens-hostile-'));
    const llama = JSON.parse(readFileSync(fixturePath('hf/llama-2-7b/config.json'), 'utf8')) as Record<string, unknown>;
    const put = (rel: string, text: string) => {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    put('=cmd|calc!A0 [x](command:limLens.exportReport)/config.json', JSON.stringify({ ...llama, _name_or_path: HOSTILE_STRINGS.commandLink }));
    put('esc/config.json', JSON.stringify({ ...llama, torch_dtype: `\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 ${HOSTILE_STRINGS.rtlOverride}` }));
    put('broken/config.json', JSON.stringify({ model_type: `${HOSTILE_STRINGS.formulaEquals} ${HOSTILE_STRINGS.controls}`, hidden_size: 8 }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('table: no control or bidirectional character reaches the terminal; the crafted values are shown visibly', () => {
    const r = runCli(['estimate', dir]);
    assert.equal(r.status, 1, `exit 1: the folder has problems (${r.stderr})`);
    // Only line feeds: no ESC (colours, OSC 8 hyperlinks, cursor moves), BEL, CR or override.
    assert.doesNotMatch(r.stdout.replace(/\n/g, ''), INVISIBLE_OR_REORDERING);
    assert.match(r.stdout, /c\[U\+001B\]\[31mred\[U\+001B\]\[0m/);
    assert.match(r.stdout, /safe\[U\+202E\]gnp\.exe/);
  });

  test('--markdown: renders with no link, image or HTML made of a file’s strings', () => {
    const r = runCli(['estimate', dir, '--markdown']);
    assert.equal(r.status, 1, `exit 1: the folder has problems (${r.stderr})`);
    const html = renderMarkdown(r.stdout);
    assert.deepEqual(linkTargets(html), []);
    assert.doesNotMatch(html, /<(img|script|code|em|del)\b/);
    assert.match(html, /=cmd\|calc!A0 \[x\]\(command:limLens\.exportReport\)\/config\.json/);
  });

  test('--csv: no cell starts with a formula character; the crafted ones start with a quote', () => {
    const r = runCli(['estimate', dir, '--csv']);
    assert.equal(r.status, 1, `exit 1: the folder has problems (${r.stderr})`);
    const cells = [...r.stdout.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,\n]*)/gm)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
    for (const c of cells) assert.doesNotMatch(c, /^\s*[=+\-@]/, c);
    assert.doesNotMatch(r.stdout.replace(/\n/g, ''), INVISIBLE_OR_REORDERING);
  });
});
