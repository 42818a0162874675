import type { ModelShape } from '../configs/shape';
import type { Sourced } from '../configs/types';

/** How the training FLOPs were obtained, with the parts kept apart (docs/configs.md, "Training FLOPs"). */
export interface FlopsBreakdown {
  method: 'given' | 'dense' | 'moe' | 'lora' | 'vision';
  /** 6·N·D (or its LoRA / vision counterpart). */
  weights: number;
  /** 12·L·H·h·T per token, when the sequence length is known. */
  attention: number;
  formula: string;
  /** Set when the figure is a labelled approximation (LoRA). */
  approximation?: string;
}

export interface FlopsInput {
  given?: Sourced<number>;
  shape?: ModelShape;
  activeParams: number;
  totalParams: number;
  tokens?: number;
  samples?: number;
  epochs?: number;
  sequenceLength?: number;
  adapterParams?: number;
}

/** Model FLOPs (the MFU basis: no activation recomputation), 1 multiply-add = 2 FLOP. */
export function trainingFlops(x: FlopsInput): { flops: Sourced<number>; breakdown: FlopsBreakdown } {
  if (x.given) {
    return { flops: x.given, breakdown: { method: 'given', weights: x.given.value, attention: 0, formula: 'as given' } };
  }
  const s = x.shape;
  if (s?.forwardMacsPerSample !== undefined && x.samples !== undefined) {
    const epochs = x.epochs ?? 1;
    const weights = 2 * 3 * s.forwardMacsPerSample * x.samples * epochs;
    const formula = `2·3 × forward MACs per sample (${s.forwardMacsPerSample.toPrecision(4)} at ${s.imageSize}²) × samples (${x.samples}) × epochs (${epochs})`;
    return { flops: { value: weights, source: { kind: 'computed', formula } }, breakdown: { method: 'vision', weights, attention: 0, formula } };
  }
  const D = x.tokens ?? 0;
  const attentionPerToken = s && x.sequenceLength ? 12 * s.layers * s.heads * s.headDim * x.sequenceLength : 0;
  const attention = attentionPerToken * D;
  let weights: number;
  let method: FlopsBreakdown['method'];
  let formula: string;
  let approximation: string | undefined;
  if (x.adapterParams !== undefined) {
    weights = 4 * x.activeParams * D + 6 * x.adapterParams * D;
    method = 'lora';
    formula = '4·N·D + 6·N_adapter·D';
    approximation = 'LoRA: forward and backward through all N weights, weight gradients only for the adapters (approximation)';
  } else {
    weights = 6 * x.activeParams * D;
    method = x.activeParams !== x.totalParams ? 'moe' : 'dense';
    formula = method === 'moe' ? '6·N_active·D' : '6·N·D';
  }
  if (attention > 0) formula += ' + 12·L·H·h·T·D';
  const total = weights + attention;
  return {
    flops: { value: total, source: { kind: 'computed', formula } },
    breakdown: { method, weights, attention, formula, ...(approximation ? { approximation } : {}) },
  };
}

const PEFT_ALIASES: Record<string, string[]> = {
  q_proj: ['q_proj', 'q', 'query', 'wq', 'query_key_value', 'qkv_proj', 'c_attn'],
  k_proj: ['k_proj', 'k', 'key', 'wk', 'query_key_value', 'qkv_proj', 'c_attn'],
  v_proj: ['v_proj', 'v', 'value', 'wv', 'query_key_value', 'qkv_proj', 'c_attn'],
  o_proj: ['o_proj', 'o', 'dense', 'wo', 'out_proj', 'output_proj', 'c_proj'],
  gate_proj: ['gate_proj', 'w1', 'wi_0'],
  up_proj: ['up_proj', 'w3', 'wi_1', 'wi', 'intermediate', 'dense_h_to_4h', 'c_fc', 'fc1'],
  down_proj: ['down_proj', 'w2', 'wo', 'output', 'dense_4h_to_h', 'fc2'],
};

/** Names of one fused q/k/v projection (BLOOM, Falcon, GPT-NeoX `query_key_value`, Phi-3 `qkv_proj`, GPT-2 `c_attn`, MPT `Wqkv`). */
const FUSED_QKV = ['query_key_value', 'qkv_proj', 'c_attn', 'wqkv'];

/**
 * Adapter parameters: rank × (in + out) for every targeted linear of every block. A fused q/k/v projection named as
 * the target is one linear to PEFT: one A (rank × in) and one B (out_q + out_k + out_v) × rank, not three adapters.
 */
export function adapterParams(shape: ModelShape, rank: number, targets: string[] | 'all-linear'): number {
  const wanted = targets === 'all-linear' ? undefined : new Set(targets.map((t) => t.toLowerCase()));
  let perLayer = 0;
  let fusedIn = 0;
  let fusedOut = 0;
  for (const l of shape.linears) {
    const names = [l.name, ...(PEFT_ALIASES[l.name] ?? [])];
    if (wanted && !names.some((n) => wanted.has(n))) continue;
    // Matched only through the fused name: part of the one fused adapter.
    if (wanted && (l.name === 'q_proj' || l.name === 'k_proj' || l.name === 'v_proj') && !names.some((n) => wanted.has(n) && !FUSED_QKV.includes(n))) {
      fusedIn = l.inFeatures * l.copies;
      fusedOut += l.outFeatures * l.copies;
      continue;
    }
    perLayer += rank * (l.inFeatures + l.outFeatures) * l.copies;
  }
  if (fusedOut > 0) perLayer += rank * (fusedIn + fusedOut);
  return perLayer * shape.layers;
}
