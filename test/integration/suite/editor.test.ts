// Hover and CodeLens on the fixture configs, in a real editor: the numbers they show are the engine's (src/core
// computes the expected report for the same file and settings here, in the test).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fieldAtOffset, parseConfigText } from '../../../src/core/configs';
import { fieldSensitivity } from '../../../src/core/estimate';
import { formatBound, formatChange, formatCO2, formatCount, formatDeviceHours, formatEnergy } from '../../../src/core/units/format';
import { markdownText } from '../../../src/core/text/escape';
import { glossaryLine } from '../../../src/core/glossary';
import { activateExtension, assertClose, closeAllEditors, codeLenses, coreAnalysis, expectedLensTitle, fixtureUri, hoverTexts, limHover, openFixture, positionOf, readFixture, screenshot, siblingsOf, sleep, tabsLabelled, waitFor, LLAMA_LENS, suiteWithCleanEditors } from './helpers';

const LLAMA = 'models/llama-2-7b/config.json';

/** The sensitivity line the hover shows for a field, from the core. */
function sensitivityOf(relPath: string, fieldText: string) {
  const uri = fixtureUri(relPath);
  const text = readFixture(relPath);
  const analysis = coreAnalysis(relPath);
  const field = fieldAtOffset(analysis.fields, uri.path, text.indexOf(fieldText) + 1);
  assert.ok(field, `the core reads ${fieldText} in ${relPath}`);
  const s = fieldSensitivity(parseConfigText(uri.path, text), field, { readSibling: siblingsOf(relPath) });
  assert.ok(s?.halved && s.doubled, `the core gives a halved and a doubled estimate for ${field.field}`);
  return { field, s: { ...s, halved: s.halved, doubled: s.doubled } };
}

