import { countDecoder, decoderLinears, type DecoderSpec } from '../decoder';
import { NUM_PARAMETERS_CONVENTION, type ModelShape } from '../shape';

/**
 * Megatron-LM, NeMo and LitGPT describe a GPT inline instead of pointing at a config.json; their options map
 * onto the same DecoderSpec as the Hugging Face families.
 */
export interface GptOptions {
  family: string;
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  gated: boolean;
  norm: 'rms' | 'layer';
  normsPerLayer: number;
  bias: boolean;
  tied: boolean;
  learnedPositions: number;
  maxPositions?: number;
  experts?: number;
  perToken?: number;
  expertFfn?: number;
}

export function gptShape(o: GptOptions): ModelShape {
  const spec: DecoderSpec = {
    vocab: o.vocab,
    hidden: o.hidden,
    layers: o.layers,
    heads: o.heads,
    kvHeads: o.kvHeads,
    headDim: o.headDim,
    ffn: o.ffn,
    gated: o.gated,
    norm: o.norm,
    normsPerLayer: o.normsPerLayer,
    qkvBias: o.bias,
    outBias: o.bias,
    mlpBias: o.bias,
    tied: o.tied,
    learnedPositions: o.learnedPositions,
    embeddingNorm: false,
    moe:
      o.experts && o.experts > 1
        ? { experts: o.experts, perToken: o.perToken ?? 2, expertFfn: o.expertFfn ?? o.ffn, sharedFfn: 0, sharedGate: false, routerBias: false, denseLayers: 0 }
        : undefined,
  };
  const c = countDecoder(spec);
  return {
    family: o.family,
    modelType: o.family,
    architecture: 'decoder',
    params: { total: c.total, active: c.active, embedding: c.embedding },
    convention: NUM_PARAMETERS_CONVENTION,
    formula: `N = V·d·(tied ? 1 : 2) + P·d + L·(attention + ${o.gated ? '3' : '2'}·d·f [+ biases] + norms) + final norm`,
    layers: o.layers,
    hidden: o.hidden,
    heads: o.heads,
    headDim: o.headDim,
    vocab: o.vocab,
    maxPositions: o.maxPositions,
    experts: spec.moe ? { total: spec.moe.experts, perToken: spec.moe.perToken } : undefined,
    linears: decoderLinears(spec),
  };
}

/** Megatron pads the vocabulary to a multiple of make-vocab-size-divisible-by × tensor-parallel size. */
export function padVocab(vocab: number, multiple: number): number {
  return Math.ceil(vocab / multiple) * multiple;
}

/** Vocabulary sizes of the tokenizers Megatron and NeMo configs name instead of a number. */
export const TOKENIZER_VOCAB: Record<string, number> = {
  gpt2bpetokenizer: 50257,
  gpt2: 50257,
  llamatokenizer: 32000,
  llama2tokenizer: 32000,
  llama3tokenizer: 128256,
  gptsentencepiecetokenizer: 32000,
};
