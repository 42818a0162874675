// The hover answers first, on real configs from public repositories: line 1 the run's energy, time and CO₂ with its
// main caveat; line 2 the field under the cursor and its effect with what was held fixed; then the actions; then the
// table and the assumptions in words. Sensitivities hold the run's tokens unless the file ties them to the field.
import './vscodeStub';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { linkTargets, liveIcons, renderMarkdown, shownText } from '../../markdownView';
import { HOSTILE_STRINGS, INVISIBLE_OR_REORDERING } from '../../hostileStrings';
import { parseConfigText } from '../../../src/core/configs/parse';
import { stubUri, type MarkdownString } from './vscodeStub';
import { analysePath, realFile, realworldSkip } from './realFiles';
import { fixturePath } from '../configs/fixtures';
import { formatCO2, formatChange, formatCount, formatDeviceHours, formatDuration, formatEnergy } from '../../../src/core/units/format';
import { analyzeParsedDocument, fieldSensitivity, jsonRecord, measuredText, reportTable, runHeadline, type DocumentAnalysis, type FieldSensitivity } from '../../../src/core/estimate';
import type { FieldRef } from '../../../src/core/configs';

const hoverOf = async (a: DocumentAnalysis, field?: FieldRef, sensitivity?: FieldSensitivity) => {
  const { hoverMarkdown } = await import('../../../src/extension/hoverMarkdown');
  const md = hoverMarkdown(a, stubUri(a.file) as never, 'run', field, sensitivity) as unknown as MarkdownString;
  return md.value;
};

/** The hover's paragraphs (blank-line separated), as Markdown. */
const paragraphs = (md: string) => md.split(/\n\s*\n/).map((p) => p.trim());

/** Raw integers of ten or more digits with separators ("7,500,000,000,000"): the hover writes counts as 7.5T. */
const RAW_BIG_INTEGER = /\d{1,3}(,\d{3}){3,}/;

