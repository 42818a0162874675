// The same run shows the same numbers in the same units on every surface and in the CLI: the hover, the CodeLens,
// the exported report (Markdown and text), `lim-lens estimate` (its table and --json) and the sidebar's figures (the
// worker's RunSummary, formatted as the sidebar formats it). One formatter (src/core/units/format.ts) behind all.
import './vscodeStub';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { stubUri, type MarkdownString } from './vscodeStub';
import { analysePath, REALWORLD, realworldSkip } from './realFiles';
import { fixturePath } from '../configs/fixtures';
import { formatBound, formatCO2, formatEnergy, formatSci } from '../../../src/core/units/format';
import { reportTable, timeText, type DocumentAnalysis } from '../../../src/core/estimate';
import { runEstimate } from '../../../src/cli/commands/estimate';
import { runFigures } from '../../../src/worker/summarize';

interface Expected {
  energy: string;
  time: string;
  co2: string;
  bound: string;
}

/** What every surface must show of this run, from the engine's numbers and the one formatter. */
function expected(a: DocumentAnalysis): Expected {
  const r = a.report!;
  const x = r.accelerator;
  return {
    energy: formatEnergy(x.energyJ),
    time: timeText({ wallClockHours: x.wallClockHours, devices: x.devicesAssumed ? undefined : x.devices, deviceHours: x.deviceHours, hardwareName: x.name }),
    co2: formatCO2(x.co2Kg),
    bound: formatBound(r.bounds!.lim),
  };
}

