/**
 * Accelerator profiles (docs/configs.md, "Accelerator energy"). Data, not code: each entry names the datasheet or paper its figures
 * come from, so a user can check them and override any of them in the settings.
 */

export interface HardwareProfile {
  id: string;
  name: string;
  vendor: 'NVIDIA' | 'Google';
  /** Peak dense throughput at the training precision (FLOP/s), sparsity excluded. */
  peakFlops: number;
  /** The precision the peak figure refers to. */
  peakPrecision: 'fp16' | 'bf16';
  /** Board / chip thermal design power (W); the figure published training energies almost all use. */
  tdpW: number;
  /** A measured mean power where a published run reports one (W). */
  measuredPowerW?: number;
  memoryGB: number;
  /** Names that configs and users write for this device, matched case-insensitively. */
  aliases: readonly string[];
  source: string;
}

export const HARDWARE_PROFILES: readonly HardwareProfile[] = [
  {
    id: 'v100',
    name: 'NVIDIA V100 SXM2',
    vendor: 'NVIDIA',
    peakFlops: 125e12,
    peakPrecision: 'fp16',
    tdpW: 300,
    memoryGB: 32,
    aliases: ['v100', 'v100-sxm2', 'tesla v100', 'nvidia v100', 'v100-32gb', 'v100-16gb'],
    source: 'NVIDIA Tesla V100 datasheet (2017): 125 TFLOPS tensor (fp16), 300 W SXM2',
  },
  {
    id: 'a100',
    name: 'NVIDIA A100 SXM 80GB',
    vendor: 'NVIDIA',
    peakFlops: 312e12,
    peakPrecision: 'bf16',
    tdpW: 400,
    memoryGB: 80,
    aliases: ['a100', 'a100-80gb', 'a100-40gb', 'a100-sxm', 'a100-sxm4', 'nvidia a100', 'a100 80gb'],
    source: 'NVIDIA A100 Tensor Core GPU datasheet (2021): 312 TFLOPS bf16 dense, 400 W SXM',
  },
  {
    id: 'h100',
    name: 'NVIDIA H100 SXM',
    vendor: 'NVIDIA',
    peakFlops: 989.4e12,
    peakPrecision: 'bf16',
    tdpW: 700,
    memoryGB: 80,
    aliases: ['h100', 'h100-sxm', 'h100-sxm5', 'h100-80gb', 'nvidia h100', 'h100 sxm'],
    source: 'NVIDIA H100 Tensor Core GPU datasheet (2023): 989.4 TFLOPS bf16 dense, up to 700 W SXM',
  },
  {
    id: 'b200',
    name: 'NVIDIA B200',
    vendor: 'NVIDIA',
    peakFlops: 2.25e15,
    peakPrecision: 'bf16',
    tdpW: 1000,
    memoryGB: 180,
    aliases: ['b200', 'nvidia b200', 'hgx b200', 'dgx b200'],
    source: 'NVIDIA HGX B200 datasheet (2024): 2.25 PFLOPS bf16 dense per GPU, 1,000 W',
  },
  {
    id: 'tpu-v3',
    name: 'Google TPU v3 (chip)',
    vendor: 'Google',
    peakFlops: 123e12,
    peakPrecision: 'bf16',
    tdpW: 450,
    memoryGB: 32,
    aliases: ['tpu-v3', 'tpuv3', 'tpu v3', 'v3'],
    source: 'Google Cloud TPU v3: 123 TFLOPS bf16 per chip; 450 W per chip (Patterson et al., arXiv 2104.10350)',
  },
  {
    id: 'tpu-v4',
    name: 'Google TPU v4 (chip)',
    vendor: 'Google',
    peakFlops: 275e12,
    peakPrecision: 'bf16',
    tdpW: 192,
    measuredPowerW: 378.5,
    memoryGB: 32,
    aliases: ['tpu-v4', 'tpuv4', 'tpu v4', 'v4'],
    source:
      'Jouppi et al., ISCA 2023: 275 TFLOPS bf16, 192 W TDP per chip; mean measured system power 378.5 W per chip in PaLM (Chowdhery et al., arXiv 2204.02311)',
  },
];

export const DEFAULT_HARDWARE_ID = 'h100';

export function hardwareIds(): string[] {
  return HARDWARE_PROFILES.map((p) => p.id);
}

/** Finds a profile by id or alias ("A100-80GB", "nvidia h100" …); undefined when nothing matches. */
export function findHardware(nameOrId: string): HardwareProfile | undefined {
  const key = nameOrId.trim().toLowerCase().replace(/[_\s]+/g, ' ');
  const dashed = key.replace(/ /g, '-');
  return HARDWARE_PROFILES.find(
    (p) => p.id === key || p.id === dashed || p.aliases.some((a) => a === key || a.replace(/ /g, '-') === dashed),
  );
}

/** Energy per FLOP at board power and full utilisation (J/FLOP): board power / peak FLOP/s. */
export function joulesPerFlopAtPeak(profile: HardwareProfile): number {
  return profile.tdpW / profile.peakFlops;
}
