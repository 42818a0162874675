import type { ConfigDiagnostic } from '../../core/configs';
import { analyzeDocumentSync, reportCsv, reportJson, reportTable, type DocumentAnalysis, type RunOverrides } from '../../core/estimate';
import { findHardware, hardwareIds } from '../../core/hardware/profiles';
import { PARAMS, flagParam, flagsOf, formatDefault, helpLine, numberRule, param, type ParamSpec } from '../../core/params';
import { numberFlag, parseFlags, stringFlag, type FlagSpecs } from '../args';
import { collectFiles, DEFAULT_MAX_FILE_BYTES, displayPath, readTextFile, siblingReader } from '../scan';
import { EXIT_DIAGNOSTICS, EXIT_OK, UsageError } from '../usage';
import { commandFlags } from './flags';
import { statSync } from 'node:fs';
import { loadPythonParser, pythonParserError } from '../../node/pythonParser';
import { defaultHubCacheDir, readHubCacheSync } from '../../node/hubCache';
import { parseHubCachePath } from '../../core/configs/hubCache';

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The parameter registry's flags of `estimate` (hardware, devices, utilisation, power, PUE, grid, bits), then the run's. */
const FLAGS: FlagSpecs = commandFlags(
  'estimate',
  ['hours', 'device-hours', 'tokens', 'flops', 'max-file-size', 'hf-cache'],
  ['json', 'csv', 'markdown'],
);

/**
 * `lim-lens estimate --help`. The registry's flags are described, with their defaults, from `params` (the parameter
 * registry; a test passes a changed copy to see the help follow).
 */
export function estimateHelp(params: readonly ParamSpec[] = PARAMS): string {
  const line = (flag: string, extra?: string) => helpLine(flagParam('estimate', flag, params), { width: 24, extra });
  return `lim-lens estimate — parameters, training compute, energy and CO2 of model and training configs

Usage: lim-lens estimate <file|dir>... [options]

Reads Hugging Face config.json and TrainingArguments, Megatron-LM launch scripts (*.sh), NeMo, DeepSpeed,
torchtune, Axolotl and LitGPT configs, Python training scripts (*.py) and Jupyter notebooks (*.ipynb), and LIM
Lens run files (*.lim.yaml). Folders are scanned recursively
(node_modules and .git skipped). Flags override what the files say.

What finished runs recorded is read too: CodeCarbon's emissions.csv, W&B's wandb-summary.json (with
wandb-metadata.json) and the Trainer's trainer_state.json / all_results.json. Beside a config they join its run
(measured energy, time and FLOPs beside the estimate; "measured" in --json); alone they print what was measured.

Run:
  --tokens D            training tokens (default: from the config, else ${formatDefault(param('tokensPerParameter', params).default)} tokens per parameter)
  --flops F             training FLOPs instead of 6·N·D
${line('bits')}
Hardware and time:
${line('hardware', `: ${(param('hardwareId', params).enum ?? hardwareIds()).join(', ')}`)}
${line('devices')}
  --hours H             wall-clock hours (energy = devices × hours × power × PUE)
  --device-hours H      accelerator-hours instead of devices × hours
${line('utilization')}
${line('power-w')}
${line('pue')}
${line('grid-kg-per-kwh')}
Output:
  --json | --csv | --markdown   instead of the table
  --max-file-size BYTES         skip larger files with a diagnostic (default ${DEFAULT_MAX_FILE_BYTES}, as limLens.files.maxSizeKB)
Models:
  --hf-cache[=DIR]      count a Hub model that is neither in the bundled table nor beside the file from its
                        config.json in the local Hugging Face cache (read only; default $HF_HUB_CACHE, else
                        $HF_HOME/hub, else ~/.cache/huggingface/hub)

Exit status: 0 every file understood, 1 some files had diagnostics, 2 usage error.`;
}

export const ESTIMATE_HELP = estimateHelp();

/** The flag behind each override, for provenance ("--pue"): the registry's, and the run's own. */
const FLAG_OF = {
  ...Object.fromEntries(flagsOf('estimate').map((p) => [p.assumption, `--${p.cli!.flag}`])),
  hours: '--hours',
  deviceHours: '--device-hours',
  tokens: '--tokens',
  flops: '--flops',
} as Record<keyof RunOverrides, string>;

/** A registry flag of `estimate`, read and checked against the parameter's one range. */
function registryNumber(values: ReturnType<typeof parseFlags>['values'], flag: string): number | undefined {
  return numberFlag(values, flag, numberRule(flagParam('estimate', flag)));
}

function overridesFromFlags(values: ReturnType<typeof parseFlags>['values']): RunOverrides {
  const hardware = stringFlag(values, 'hardware');
  if (hardware !== undefined && !findHardware(hardware)) {
    throw new UsageError(`--hardware: unknown hardware "${hardware}" (known: ${hardwareIds().join(', ')})`);
  }
  if (values.hours !== undefined && values['device-hours'] !== undefined) throw new UsageError('--hours and --device-hours are alternatives; give one');
  if (values.tokens !== undefined && values.flops !== undefined) throw new UsageError('--tokens and --flops are alternatives; give one');
  const o: RunOverrides = {
    hardwareId: hardware ? findHardware(hardware)!.id : undefined,
    devices: registryNumber(values, 'devices'),
    hours: numberFlag(values, 'hours'),
    deviceHours: numberFlag(values, 'device-hours'),
    utilization: registryNumber(values, 'utilization'),
    powerW: registryNumber(values, 'power-w'),
    pue: registryNumber(values, 'pue'),
    gridKgPerKwh: registryNumber(values, 'grid-kg-per-kwh'),
    tokens: numberFlag(values, 'tokens'),
    flops: numberFlag(values, 'flops'),
    bits: registryNumber(values, 'bits'),
  };
  for (const k of Object.keys(o) as Array<keyof RunOverrides>) if (o[k] === undefined) delete o[k];
  return o;
}

