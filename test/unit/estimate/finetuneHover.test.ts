// The hover of a fine-tune without a total: every figure says its unit, "no total" is shown, and what the file says
// (a dataset's name in the warning, the evidence) is escaped as every file string of the hover is (markdownText).
// The `vscode` module is replaced by the two members the hover's Markdown uses (./vscodeStub), so it renders outside
// the editor.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HOSTILE_STRINGS } from '../../hostileStrings';
import { linkTargets, renderMarkdown, shownText } from '../../markdownView';
import { estimateText, fixturePath } from '../configs/fixtures';
import { markdownText } from '../../../src/core/text/escape';
import { glossaryLine } from '../../../src/core/glossary';
import { stubUri, type MarkdownString } from './vscodeStub';

const uri = stubUri('/w/dpo.yml');

describe('hover of a fine-tune without a total', () => {
  test('says "no total", labels each figure per unit, names what to add, and shows a crafted dataset name as text', async () => {
    const { hoverMarkdown } = await import('../../../src/extension/hoverMarkdown');
    const text = readFileSync(fixturePath('axolotl/llama-3-instruct-dpo-lora-8b.yml'), 'utf8').replace('fozziethebeat/alpaca_messages_2k_dpo_test', JSON.stringify(HOSTILE_STRINGS.commandLink));
    const a = estimateText('/w/dpo.yml', text);
    assert.ok(a.report?.perRows, 'no total');
    const md = hoverMarkdown(a, uri as never, 'run-1') as unknown as MarkdownString;
    const html = renderMarkdown(md.value);
    const shown = shownText(html);
    assert.match(shown, /no total/);
    assert.match(shown, /per 1,000 rows/);
    assert.match(shown, /No total:/);
    assert.match(shown, /sequence_len/);
    // The crafted name is shown as the text it is; no link but the hover's own commands.
    assert.ok(shown.includes('command:limLens.exportReport?'), 'the crafted link is visible as text');
    for (const target of linkTargets(html)) assert.match(target, /^command:(limLens\.(openDashboard|selectHardware|exportReport|revealSource|showGlossary)|workbench\.action\.openSettings)(\?|$)/, target);
    assert.ok(!linkTargets(html).some((t) => t.includes('pwned')), 'the crafted link is not a link');
    // The glossary: one short link at the end of the actions line, and the rows' labels link to it with their term's
    // glossary line as the link title (no extra text in the hover).
    assert.match(md.value, /· \[\$\(book\) Glossary\]\(command:limLens\.showGlossary "What do these numbers mean\?"\)$/m);
    assert.ok(md.value.includes(`| [**Parameters N**](command:limLens.showGlossary "${markdownText(glossaryLine('params'), 300)}") |`), md.value);
    assert.ok(shown.includes('Glossary'));
    assert.ok(!/ — The number of trainable weights/.test(md.value), 'the glossary line is a link title only');
  });
});
