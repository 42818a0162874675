import type { LinearShape, ParamCount } from './shape';

/**
 * A transformer stack described by the numbers every decoder family shares (docs/configs.md, "Parameters N"). Llama, Mistral, Qwen2,
 * Gemma, Mixtral, Falcon, BLOOM, GPT-2, GPT-NeoX and the Megatron / NeMo / LitGPT GPT models all reduce to it.
 */
export interface DecoderSpec {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  /** SwiGLU / GeGLU: gate, up and down projections (3·d·f) instead of up and down (2·d·f). */
  gated: boolean;
  /** RMSNorm has a scale only (d), LayerNorm a scale and a bias (2·d). */
  norm: 'rms' | 'layer';
  normsPerLayer: number;
  qkvBias: boolean;
  outBias: boolean;
  mlpBias: boolean;
  tied: boolean;
  /** Learned absolute positions (GPT-2 style): P·d more parameters; 0 for rotary or ALiBi. */
  learnedPositions: number;
  /** BLOOM normalises the embeddings. */
  embeddingNorm: boolean;
  moe?: MoeSpec;
  /** Replaces the standard attention count (DeepSeek's multi-head latent attention). */
  attentionParams?: number;
  attentionLinears?: LinearShape[];
  /** Parameters every layer adds beyond attention, MLP and its norms (Qwen3 / Gemma 3 q_norm and k_norm). */
  layerExtra?: number;
  /** The output head has a bias (Phi, GPT-J, Phi-3.5-MoE's lm_head_bias): V more parameters. */
  headBias?: boolean;
  /** Parameters outside the blocks the formula above does not see (OPT's project_in/out …). */
  extra?: number;
}

export interface MoeSpec {
  experts: number;
  perToken: number;
  expertFfn: number;
  /** Always-on shared experts' total width (Qwen2-MoE, DeepSeek); 0 when none. */
  sharedFfn: number;
  /** Qwen2-MoE gates its shared expert with a d → 1 projection. */
  sharedGate: boolean;
  /** DeepSeek-V3 keeps a per-expert score-correction bias. */
  routerBias: boolean;
  /** Leading layers that stay dense (DeepSeek's first_k_dense_replace); they use `ffn`. */
  denseLayers: number;
}

/** The usual starting point: multi-head attention, LayerNorm, biases, a GELU MLP of width f, tied embeddings. */
export function decoderSpec(x: { V: number; d: number; L: number; H: number; f: number }, traits: Partial<DecoderSpec> = {}): DecoderSpec {
  return Object.assign(
    {
      vocab: x.V, hidden: x.d, layers: x.L, heads: x.H, kvHeads: x.H, headDim: x.d / x.H, ffn: x.f,
      gated: false, norm: 'layer', normsPerLayer: 2, qkvBias: true, outBias: true, mlpBias: true,
      tied: true, learnedPositions: 0, embeddingNorm: false,
    } satisfies DecoderSpec,
    traits,
  );
}

export function attentionParams(s: DecoderSpec): number {
  if (s.attentionParams !== undefined) return s.attentionParams;
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  return s.hidden * q + 2 * s.hidden * kv + q * s.hidden + (s.qkvBias ? q + 2 * kv : 0) + (s.outBias ? s.hidden : 0);
}

export function mlpParams(s: Pick<DecoderSpec, 'hidden' | 'gated' | 'mlpBias'>, ffn: number): number {
  if (ffn === 0) return 0;
  const weights = (s.gated ? 3 : 2) * s.hidden * ffn;
  const bias = s.mlpBias ? (s.gated ? 2 * ffn : ffn) + s.hidden : 0;
  return weights + bias;
}

export function countDecoder(s: DecoderSpec): ParamCount & { perLayer: number; perLayerActive: number } {
  const d = s.hidden;
  const norm = s.norm === 'rms' ? d : 2 * d;
  const attn = attentionParams(s);
  const dense = mlpParams(s, s.ffn);
  const base = attn + s.normsPerLayer * norm + (s.layerExtra ?? 0);
  let total = 0;
  let active = 0;
  let perLayer = base + dense;
  let perLayerActive = perLayer;
  if (s.moe) {
    const m = s.moe;
    const expert = mlpParams(s, m.expertFfn);
    const shared = mlpParams(s, m.sharedFfn) + (m.sharedGate ? d : 0);
    const router = d * m.experts + (m.routerBias ? m.experts : 0);
    perLayer = base + m.experts * expert + shared + router;
    perLayerActive = base + m.perToken * expert + shared + router;
    const sparse = s.layers - m.denseLayers;
    total = m.denseLayers * (base + dense) + sparse * perLayer;
    active = m.denseLayers * (base + dense) + sparse * perLayerActive;
  } else {
    total = s.layers * perLayer;
    active = total;
  }
  const embedding = s.vocab * d * (s.tied ? 1 : 2) + s.learnedPositions * d + (s.headBias ? s.vocab : 0);
  const extra = embedding + norm + (s.embeddingNorm ? norm : 0) + (s.extra ?? 0);
  return { total: total + extra, active: active + extra, embedding, perLayer, perLayerActive };
}

/** The per-block linears LoRA can target, named as Hugging Face PEFT names them for Llama-style models. */
export function decoderLinears(s: DecoderSpec): LinearShape[] {
  const d = s.hidden;
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const copies = s.moe ? s.moe.experts : 1;
  const ffn = s.moe ? s.moe.expertFfn : s.ffn;
  const attention = s.attentionLinears ?? [
    { name: 'q_proj', inFeatures: d, outFeatures: q, copies: 1 },
    { name: 'k_proj', inFeatures: d, outFeatures: kv, copies: 1 },
    { name: 'v_proj', inFeatures: d, outFeatures: kv, copies: 1 },
    { name: 'o_proj', inFeatures: q, outFeatures: d, copies: 1 },
  ];
  const mlp = s.gated
    ? [
        { name: 'gate_proj', inFeatures: d, outFeatures: ffn, copies },
        { name: 'up_proj', inFeatures: d, outFeatures: ffn, copies },
        { name: 'down_proj', inFeatures: ffn, outFeatures: d, copies },
      ]
    : [
        { name: 'up_proj', inFeatures: d, outFeatures: ffn, copies },
        { name: 'down_proj', inFeatures: ffn, outFeatures: d, copies },
      ];
  return [...attention, ...mlp];
}