export async function runEstimate(argv: string[], out: (s: string) => void): Promise<number> {
  // --hf-cache takes its folder only as --hf-cache=DIR, so a bare --hf-cache before a file does not swallow it.
  const { values, positionals } = parseFlags(argv.map((a) => (a === '--hf-cache' ? '--hf-cache=' : a)), FLAGS, true);
  if (values.help) {
    out(ESTIMATE_HELP);
    return EXIT_OK;
  }
  const formats = (['json', 'csv', 'markdown'] as const).filter((f) => values[f] === true);
  if (formats.length > 1) throw new UsageError(`--${formats[0]} and --${formats[1]} choose different outputs; give one`);
  if (positionals.length === 0) throw new UsageError('give at least one file or folder (lim-lens estimate --help)');
  const overrides = overridesFromFlags(values);
  const maxBytes = numberFlag(values, 'max-file-size', { min: 1, integer: true }) ?? DEFAULT_MAX_FILE_BYTES;

  // The Python parser (WebAssembly) loads only when a script, a notebook or a folder that may hold them is named.
  if (positionals.some((p) => /\.(py|ipynb)$/i.test(p) || isFolder(p)) && !(await loadPythonParser())) {
    process.stderr.write(`lim-lens: the Python parser did not load (${pythonParserError()}); .py and .ipynb files are not read\n`);
  }
  const hubCache = typeof values['hf-cache'] === 'string' ? values['hf-cache'] || defaultHubCacheDir() : undefined;
  if (hubCache !== undefined && !isFolder(hubCache)) process.stderr.write(`lim-lens: --hf-cache: ${hubCache} is not a folder; no model is read from a Hugging Face cache\n`);
  const results = estimatePaths(positionals, overrides, maxBytes, hubCache);
  const output = formats[0];
  if (output === 'json') out(reportJson(results.analyses));
  else if (output === 'csv') out(reportCsv(results.analyses));
  else out(reportTable(results.analyses, results.skipped, output === 'markdown'));
  const problems = results.analyses.some((a) => a.diagnostics.some((d) => d.severity !== 'info'));
  return problems ? EXIT_DIAGNOSTICS : EXIT_OK;
}

export interface EstimateResults {
  analyses: DocumentAnalysis[];
  /** Files scanned that are not configs. */
  skipped: number;
}

/**
 * Scans, reads and estimates; every failure becomes a diagnostic on its file. With `hubCache` (a Hugging Face cache
 * folder), a model named by Hub id that nothing else counts is read from that cache (src/node/hubCache.ts); without
 * it, the cache is never looked at.
 */
export function estimatePaths(paths: string[], overrides: RunOverrides, maxBytes = DEFAULT_MAX_FILE_BYTES, hubCache?: string): EstimateResults {
  const walkDiagnostics: ConfigDiagnostic[] = [];
  const entries = collectFiles(paths, walkDiagnostics);
  const analyses: DocumentAnalysis[] = walkDiagnostics.map((d) => ({ file: displayPath(d.file), fields: [], diagnostics: [{ ...d, file: displayPath(d.file) }] }));
  const cache = new Map<string, string | undefined>();
  const settings = { overrides, overrideLabel: (k: keyof RunOverrides) => FLAG_OF[k] };
  let skipped = 0;
  const found = new Set<DocumentAnalysis>();
  for (const entry of entries) {
    const file = displayPath(entry.path);
    const read = readTextFile(entry.path, maxBytes);
    if (!read.ok) {
      analyses.push({ file, fields: [], diagnostics: [{ ...read.diagnostic, file }] });
      continue;
    }
    const siblings = siblingReader(entry.path, cache, maxBytes, entry.root);
    const readSibling = (rel: string) => {
      if (!parseHubCachePath(rel)) return siblings(rel);
      if (hubCache === undefined) return undefined;
      const hit = readHubCacheSync(hubCache, rel, maxBytes);
      return hit.ok ? hit.text : undefined;
    };
    const a = analyzeDocumentSync({ path: file, text: read.text }, { readSibling, settings, explicit: entry.explicit });
    if (!a.format && a.diagnostics.length === 0) skipped++;
    else analyses.push(a);
    if (a.format === 'measurement' && !entry.explicit) found.add(a);
  }
  // A record found in a folder scan that joined the run of another file there (a run file, a training config) is
  // shown with that run, not again on its own; named on the command line, it is always printed.
  const joined = new Set(analyses.flatMap((a) => (a.report?.measured ?? []).map((c) => c.measured.file)));
  const shown = analyses.filter((a) => !(found.has(a) && joined.has(a.file)));
  return { analyses: shown, skipped: skipped + analyses.length - shown.length };
}


