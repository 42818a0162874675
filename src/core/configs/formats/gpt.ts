import { countDecoder, decoderLinears, type DecoderSpec } from '../decoder';
import { NUM_PARAMETERS_CONVENTION, type ModelShape } from '../shape';

/**
 * Megatron-LM, NeMo and LitGPT describe a GPT inline instead of pointing at a config.json; their options map
 * onto the same DecoderSpec as the Hugging Face families.
 */
export function gptShape(family: string, spec: DecoderSpec, maxPositions?: number): ModelShape {
  const c = countDecoder(spec);
  return {
    family,
    modelType: family,
    architecture: 'decoder',
    params: { total: c.total, active: c.active, embedding: c.embedding },
    convention: NUM_PARAMETERS_CONVENTION,
    formula: `N = V·d·(tied ? 1 : 2) + P·d + L·(attention + ${spec.gated ? '3' : '2'}·d·f [+ biases] + norms) + final norm`,
    layers: spec.layers,
    hidden: spec.hidden,
    heads: spec.heads,
    headDim: spec.headDim,
    vocab: spec.vocab,
    maxPositions,
    experts: spec.moe ? { total: spec.moe.experts, perToken: spec.moe.perToken } : undefined,
    linears: decoderLinears(spec),
  };
}

/** Mixture-of-experts options as these frameworks give them (0 or 1 expert: dense). */
export function expertsOf(experts: number, perToken: number, expertFfn: number): Pick<DecoderSpec, 'moe'> {
  return experts > 1 ? { moe: { experts, perToken, expertFfn, sharedFfn: 0, sharedGate: false, routerBias: false, denseLayers: 0 } } : {};
}

/** Biases on every linear layer, or on none. */
export const biases = (on: boolean): Pick<DecoderSpec, 'qkvBias' | 'outBias' | 'mlpBias'> => ({ qkvBias: on, outBias: on, mlpBias: on });

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
