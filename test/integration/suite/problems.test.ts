// The Problems panel: malformed configs written into the workspace at test time get LIM Lens diagnostics at the
// right line, naming the field; the extension host keeps running and the other features keep working.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownText } from '../../../src/core/text/escape';
import { activateExtension, codeLenses, fixtureUri, hoverTexts, limDiagnostics, openFixture, positionOf, screenshot, sleep, waitFor, LLAMA_LENS, suiteWithCleanEditors } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);

const BAD_VALUE = `{
  "model_type": "llama",
  "hidden_size": 4096,
  "intermediate_size": 11008,
  "num_attention_heads": 32,
  "num_hidden_layers": -32,
  "vocab_size": 32000
}
`;

const WRONG_TYPE = `{
  "model_type": "llama",
  "hidden_size": "lots",
  "intermediate_size": 11008,
  "num_attention_heads": 32,
  "num_hidden_layers": 32,
  "vocab_size": 32000
}
`;

const BAD_YAML_RUN = `name: broken run
params: 7B
tokens: [1T
hardware: h100
`;

const UNKNOWN_HARDWARE_RUN = `name: typo in the hardware
params: 7B
tokens: 1T
hardware: h900
`;

/** Writes a file into the throwaway workspace, opens it, and waits for LIM Lens's diagnostics on it. */
async function openBroken(rel: string, text: string, what = 'a LIM Lens diagnostic'): Promise<{ doc: vscode.TextDocument; diags: vscode.Diagnostic[] }> {
  const uri = fixtureUri(rel);
  await vscode.workspace.fs.writeFile(uri, enc(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  const diags = await waitFor(`${what} on ${rel}`, () => {
    const d = limDiagnostics(uri);
    return d.length > 0 ? d : undefined;
  });
  return { doc, diags };
}

suite('problems: malformed configs', () => {
  const written: string[] = [];
  suiteWithCleanEditors(async () => {
    for (const rel of written) await vscode.workspace.fs.delete(fixtureUri(rel), { recursive: true }).then(undefined, () => undefined);
  });

  test('an impossible value (num_hidden_layers: -32) is an error at its line, naming the field', async () => {
    written.push('models/broken');
    const { doc, diags } = await openBroken('models/broken/config.json', BAD_VALUE);
    const d = diags.find((x) => String(x.code).includes('num_hidden_layers'));
    assert.ok(d, `a diagnostic names num_hidden_layers: ${diags.map((x) => `${x.code} ${x.message}`).join(' | ')}`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, positionOf(doc, '"num_hidden_layers"').line, 'on the line of the field');
    assert.equal(d.code, 'bad-value (num_hidden_layers)');
    assert.match(d.message, /num_hidden_layers must be greater than 0, got -32/);
    // The CodeLens says there is no estimate and points at the Problems panel.
    const lenses = await codeLenses(doc.uri);
    assert.equal(lenses.length, 1);
    assert.match(lenses[0].command?.title ?? '', /^\$\(warning\) LIM Lens: num_hidden_layers must be greater than 0/);
    assert.equal(lenses[0].command?.command, 'workbench.actions.view.problems');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await sleep(500);
    await screenshot('integration-problems');
  });

  test('a string where a number belongs (hidden_size: "lots") is an error at its line, naming the field', async () => {
    written.push('models/broken-type');
    const { doc, diags } = await openBroken('models/broken-type/config.json', WRONG_TYPE);
    assert.equal(diags.length, 1, diags.map((x) => x.message).join(' | '));
    assert.equal(diags[0].code, 'wrong-type (hidden_size)');
    assert.equal(diags[0].range.start.line, positionOf(doc, '"hidden_size"').line);
    assert.match(diags[0].message, /hidden_size must be a number/);
    // A hover on a field that was read explains why there is no estimate, with file, line and field.
    const md = (await hoverTexts(doc.uri, positionOf(doc, '"vocab_size"'))).find((t) => t.includes('LIM Lens'));
    assert.ok(md, 'a LIM Lens hover on the field');
    assert.match(md, /no estimate for this file/);
    assert.ok(md.includes(`config.json:3:3 *${markdownText('hidden_size')}*: ${markdownText('hidden_size must be a number')}`), md);
  });

  test('editing the field to a valid value clears the problem and brings the estimate back', async () => {
    const uri = fixtureUri('models/broken-type/config.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const start = doc.getText().indexOf('"lots"');
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(start), doc.positionAt(start + 6)), '4096'));
    await waitFor('the problem to clear', () => limDiagnostics(uri).length === 0);
    const titles = await waitFor('the CodeLens with an estimate', async () => {
      const t = (await codeLenses(uri)).map((l) => l.command?.title ?? '');
      return t[0]?.startsWith('$(zap) ≈ ') ? t : undefined;
    });
    assert.match(titles[0], / device-hours on H100 SXM · .* CO₂ · .* · LIM bound /);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('an unknown hardware name in a run file is an error on its line naming "hardware"', async () => {
    written.push('runs/typo.lim.yaml');
    const { doc, diags } = await openBroken('runs/typo.lim.yaml', UNKNOWN_HARDWARE_RUN);
    const d = diags.find((x) => String(x.code).includes('(hardware)'));
    assert.ok(d, diags.map((x) => `${x.code} ${x.message}`).join(' | '));
    assert.equal(d.range.start.line, positionOf(doc, 'hardware:', 0).line);
    assert.match(d.message, /unknown hardware "h900" \(known: v100, a100, h100/);
  });

  test('a run file that is not valid YAML gets a syntax error at the line the parser stopped', async () => {
    written.push('runs/broken.lim.yaml');
    const { diags } = await openBroken('runs/broken.lim.yaml', BAD_YAML_RUN, 'a YAML syntax diagnostic');
    assert.equal(diags.length, 1, diags.map((x) => x.message).join(' | '));
    assert.equal(diags[0].code, 'yaml-syntax');
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(diags[0].message, /^invalid YAML/);
    assert.ok([2, 3].includes(diags[0].range.start.line), `line ${diags[0].range.start.line + 1}: the flow sequence opened on line 3 is not closed`);
  });

  test('after all that, the extension host still answers: hover, CodeLens and the worker work on a good config', async () => {
    const { worker } = await activateExtension();
    const editor = await openFixture('models/llama-2-7b/config.json');
    const texts = await waitFor('the hover on a good config', async () => (await hoverTexts(editor.document.uri, positionOf(editor.document, '"vocab_size"'))).find((t) => t.includes('**LIM Lens**')));
    assert.match(texts, /6\.74B total/);
    const titles = (await codeLenses(editor.document.uri)).map((l) => l.command?.title);
    assert.equal(titles[0], LLAMA_LENS);
    const bounds = await worker.run('bounds', { params: 1e9, flops: 6e18 });
    assert.ok(bounds.energy.lim > 0);
    // The good files have no LIM Lens problems.
    assert.deepEqual(limDiagnostics(editor.document.uri), []);
  });
});
