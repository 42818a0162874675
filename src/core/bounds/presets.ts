import type { PartialBoundInputs } from './inputs';
import type { PaperVersion } from './provenance';

/** Where one input of a preset comes from: the paper (naming its versions) or LIM Lens's own calibration. */
export interface PresetInputSource {
  /** The input, as `lim-lens bounds` names it. */
  input: string;
  value: string;
  from: 'paper' | 'calibration';
  /** For `paper`: the versions of the paper that state the value. */
  paperVersions?: readonly PaperVersion[];
  /** Why this value: where the paper states it, or what LIM Lens assumed in its place. */
  why: string;
}

export interface BoundPreset {
  id: string;
  description: string;
  inputs: PartialBoundInputs;
  /** Each input's origin (and the figure the preset is checked against) where a preset mixes the paper's figures with LIM Lens's calibration. */
  sources?: readonly PresetInputSource[];
}

/** GPT-3 trained 175e9 parameters with 3.14e23 FLOPs: 1.794e12 FLOPs per parameter (Brown et al. 2020). */
export const GPT3_FLOPS_PER_PARAM = 3.14e23 / 1.75e11;

/** The paper's brain-scale band (v1 and v2): training 1e15 parameters with LIM takes 1e8–1e9 J. */
export const PAPER_BRAIN_SCALE_BAND_J: readonly [number, number] = [1e8, 1e9];

export const BOUND_PRESETS: readonly BoundPreset[] = [
  {
    id: 'brain-scale',
    description:
      "The paper's brain-scale model (1e15 parameters, 1e8–1e9 J; v1 and v2) with LIM Lens's calibration: GPT-3's FLOPs per parameter (OPS = 1.8e27), 32-bit, 300 K, α = 1, on H100 SXM",
    inputs: { params: 1e15, flops: 1.8e27, bits: 32, temperatureK: 300, opsPerUpdate: 1, schedule: { kind: 'power-law', alpha: 1 }, hardwareId: 'h100' },
    sources: [
      { input: 'params', value: '1e15', from: 'paper', paperVersions: ['v1', 'v2'], why: 'the brain-scale AI system of the abstract, 10^15 parameters' },
      {
        input: 'target',
        value: '1e8–1e9 J',
        from: 'paper',
        paperVersions: ['v1', 'v2'],
        why: 'the energy the abstract gives for training it with LIM; the figure the calibration is checked against, not an input',
      },
      {
        input: 'flops',
        value: '1.8e27',
        from: 'calibration',
        why: "the abstract states no OPS for the brain-scale model: GPT-3's 1.794e12 FLOPs per parameter (3.14e23 / 1.75e11, Brown et al. 2020) scaled to 1e15 parameters",
      },
      { input: 'bits', value: '32', from: 'calibration', why: 'fp32 weights; the abstract names precision as an input but gives no value' },
      { input: 'temperature', value: '300 K', from: 'calibration', why: 'room temperature' },
      { input: 'alpha', value: '1', from: 'calibration', why: "SGD's 1/n step size as the plasticity schedule P_n ∝ 1/n" },
      { input: 'cu', value: '1', from: 'calibration', why: 'one update per operation, so U = OPS/N' },
      { input: 'hardware', value: 'h100', from: 'calibration', why: 'a current accelerator for the comparison (v1 compares with accelerators, v2 with compute/memory energy models)' },
    ],
  },
  {
    id: 'gpt-3',
    description: 'GPT-3 175B: N = 1.75e11, OPS = 3.14e23 (Brown et al. 2020), 32-bit',
    inputs: { params: 1.75e11, flops: 3.14e23, bits: 32, hardwareId: 'v100' },
  },
];

export function findBoundPreset(id: string): BoundPreset | undefined {
  return BOUND_PRESETS.find((p) => p.id === id.toLowerCase());
}
