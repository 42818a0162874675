import type { Sourced } from '../configs/types';

/**
 * What a finished run recorded about itself: CodeCarbon's emissions.csv, the Hugging Face Trainer's
 * trainer_state.json / all_results.json / train_results.json, a W&B run's wandb-summary.json and
 * wandb-metadata.json. Each value carries its `measured` source (file, field, line), never a default.
 */
export type MeasuredSourceKind = 'codecarbon' | 'hf-trainer' | 'wandb';

export interface MeasuredRun {
  /** The record file the figures come from (the first one, when several files describe one run). */
  file: string;
  kind: MeasuredSourceKind;
  /** CodeCarbon's run_id, W&B's run id; absent when the record has none. */
  runId?: string;
  /** A short name for lists: "CodeCarbon run 8a1d9822", "W&B run wpk0cwbh", "Trainer record". */
  label: string;
  /** Energy the run drew (CodeCarbon: energy_consumed, kWh), in joules. */
  energyJ?: Sourced<number>;
  /** Wall-clock duration in seconds (CodeCarbon duration, Trainer/W&B train_runtime). */
  durationS?: Sourced<number>;
  /** Emissions in kg CO2-eq as the record states them. */
  emissionsKg?: Sourced<number>;
  /** Training FLOPs as recorded (the Trainer's total_flos); never a 0 that means "not counted". */
  flops?: Sourced<number>;
  /** Accelerator model and count as recorded (CodeCarbon gpu_model/gpu_count, W&B metadata gpu/gpu_count). */
  gpuModel?: string;
  gpuCount?: number;
  /** Optimizer steps and epochs as recorded. */
  steps?: number;
  epochs?: number;
  /** CodeCarbon's project_name, as written in the file (free text: escape it for every output). */
  project?: string;
  /** When the run's last record was written, as the file writes it (CodeCarbon's timestamp). */
  timestamp?: string;
  /** W&B's whole-process runtime (`_wandb.runtime`, else `_runtime`), beside the Trainer's train_runtime. */
  processRuntimeS?: Sourced<number>;
  /** How many rows (cumulative snapshots) of the file make up this run; 1 for a single record. */
  snapshots?: number;
  /** Facts a careful reader needs: "3 cumulative snapshots, the last one kept", "total_flos 0: not counted (FSDP)". */
  notes: string[];
}

/** A measured run set beside the estimate of the same run. */
export interface MeasuredComparison {
  measured: MeasuredRun;
  /** (estimated − measured) / measured for the accelerator energy, where both exist. */
  energyError?: number;
  /** (estimated − measured) / measured for the wall-clock time, where both exist. */
  timeError?: number;
  /** The utilisation that would make the estimate's FLOPs take the measured time on the recorded devices. */
  impliedUtilization?: number;
}