suite('editor: hover and CodeLens on the fixture configs', () => {
  suiteWithCleanEditors();

  test('Llama-2-7B config.json: the CodeLens says "≈ 2.94 MWh · 3.82K device-hours on H100 SXM · 1.13 t CO₂ · tokens defaulted: 20 per parameter · LIM bound 847 J", the core’s numbers', async () => {
    const editor = await openFixture(LLAMA);
    const core = coreAnalysis(LLAMA);
    const r = core.report;
    assert.ok(r, 'the core estimates the Llama-2-7B config');
    assert.equal(r.params.total, 6_738_415_616, 'N for Llama-2-7B (exact count)');
    const lenses = await waitFor('the CodeLenses', async () => {
      const l = await codeLenses(editor.document.uri);
      return l.length >= 2 ? l : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.equal(titles[0], expectedLensTitle(r));
    assert.equal(titles[0], LLAMA_LENS);
    assert.equal(titles[1], '$(chip) change hardware');
    assert.equal(lenses[0].range.start.line, 0, 'at the top of the file');
    assert.equal(lenses[0].command?.command, 'limLens.openDashboard');
    assert.deepEqual(lenses[0].command?.arguments, [editor.document.uri.toString()]);
    assert.equal(lenses[1].command?.command, 'limLens.selectHardware');
    // The same report as the core, number for number, through the worker.
    const { analysis } = await activateExtension();
    const full = await analysis.analyzeDocument(editor.document);
    assert.ok(full.analysis.report);
    assert.equal(full.analysis.report.params.total, r.params.total);
    assert.equal(full.analysis.report.flops, r.flops);
    assertClose(full.analysis.report.accelerator.energyJ, r.accelerator.energyJ, 1e-12, 'accelerator energy (J)');
    assertClose(full.analysis.report.bounds?.lim ?? NaN, r.bounds?.lim ?? NaN, 1e-12, 'LIM bound (J)');
    await sleep(500); // let the lens reach the screen
    await screenshot('integration-codelens');
  });

  test('the CodeLens runs its command: "Open in dashboard" opens the dashboard on this file', async () => {
    const editor = await openFixture(LLAMA);
    const [lens] = await codeLenses(editor.document.uri);
    assert.ok(lens.command);
    const { testHooks } = await activateExtension();
    const since = Date.now();
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    const energy = await waitFor('the dashboard to be sent this file’s energy view', () => {
      const m = testHooks.lastPosted('dashboard', 'energy');
      return m && m.at >= since && (m.message.view as { selection: string }).selection === editor.document.uri.toString() ? m : undefined;
    });
    const view = energy.message.view as { title: string };
    assert.match(view.title, /Llama-2-7b-hf — models\/llama-2-7b\/config\.json/);
    assert.equal(tabsLabelled('LIM Lens Dashboard').length, 1);
    await closeAllEditors();
  });

  test('hovering "hidden_size": line 1 the answer (energy, device-hours, CO₂, the caveat), line 2 the field with tokens held, the actions, then the table', async () => {
    const editor = await openFixture(LLAMA);
    const r = coreAnalysis(LLAMA).report;
    assert.ok(r);
    const md = await limHover(editor.document.uri, positionOf(editor.document, '"hidden_size"'));
    const [line1, line2, actions] = md.split(/\n\s*\n/);
    // Line 1: what the run costs, first; no device count in the file, so device-hours, never a wall-clock time.
    assert.equal(line1, `$(zap) **≈ ${formatEnergy(r.accelerator.energyJ)}** · ${formatDeviceHours(r.accelerator.deviceHours)} on H100 SXM · ${formatCO2(r.accelerator.co2Kg)} · *tokens defaulted\\: 20 per parameter*`);
    // Line 2: the field, where it was read, and the estimate at half and double the value with D held at 135B.
    const line = editor.document.lineAt(positionOf(editor.document, '"hidden_size"').line).lineNumber + 1;
    const { s } = sensitivityOf(LLAMA, '"hidden_size"');
    assert.equal(s.halved.value, 2048);
    assert.equal(s.doubled.value, 8192);
    assert.equal(s.tokens.mode, 'held');
    assert.ok(s.halved.energyJ < s.base.energyJ && s.base.energyJ < s.doubled.energyJ, 'a wider model costs more');
    assert.equal(
      line2,
      `**${markdownText('hidden_size')}** = 4096 (config.json:${line}) — halved (2,048): **${formatChange(s.halved.energyJ / s.base.energyJ - 1)}** energy (${formatCount(s.halved.params)} parameters) · ` +
        `doubled (8,192): **${formatChange(s.doubled.energyJ / s.base.energyJ - 1)}** energy (${formatCount(s.doubled.params)} parameters) · tokens held at ${formatCount(r.tokens!)}`,
    );
    // Then the actions (trusted for these commands only), the glossary link last.
    assert.match(actions, /^\[\$\(graph\) Open in dashboard\]\(command:limLens\.openDashboard\?/);
    assert.match(actions, /\(command:limLens\.selectHardware/);
    assert.ok(actions.endsWith('[$(book) Glossary](command:limLens.showGlossary "What do these numbers mean?")'), actions);
    // Below the rule, the table: each row's label links to the glossary page, its tooltip the term's glossary line.
    assert.match(md, /\*\*LIM Lens\*\* — meta-llama\/Llama-2-7b-hf/);
    assert.ok(md.indexOf('| [**Parameters N**]') > md.indexOf('Glossary]'), 'the table comes after the actions');
    assert.ok(md.includes(`| [**Parameters N**](command:limLens.showGlossary "${markdownText(glossaryLine('params'), 300)}") | 6.74B total |`), md);
    assert.ok(md.includes(`≈ **${formatEnergy(r.accelerator.energyJ)}** on H100 SXM (1 device assumed)`), md);
    assert.ok(md.includes(`| [**LIM bound**](command:limLens.showGlossary "${markdownText(glossaryLine('limBound'), 300)}") | ${formatBound(r.bounds?.lim ?? NaN)} |`), md);
    // The defaults in words, never internal keys or JSON.
    assert.ok(md.includes('*Assumed:* 1 device \\(none in the file\\) · H100 SXM \\(none in the file\\) · 20 tokens per parameter \\(Chinchilla\\)'), md);
    assert.ok(!/tokensPerParameter|hardwareId|"kind"/.test(md), md);
  });

  test('a field the estimate scales with linearly: Axolotl max_steps 400 → halved −50 %, doubled +100 %, and D changes with it', async () => {
    const rel = 'axolotl/qlora.yml';
    const editor = await openFixture(rel);
    assert.equal(editor.document.languageId, 'yaml');
    const md = await limHover(editor.document.uri, positionOf(editor.document, 'max_steps'));
    const { s } = sensitivityOf(rel, 'max_steps');
    assertClose(s.halved.energyJ / s.base.energyJ, 0.5, 1e-9, 'energy at half the steps');
    assertClose(s.doubled.energyJ / s.base.energyJ, 2, 1e-9, 'energy at double the steps');
    assert.equal(s.tokens.mode, 'tied');
    const line2 = md.split(/\n\s*\n/)[1];
    assert.ok(line2.startsWith(`**${markdownText('max_steps')}** = 400`), line2);
    assert.ok(line2.includes('halved (200): **−50 %** energy · doubled (800): **+100 %** energy · tokens change with it (D = steps \\(400\\)'), line2);
  });

  test('every fixture config gets a CodeLens with the core’s energy (JSON, JSONC, YAML, shell, run files)', async () => {
    const files = [
      LLAMA,
      'models/mixtral-8x7b/config.json',
      'finetune/training_args.json',
      'axolotl/qlora.yml',
      'pretrain/pretrain_gpt_1.3b.sh',
      'runs/llama-2-7b-pretrain.lim.yaml',
      'runs/mixtral-what-if.lim.yaml',
    ];
    for (const rel of files) {
      const doc = await vscode.workspace.openTextDocument(fixtureUri(rel));
      const r = coreAnalysis(rel).report;
      assert.ok(r, `the core estimates ${rel}`);
      const titles = await waitFor(`the CodeLens of ${rel}`, async () => {
        const t = (await codeLenses(doc.uri)).map((l) => l.command?.title ?? '');
        return t.length > 0 ? t : undefined;
      });
      assert.equal(titles[0], expectedLensTitle(r), `${rel} (${doc.languageId})`);
    }
    // The published Llama-2 run: 184,320 A100 device-hours at 400 W and PUE 1.1, read from the run file.
    const llamaRun = coreAnalysis('runs/llama-2-7b-pretrain.lim.yaml').report;
    assert.ok(llamaRun);
    assertClose(llamaRun.accelerator.energyJ, 184_320 * 3600 * 400 * 1.1, 1e-9, 'Llama-2-7B pre-training energy (J)');
    assert.equal(llamaRun.params.total, 6_738_415_616);
  });

  test('the hover on a run file follows its config: into the model’s config.json', async () => {
    const rel = 'runs/llama-2-7b-pretrain.lim.yaml';
    const editor = await openFixture(rel);
    const md = await limHover(editor.document.uri, positionOf(editor.document, 'device_hours', 0));
    assert.match(md, /\*\*LIM Lens\*\* — Llama-2-7B pre-training/);
    assert.match(md, /6\.74B total/);
    // The published 184,320 A100-hours: the time as stated, without a wall-clock time from an assumed device count.
    assert.ok(md.startsWith('$(zap) **≈ 81.1 MWh** · 184K device-hours on A100 SXM 80GB · 31.2 t CO₂'), md);
    assert.ok(md.includes(`**${markdownText('device_hours')}** = 184320`), md);
    // Energy through the time route is proportional to the device-hours.
    assert.ok(md.includes('halved (92,160): **−50 %** energy · doubled (368,640): **+100 %** energy'), md);
    await sleep(300);
    await screenshot('integration-hover-run-file');
  });

  test('no LIM Lens hover or CodeLens on files that are not configs (the workspace package.json)', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri('package.json'));
    await vscode.window.showTextDocument(doc);
    const texts = await hoverTexts(doc.uri, positionOf(doc, '"scripts"'));
    assert.ok(!texts.some((t) => t.includes('LIM Lens')), texts.join('\n'));
    // (VS Code's JavaScript debugger puts its own "Debug" lens on npm scripts.)
    const ours = (await codeLenses(doc.uri)).filter((l) => /^limLens\.|^workbench\.actions\.view\.problems$/.test(l.command?.command ?? ''));
    assert.deepEqual(ours.map((l) => l.command?.title), []);
  });
});
