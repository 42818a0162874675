import type { PartialBoundInputs } from './inputs';

export interface BoundPreset {
  id: string;
  description: string;
  inputs: PartialBoundInputs;
}

/** GPT-3 trained 175e9 parameters with 3.14e23 FLOPs: 1.794e12 FLOPs per parameter (Brown et al. 2020). */
export const GPT3_FLOPS_PER_PARAM = 3.14e23 / 1.75e11;

export const BOUND_PRESETS: readonly BoundPreset[] = [
  {
    id: 'brain-scale',
    description:
      "The paper's headline: a 1e15-parameter model trained with GPT-3's FLOPs per parameter (OPS = 1.8e27), 32-bit, 300 K, α = 1, on H100 SXM",
    inputs: { params: 1e15, flops: 1.8e27, bits: 32, temperatureK: 300, opsPerUpdate: 1, schedule: { kind: 'power-law', alpha: 1 }, hardwareId: 'h100' },
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
