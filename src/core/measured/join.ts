/**
 * Measured runs beside a config, and their comparison with its estimate. A record joins the run of its folder:
 * CodeCarbon's emissions.csv, W&B's wandb-summary.json (+ wandb-metadata.json) and the Trainer's records, read
 * through the same sibling reader as the config.json beside a training config (so the editor fetches them in its
 * missing-files rounds, and the CLI from disk).
 */
import { parseConfigText, type ParsedDoc } from '../configs/parse';
import { basenameOf, dirnameOf, joinPath } from '../configs/relpath';
import { findHardware, type HardwareProfile } from '../hardware/profiles';
import { RECORD_FILES } from '../configs/formats/records';
import { readCodeCarbon, type CodeCarbonResult } from './codecarbon';
import { trainerRun, wandbRun } from './records';
import type { MeasuredComparison, MeasuredRun } from './types';

/** The CodeCarbon file a tracker writes by default, and W&B's files of a run. */
export const CODECARBON_FILE = 'emissions.csv';
export const WANDB_SUMMARY_FILE = 'wandb-summary.json';
export const WANDB_METADATA_FILE = 'wandb-metadata.json';

/** Every record a run's folder may hold, as sibling paths to ask for. */
export const MEASURED_SIBLINGS: readonly string[] = [CODECARBON_FILE, WANDB_SUMMARY_FILE, WANDB_METADATA_FILE, ...RECORD_FILES];

type Read = (relPath: string) => string | undefined;

// Records are read by every config of their folder and again on each edit: parsed once per text.
const CACHE_SIZE = 64;
const csvCache = new Map<string, { text: string; result: CodeCarbonResult }>();
const jsonCache = new Map<string, ParsedDoc>();

export function codeCarbonOf(path: string, text: string): CodeCarbonResult {
  const hit = csvCache.get(path);
  if (hit && hit.text === text) return hit.result;
  const result = readCodeCarbon(path, text);
  if (csvCache.size >= CACHE_SIZE) csvCache.clear();
  csvCache.set(path, { text, result });
  return result;
}

export function jsonDocOf(path: string, text: string): ParsedDoc {
  const hit = jsonCache.get(path);
  if (hit && hit.text === text) return hit;
  const doc = parseConfigText(path, text, 'json');
  if (jsonCache.size >= CACHE_SIZE) jsonCache.clear();
  jsonCache.set(path, doc);
  return doc;
}

const usable = (doc: ParsedDoc) => doc.diagnostics.length === 0 && doc.data !== null && typeof doc.data === 'object' && !Array.isArray(doc.data);

/**
 * The runs recorded in a folder (`dir` is the folder's path, for the files' names; `read` reads relative to it).
 * A CodeCarbon file with several runs gives its latest (the last in the file: trackers append), with a note.
 */
export function measuredInFolder(dir: string, read: Read): MeasuredRun[] {
  const out: MeasuredRun[] = [];
  const csv = read(CODECARBON_FILE);
  if (csv !== undefined) {
    const cc = codeCarbonOf(joinPath(dir, CODECARBON_FILE), csv);
    const latest = cc.runs.at(-1);
    if (latest) {
      out.push(cc.runs.length > 1 ? { ...latest, notes: [`the latest of ${cc.runs.length} runs in ${CODECARBON_FILE}`, ...latest.notes] } : latest);
    }
  }
  const summary = read(WANDB_SUMMARY_FILE);
  if (summary !== undefined) {
    const doc = jsonDocOf(joinPath(dir, WANDB_SUMMARY_FILE), summary);
    if (usable(doc)) {
      const metaText = read(WANDB_METADATA_FILE);
      const meta = metaText !== undefined ? jsonDocOf(joinPath(dir, WANDB_METADATA_FILE), metaText) : undefined;
      out.push(wandbRun(doc, meta && usable(meta) ? meta : undefined));
    }
  }
  const records = RECORD_FILES.flatMap((name) => {
    const text = read(name);
    if (text === undefined) return [];
    const doc = jsonDocOf(joinPath(dir, name), text);
    return usable(doc) ? [doc] : [];
  });
  const trainer = trainerRun(records);
  if (trainer) out.push(trainer);
  return out;
}

/** The profile of a device as records name it ("NVIDIA A100-SXM4-80GB", "1 x Tesla V100-PCIE-32GB"). */
export function hardwareOfRecorded(name: string): HardwareProfile | undefined {
  const direct = findHardware(name);
  if (direct) return direct;
  const family = /\b([abhv]\d{3})\b/i.exec(name.replace(/[-_]/g, ' '))?.[1];
  return family ? findHardware(family) : undefined;
}

/** What the estimate needs from its report to be set beside a measurement. */
export interface EstimateFigures {
  flops: number;
  /** Energy drawn from the grid (accelerators × PUE), joules. */
  energyJ: number;
  /** Wall-clock hours; absent when the device count was assumed and no time stated. */
  wallClockHours?: number;
  /** The device count the config, a setting or a flag states; absent when LIM Lens assumed it. */
  devices?: number;
  peakFlops: number;
  /** The figures are per unit of data, not the run's (a fine-tune nothing bounds): no totals to compare. */
  perUnit?: boolean;
}

/**
 * The estimate beside one measured run: the relative errors of its energy and time, and the utilisation that makes
 * its FLOPs take the measured time on the recorded devices (their count where recorded, else the one the config or a
 * setting states, never an assumed one; the recorded model's peak where LIM Lens knows it, else the estimate's
 * hardware).
 */
export function compareMeasured(estimate: EstimateFigures, measured: MeasuredRun): MeasuredComparison {
  const c: MeasuredComparison = { measured };
  if (estimate.perUnit) return c;
  const e = measured.energyJ?.value;
  if (e !== undefined && e > 0 && Number.isFinite(estimate.energyJ)) c.energyError = (estimate.energyJ - e) / e;
  const t = measured.durationS?.value;
  if (t !== undefined && t > 0 && estimate.wallClockHours !== undefined && Number.isFinite(estimate.wallClockHours)) {
    c.timeError = (estimate.wallClockHours * 3600 - t) / t;
  }
  if (t !== undefined && t > 0 && estimate.flops > 0) {
    const devices = measured.gpuCount ?? estimate.devices;
    const peak = (measured.gpuModel ? hardwareOfRecorded(measured.gpuModel)?.peakFlops : undefined) ?? estimate.peakFlops;
    // Without a recorded or stated device count there is no utilisation to speak of (one assumed device is no fact).
    if (devices !== undefined && devices > 0 && peak > 0) c.impliedUtilization = estimate.flops / (t * devices * peak);
  }
  return c;
}

/**
 * The Trainer run of a record analysed on its own: this record first, then the other records of its folder
 * (trainer_state.json, all_results.json, train_results.json), each value from the first that has it.
 */
export function trainerRecordsOf(doc: ParsedDoc, read: Read): MeasuredRun | undefined {
  const own = basenameOf(doc.file).toLowerCase();
  const dir = dirnameOf(doc.file);
  const others = RECORD_FILES.filter((n) => n !== own).flatMap((name) => {
    const text = read(name);
    if (text === undefined) return [];
    const sib = jsonDocOf(joinPath(dir, name), text);
    return usable(sib) ? [sib] : [];
  });
  return trainerRun(usable(doc) ? [doc, ...others] : others);
}