/** Markdown escapes a few characters of the figures ("1,024×" stays, "(" becomes "\("): compare unescaped. */
const unescape = (md: string) => md.replace(/\\([\\`*_{}[\]()#+\-.!|:<>~])/g, '$1');

async function surfaces(a: DocumentAnalysis) {
  const { hoverMarkdown, codeLensTitle } = await import('../../../src/extension/hoverMarkdown');
  const hover = unescape((hoverMarkdown(a, stubUri(a.file) as never, 'run') as unknown as MarkdownString).value);
  const cli: string[] = [];
  await runEstimate([a.file], (s) => cli.push(s));
  const json: string[] = [];
  await runEstimate([a.file, '--json'], (s) => json.push(s));
  const summary = runFigures(a)!;
  // The sidebar's run card: formatEnergy, timeText, formatCO2 and formatBound of the summary's flat figures.
  const sidebar = [formatEnergy(summary.energyJ!), timeText(summary), formatCO2(summary.co2Kg!), `LIM bound ${formatBound(summary.limJ!)}`].join(' · ');
  return {
    hoverLine1: hover.split('\n')[0],
    hover,
    codeLens: codeLensTitle(a.report!),
    reportMarkdown: unescape(reportTable([a], 0, true)),
    reportText: reportTable([a], 0, false),
    cliTable: cli.join('\n'),
    cliJson: JSON.parse(json.join('\n')) as Array<{ accelerator: { energyJ: number; co2Kg: number; deviceHours: number; wallClockHours: number | null }; bounds: { lim: number } }>,
    sidebar,
  };
}

async function checkRun(path: string) {
  const a = analysePath(path);
  assert.ok(a.analysis.report && a.analysis.report.bounds && !a.analysis.report.perRows, `${path}: a run with a total and bounds`);
  const e = expected(a.analysis);
  const s = await surfaces(a.analysis);
  // Energy, time and CO₂: the hover's first line, the CodeLens and the sidebar say the same words.
  for (const [name, text] of [['hover line 1', s.hoverLine1], ['CodeLens', s.codeLens], ['sidebar', s.sidebar]] as const) {
    assert.ok(text.includes(e.energy), `${name} shows ${e.energy}: ${text}`);
    assert.ok(text.includes(e.time), `${name} shows ${e.time}: ${text}`);
    assert.ok(text.includes(e.co2), `${name} shows ${e.co2}: ${text}`);
  }
  // The LIM bound in one notation: the hover's table, the CodeLens, the sidebar, the reports and the CLI table.
  for (const [name, text] of [['hover', s.hover], ['CodeLens', s.codeLens], ['sidebar', s.sidebar]] as const) assert.ok(text.includes(`LIM bound ${e.bound}`) || text.includes(`| ${e.bound} |`), `${name} shows the LIM bound as ${e.bound}: ${text}`);
  for (const [name, text] of [['Markdown report', s.reportMarkdown], ['text report', s.reportText], ['CLI table', s.cliTable]] as const) {
    for (const v of [e.energy, e.co2, e.bound]) assert.ok(text.includes(v), `${name} shows ${v}: ${text}`);
    assert.ok(!text.includes(`${formatSci(a.analysis.report!.bounds!.lim, 3)} J`), `${name}: no second notation for the bound`);
  }
  assert.ok(!s.hover.includes(`${formatSci(a.analysis.report!.bounds!.lim, 3)} J`), 'hover: no second notation for the bound');
  // The CLI's JSON carries the same numbers the text was made from (machines get the exact values).
  const j = s.cliJson[0];
  const r = a.analysis.report!;
  assert.equal(j.accelerator.energyJ, r.accelerator.energyJ);
  assert.equal(j.accelerator.co2Kg, r.accelerator.co2Kg);
  assert.equal(j.bounds.lim, r.bounds!.lim);
  assert.equal(j.accelerator.wallClockHours, r.accelerator.wallClockHours ?? null);
  return e;
}

describe('The same run shows the same numbers in the same units on every surface and in the CLI', () => {
  test('Llama-2-7B config.json (no device count: device-hours everywhere, never a wall-clock time)', async () => {
    const e = await checkRun(fixturePath('hf/llama-2-7b/config.json'));
    assert.match(e.time, /device-hours on H100 SXM$/);
  });

  test('BLOOM-176B run file (384 A100s and their hours stated: the same days everywhere)', async () => {
    const e = await checkRun(fixturePath('runs/bloom-176b.lim.yaml'));
    assert.equal(e.time, '118 days on 384× A100 SXM 80GB');
    // 433,196 kWh × PUE 1.2 on the French grid (57 g/kWh): 29.6 t, as the published study's figure scaled by the PUE.
    assert.equal(e.co2, '29.6 t CO₂');
  });

  test('Megatron Llama-2 launch script (devices from --nproc_per_node × --nnodes)', async () => {
    await checkRun(fixturePath('megatron/pretrain_llama2_distributed.sh'));
  });

  test('real configs: NeMo GPT-3 175B on 1,024 GPUs, DeepSeek-R1 (MoE), Megatron Llama-3-8B', { skip: realworldSkip }, async () => {
    for (const rel of ['nemo/NVIDIA__NeMo-Framework-Launcher__launcher_scripts__conf__training__gpt3__175b.yaml', 'hf-config/itounagi0116__DeepSeek-R1__config.json', 'megatron/NVIDIA__Megatron-LM__examples__llama__train_llama3_8b_h100_fp8.sh']) {
      await checkRun(join(REALWORLD, rel));
    }
  });
});

describe('lim-lens bounds prints the bounds in the notation of every other surface', () => {
  test('brain-scale: the LIM bound 3.683e8 J reads "102 kWh", as the sidebar and the dashboard write it, with the exact joules beside it', async () => {
    const { runBounds } = await import('../../../src/cli/commands/bounds');
    const out: string[] = [];
    runBounds(['--preset', 'brain-scale'], (s) => out.push(s));
    const text = out.join('\n');
    // The reconstruction's brain-scale LIM bound, 3.683e8 J (in the paper's 1e8–1e9 J band).
    assert.match(text, /LIM bound E_LIM = E_neq \+ E_L\s+102 kWh\s+3\.683e8/);
    assert.equal(formatBound(3.682983e8), '102 kWh');
    // The walls by paradigm in the same units: no bare scientific joules left in that table.
    const from = text.indexOf('Walls by paradigm');
    const walls = text.slice(from, text.indexOf('\n\n', from));
    assert.match(walls, /Learning-in-memory\s+—\s+[\d.,]+ [kMG]?Wh\s+[\d.,]+ [kMG]?Wh\s+102 kWh/);
    assert.doesNotMatch(walls, /\de\d/);
  });
});