describe('the hover answers first (real configs)', { skip: realworldSkip }, () => {
  test('Llama-2-7B config.json on hidden_size: energy, device-hours and CO₂ first, the field second with tokens held, actions, then the table; defaults in words', async () => {
    const f = realFile('hf-config/HamZil__Llama-2-7b-hf__config.json');
    const r = f.analysis.report!;
    const { field, sensitivity } = f.field('hidden_size');
    const md = await hoverOf(f.analysis, field, sensitivity);
    const [line1, line2, actions, rule] = paragraphs(md);
    const a = r.accelerator;
    // No device count in a model's config.json: the time is device-hours, never a wall-clock time on one device.
    assert.equal(a.devicesAssumed, true);
    assert.equal(a.wallClockHours, undefined);
    assert.ok(line1.startsWith(`$(zap) **≈ ${formatEnergy(a.energyJ)}**`), line1);
    assert.ok(line1.includes(formatDeviceHours(a.deviceHours)), line1);
    assert.ok(line1.includes(formatCO2(a.co2Kg)), line1);
    assert.ok(!/years|days|wall-clock/.test(line1), line1);
    assert.match(line1, /tokens defaulted\\: 20 per parameter/);
    // 20 tokens per parameter of 6,738,415,616 (the checkpoint's parameter count).
    assert.equal(r.params.total, 6_738_415_616);
    assert.equal(r.tokens, 20 * 6_738_415_616);
    // Line 2: the field and what halving and doubling it does, with D held at the run's 135B tokens.
    assert.ok(line2.startsWith('**hidden\\_size** = 4096'), line2);
    assert.equal(sensitivity.tokens.mode, 'held');
    assert.equal(sensitivity.halved!.tokens, r.tokens);
    assert.equal(sensitivity.doubled!.tokens, r.tokens);
    assert.ok(line2.includes(`tokens held at ${formatCount(r.tokens!)}`), line2);
    assert.ok(line2.includes(formatChange(sensitivity.halved!.energyJ / sensitivity.base.energyJ - 1)), line2);
    // With D held, energy follows 6·N·D + attention: halving d (4,096 → 2,048) takes N from 6.74B to 2.83B.
    assert.ok(sensitivity.halved!.params < 0.45 * r.params.total && sensitivity.halved!.params > 0.4 * r.params.total, String(sensitivity.halved!.params));
    assert.ok(!/does not depend|grows as/.test(line2), line2);
    // Then the actions, then the table under a rule.
    assert.match(actions, /Open in dashboard.*Change hardware.*Export report.*Glossary/);
    assert.equal(rule, '---');
    assert.ok(md.indexOf('| [**Parameters N**]') > md.indexOf('Export report'), 'the table comes after the actions');
    // Defaults in words, never keys or JSON.
    const assumed = paragraphs(md).find((p) => p.startsWith('*Assumed:*'))!;
    for (const words of ['1 device \\(none in the file\\)', '20 tokens per parameter \\(Chinchilla\\)', 'H100 SXM \\(none in the file\\)']) assert.ok(assumed.includes(words), `${words} in ${assumed}`);
    assert.ok(!/tokensPerParameter|hardwareId|power-law|\{|"/.test(assumed), assumed);
    // What a person reads has no raw 10-digit integers (link titles may hold the formula's exact numbers).
    assert.ok(!RAW_BIG_INTEGER.test(shownText(renderMarkdown(md))), shownText(renderMarkdown(md)));
  });

  test('DeepSeek-R1 (MoE): tokens from the active parameters; more routed experts at the same top-k barely move the energy, more experts per token do', async () => {
    const f = realFile('hf-config/itounagi0116__DeepSeek-R1__config.json');
    const r = f.analysis.report!;
    // 671B total, 37.6B active (the published figures for DeepSeek-V3/R1: 671B and 37B activated per token).
    assert.ok(r.params.total > 6.7e11 && r.params.total < 6.72e11, String(r.params.total));
    assert.ok(r.params.active > 3.7e10 && r.params.active < 3.8e10, String(r.params.active));
    assert.equal(r.tokens, 20 * r.params.active);
    assert.match(r.assumptions.find((x) => x.name === 'tokensPerParameter')!.reason, /active parameters/);
    const experts = f.field('n_routed_experts');
    // Before, D followed the total parameters and the energy grew as n_routed_experts^0.976. At a fixed top-k, more
    // experts add only the router's weights to each token's work.
    assert.equal(experts.sensitivity.tokens.mode, 'held');
    assert.ok(Math.abs(experts.sensitivity.energyElasticity!) < 0.01, String(experts.sensitivity.energyElasticity));
    assert.ok(experts.sensitivity.doubled!.params > 1.3e12, 'the total parameters do double the experts');
    const md = await hoverOf(f.analysis, experts.field, experts.sensitivity);
    const line2 = paragraphs(md)[1];
    assert.ok(line2.startsWith('**n\\_routed\\_experts** = 256'), line2);
    // A small, real change is a percentage, never "does not depend on this field".
    assert.ok(line2.includes(formatChange(experts.sensitivity.doubled!.energyJ / experts.sensitivity.base.energyJ - 1)), line2);
    assert.ok(!/does not depend|grows as/.test(line2), line2);
    assert.match(paragraphs(md)[0], /tokens defaulted\\: 20 per active parameter/);
    const topk = f.field('num_experts_per_tok');
    assert.ok(topk.sensitivity.energyElasticity! > 0.4, `top-k moves the work per token: ${topk.sensitivity.energyElasticity}`);
  });

  test('Megatron Llama-3-8B: 8 GPUs from --nproc_per_node, a wall-clock time; --seq-length ties the tokens (train-samples × seq-length) and the hover says so', async () => {
    const f = realFile('megatron/NVIDIA__Megatron-LM__examples__llama__train_llama3_8b_h100_fp8.sh');
    const r = f.analysis.report!;
    assert.equal(r.accelerator.devices, 8);
    assert.equal(r.accelerator.devicesAssumed, false);
    // --train-samples 1,953,125,000 × 8,192 = 16T tokens, as the script says.
    assert.equal(r.tokens, 1_953_125_000 * 8192);
    const { field, sensitivity } = f.field('--seq-length');
    assert.equal(sensitivity.tokens.mode, 'tied');
    assert.match(sensitivity.tokens.formula!, /--seq-length/);
    assert.equal(sensitivity.halved!.tokens, r.tokens! / 2);
    const md = await hoverOf(f.analysis, field, sensitivity);
    const [line1, line2] = paragraphs(md);
    assert.ok(line1.includes(`${formatDuration(r.accelerator.wallClockHours!)} on 8× H100 SXM`), line1);
    assert.match(line2, /tokens change with it \(D = \\--train-samples/);
    // A large value also as a count, and the halved and doubled values as counts: 1,953,125,000 samples.
    const samples = f.field('--train-samples');
    const line2s = paragraphs(await hoverOf(f.analysis, samples.field, samples.sensitivity))[1];
    assert.ok(line2s.includes('= 1953125000 (1.95B, '), line2s);
    assert.ok(line2s.includes('halved (977M): **−50 %** energy · doubled (3.91B): **+100 %** energy'), line2s);
  });

  test('NeMo GPT-3 175B on 1,024 GPUs: days of wall-clock; halving hidden_size with the file’s 315B tokens costs about three quarters less', async () => {
    const f = realFile('nemo/NVIDIA__NeMo-Framework-Launcher__launcher_scripts__conf__training__gpt3__175b.yaml');
    const r = f.analysis.report!;
    assert.equal(r.accelerator.devices, 1024);
    const { field, sensitivity } = f.field('model.hidden_size');
    assert.equal(sensitivity.tokens.mode, 'fixed');
    const ratio = sensitivity.halved!.energyJ / sensitivity.base.energyJ;
    // N ∝ d² for the blocks (12·L·d²): a quarter of the weights' FLOPs; attention (∝ d) and the embeddings keep a little more.
    assert.ok(ratio > 0.25 && ratio < 0.3, String(ratio));
    const md = await hoverOf(f.analysis, field, sensitivity);
    const [line1, line2] = paragraphs(md);
    assert.match(line1, /days on 1,024× H100 SXM/);
    assert.ok(line2.includes(`**${formatChange(ratio - 1)}** energy`), line2);
    assert.ok(line2.includes(`tokens ${formatCount(r.tokens!)} as the file gives them`), line2);
  });

  test('flan-T5-large (encoder-decoder): the 20 tokens per parameter default says it is a decoder-LM rule', async () => {
    const f = realFile('hf-config/bjornerikkorum__flan-t5-large__config.json');
    const r = f.analysis.report!;
    assert.equal(r.run.model?.architecture, 'encoder-decoder');
    assert.match(r.assumptions.find((x) => x.name === 'tokensPerParameter')!.reason, /decoder language models; this is an encoder-decoder model/);
    assert.equal(runHeadline(r).caveat, 'tokens defaulted: 20 per parameter, a rule for decoder LMs (this is an encoder-decoder)');
  });

  test('a checkpoint folder with its Trainer record: the stated time is the wall-clock, the count is assumed, and line 1 shows what was measured', async () => {
    const f = realFile('workspace/10844110__t5-summarization-demo/config.json');
    const r = f.analysis.report!;
    const record = r.measured?.[0];
    assert.ok(record?.measured.durationS, 'the Trainer record joins the run');
    // train_runtime 54,713 s in trainer_state.json: 15.2 h.
    assert.equal(formatDuration(record.measured.durationS.value / 3600), '15.2 h');
    const line1 = paragraphs(await hoverOf(f.analysis))[0];
    assert.ok(line1.includes('measured\\: 15.2 h of training'), line1);
    assert.ok(line1.includes('15.2 h on H100 SXM'), `no "1×" for an assumed count: ${line1}`);
    assert.match(line1, /on 1 device \\\(assumed\\\)/);
  });

  test('report table and JSON say the device count is assumed and give no wall-clock time from it', () => {
    const f = realFile('hf-config/HamZil__Llama-2-7b-hf__config.json');
    const json = jsonRecord(f.analysis);
    assert.equal(json.accelerator?.devicesAssumed, true);
    assert.equal(json.accelerator?.wallClockHours, null);
    const table = reportTable([f.analysis], 0, false);
    assert.match(table, /h100 \(1 dev\. assumed\)/);
    assert.match(table, /1 device — no device count in the config/);
    assert.ok(!/tokensPerParameter|"kind"/.test(table), table);
  });
});

describe('the hover answers first (committed fixtures)', () => {
  test('a run file that states hours and devices: wall-clock first, no caveat about devices', async () => {
    const f = analysePath(fixturePath('runs/bloom-176b.lim.yaml'));
    const r = f.analysis.report!;
    // BLOOM-176B: 1,082,990 A100-hours on 384 GPUs (Luccioni et al. 2022), about 118 days.
    assert.equal(r.accelerator.deviceHours, 1_082_990);
    const line1 = paragraphs(await hoverOf(f.analysis))[0];
    assert.ok(line1.includes(`${formatDuration(1_082_990 / 384)} on 384× A100`), line1);
    assert.ok(!/assumed/.test(line1), line1);
  });

  test('a Megatron script with only TP × PP: the table says the count it assumed (32), not one device', async () => {
    const text = 'python pretrain_gpt.py --num-layers 2 --hidden-size 64 --num-attention-heads 4 --vocab-size 1000 --seq-length 128 --global-batch-size 8 --train-iters 10 --tensor-model-parallel-size 4 --pipeline-model-parallel-size 8\n';
    const a = analyzeParsedDocument(parseConfigText('/w/pretrain.sh', text));
    assert.equal(a.report!.accelerator.devicesAssumed, true);
    assert.equal(a.report!.accelerator.devices, 32);
    const md = await hoverOf(a);
    assert.ok(md.includes('(32 devices assumed)'), md);
    assert.ok(!md.includes('(1 device assumed)'), md);
  });

  test('measured energy and time in words, with the estimate’s error', () => {
    const src = { kind: 'measured' as const, file: '/w/emissions.csv', field: 'energy_consumed', line: 2, column: 1, offset: 0, length: 1 };
    const measured = { file: '/w/emissions.csv', kind: 'codecarbon' as const, label: 'CodeCarbon run', notes: [], energyJ: { value: 1.2 * 3.6e6, source: src }, durationS: { value: 3.4 * 3600, source: src } };
    assert.equal(measuredText({ measured, energyError: 0.12 }), 'measured: 1.2 kWh in 3.4 h (estimate +12 %)');
    assert.equal(measuredText({ measured, energyError: -0.305 }), 'measured: 1.2 kWh in 3.4 h (estimate −31 %)');
    assert.equal(measuredText({ measured: { ...measured, energyJ: undefined }, timeError: 0 }), 'measured: 3.4 h of training');
    assert.equal(measuredText({ measured: { ...measured, energyJ: undefined, durationS: undefined } }), undefined);
  });
});

describe('the answer-first hover with hostile text', () => {
  test('a crafted model name stays text: the only icons are line 1’s and the actions’, the only links LIM Lens’s own', async () => {
    const path = fixturePath('hf/llama-2-7b/config.json');
    const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const name = `${HOSTILE_STRINGS.icons} ${HOSTILE_STRINGS.rtlOverride} ${HOSTILE_STRINGS.commandLink}`;
    const text = JSON.stringify({ ...config, _name_or_path: name }, null, 2);
    const parsed = parseConfigText('/w/config.json', text);
    const analysis = analyzeParsedDocument(parsed, { explicit: true });
    const field = analysis.fields.find((f) => f.field === 'hidden_size')!;
    const sensitivity = fieldSensitivity(parsed, field, { explicit: true });
    const md = await hoverOf(analysis, field, sensitivity);
    const html = renderMarkdown(md);
    assert.deepEqual(liveIcons(html), ['$(zap)', '$(graph)', '$(chip)', '$(export)', '$(book)']);
    for (const target of linkTargets(html)) assert.match(target, /^command:(limLens\.(openDashboard|selectHardware|exportReport|revealSource|showGlossary)|workbench\.action\.openSettings)(\?|$)/, target);
    const shown = shownText(html);
    assert.doesNotMatch(shown, INVISIBLE_OR_REORDERING);
    assert.ok(shown.includes('[U+202E]'), 'the override is shown, not applied');
    assert.ok(shown.includes('gnp.exe [Export report]…'), 'the crafted link is text (cut with the name at 80 characters)');
    assert.ok(shown.includes('$(zap) $(warning)'), 'the crafted icons are text');
  });
});

describe('assumptions in words, as the editor sets them', () => {
  test('a setting is named as the setting; built-in defaults say why in a few words; no key, no JSON', async () => {
    const { analyzeDocuments } = await import('../../../src/worker/analysisJobs');
    const path = fixturePath('hf/llama-2-7b/config.json');
    const [doc] = analyzeDocuments({ docs: [{ path, text: readFileSync(path, 'utf8') }], files: {}, assumptions: { hardwareId: 'a100', devices: 8 }, detail: 'full' });
    const r = doc.analysis!.report!;
    // limLens.devices = 8 is a statement: the time is a wall-clock time on 8 A100s, and no device caveat.
    assert.equal(r.accelerator.devicesAssumed, false);
    assert.equal(r.accelerator.wallClockHours, r.accelerator.deviceHours / 8);
    const md = await hoverOf(doc.analysis!);
    const [line1] = paragraphs(md);
    assert.ok(line1.includes(`${formatDuration(r.accelerator.deviceHours / 8)} on 8× A100 SXM 80GB`), line1);
    const assumed = paragraphs(md).find((p) => p.startsWith('*Assumed:*'))!;
    assert.ok(assumed.includes('A100 SXM 80GB \\(setting limLens.hardware\\)'), assumed);
    assert.ok(assumed.includes('8 devices \\(setting limLens.devices\\)'), assumed);
    assert.ok(assumed.includes('plasticity falling as 1/n^1 \\(SGD-like\\)'), assumed);
    assert.ok(!/hardwareId|schedule|alpha|\{/.test(assumed), assumed);
  });
});

describe('the caveat names a user-set rule as the setting', () => {
  test('limLens.tokensPerParameter = 100: "tokens from setting limLens.tokensPerParameter: 100 per parameter"', async () => {
    const { analyzeDocuments } = await import('../../../src/worker/analysisJobs');
    const path = fixturePath('hf/llama-2-7b/config.json');
    const [doc] = analyzeDocuments({ docs: [{ path, text: readFileSync(path, 'utf8') }], files: {}, assumptions: { tokensPerParameter: 100 }, detail: 'full' });
    const r = doc.analysis!.report!;
    assert.equal(r.tokens, 100 * 6_738_415_616);
    assert.equal(runHeadline(r).caveat, 'tokens from setting limLens.tokensPerParameter: 100 per parameter');
  });
});

describe('line 1 with a CodeCarbon record beside the run', () => {
  test('"measured: 7.5 kWh in 3 h (estimate ±x %)": the record’s last snapshot, and the estimate’s error against it', async () => {
    const f = analysePath(fixturePath('../measured/run/gpt2-run.lim.yaml'));
    const r = f.analysis.report!;
    const c = r.measured?.find((x) => x.measured.energyJ);
    assert.ok(c, 'the CodeCarbon record joins the run');
    // energy_consumed 7.5 kWh over duration 10,800 s in the record's last (cumulative) row.
    assert.equal(c.measured.energyJ!.value, 7.5 * 3.6e6);
    assert.equal(c.measured.durationS!.value, 10_800);
    const line1 = paragraphs(await hoverOf(f.analysis))[0];
    const expected = `measured\\: 7.5 kWh in 3 h \\(estimate ${formatChange(r.accelerator.energyJ / (7.5 * 3.6e6) - 1)}\\)`;
    assert.ok(line1.includes(expected), `${expected} in ${line1}`);
    assert.ok(line1.includes('on 8× A100 SXM 80GB'), line1);
  });
});
