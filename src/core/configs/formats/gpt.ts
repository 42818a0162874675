import { countDecoder, decoderLinears, type DecoderSpec } from '../decoder';
import { NUM_PARAMETERS_CONVENTION, type ModelShape } from '../shape';
import { findKnownShape, KNOWN_SHAPES, normalizeModelName, type KnownShape } from '../knownShapes';
import type { FieldReader } from '../reader';
import type { Sourced } from '../types';
import type { FormatContext } from './context';
import { dirnameOf, joinPath } from '../relpath';

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
};

/** BERT WordPiece vocabularies (bert-base/large uncased and cased), as Megatron and NeMo name their tokenizers. */
Object.assign(TOKENIZER_VOCAB, { bertwordpiecelowercase: 30522, bertwordpiececase: 28996 });

/** Tokenizers of models outside the table of known shapes that Megatron recipes name: vocab_size of each published config.json. */
const HUB_TOKENIZER_VOCAB: Record<string, number> = {
  'deepseek-v2-lite': 102400,
  'deepseek-v2': 102400,
  'deepseek-v3': 129280,
  'deepseek-v3-base': 129280,
  'qwen1.5-4b': 151936,
  'qwen1.5-7b': 151936,
  'starcoder2-tokenizer': 49152,
  'starcoder2-3b': 49152,
  'starcoder2-7b': 49152,
  'starcoder2-15b': 49152,
};

/**
 * The vocabulary a tokenizer name gives: a model in the table of known shapes (`meta-llama/Llama-3.1-8B`, a
 * tokenizer folder named after its model) or a tokenizer class Megatron and NeMo know by name.
 */
export function tokenizerVocab(name: string): { vocab: number; from: string } | undefined {
  const known = findKnownShape(name);
  if (known && typeof known.config.vocab_size === 'number') return { vocab: known.config.vocab_size, from: `${known.key} in the table of known shapes` };
  const v = TOKENIZER_VOCAB[name.toLowerCase()];
  if (v) return { vocab: v, from: `the ${name} tokenizer` };
  const hub = HUB_TOKENIZER_VOCAB[normalizeModelName(name).replace(/-(instruct|chat|base)$/, '')];
  return hub ? { vocab: hub, from: `${name} (vocab_size of its published config.json)` } : undefined;
}

const GATED_FAMILIES = new Set(['llama', 'mistral', 'mixtral', 'qwen2', 'gemma', 'gemma2']);
// Families whose published tokenizer is a SentencePiece model (Llama 3's is tiktoken BPE, with 128,256 entries).
const SENTENCEPIECE = (s: KnownShape) => ['llama', 'mistral', 'mixtral', 'gemma'].includes(String(s.config.model_type)) && s.config.vocab_size !== 128256;

/**
 * A tokenizer given as a folder or file of the workspace (`./tokenizer`, `../ckpt/tokenizer.model`): the vocab_size of
 * the model config.json in that folder, read as a field of that file. Only relative paths: the files around a config.
 */
export function vocabFromTokenizerPath(path: string, ctx: FormatContext): Sourced<number> | undefined {
  if (!/^\.{1,2}\//.test(path) || !ctx.siblingDoc) return undefined;
  const folder = /\.[A-Za-z0-9]+$/.test(path.replace(/\/+$/, '')) ? dirnameOf(path) : path.replace(/\/+$/, '');
  const doc = ctx.siblingDoc(joinPath(folder, 'config.json'));
  const v = doc && doc.data !== null && typeof doc.data === 'object' ? (doc.data as Record<string, unknown>).vocab_size : undefined;
  if (!doc || typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 1e8) return undefined;
  const loc = doc.locate(['vocab_size']);
  return { value: v, source: { kind: 'read', file: doc.file, field: 'vocab_size', line: loc?.line ?? 1, column: loc?.column ?? 1, offset: loc?.offset ?? 0, length: loc?.length ?? 0 } };
}

/**
 * A published decoder with exactly these dimensions (layers, width, heads, FFN width) and the same kind of MLP
 * (gated or not), for its vocabulary; with a SentencePiece tokenizer, only models that use one.
 */
export function knownDecoderWithShape(L: number, d: number, H: number, f: number, gated?: boolean, library?: string): KnownShape | undefined {
  return KNOWN_SHAPES.find(
    (s) =>
      s.config.num_hidden_layers === L &&
      s.config.hidden_size === d &&
      s.config.num_attention_heads === H &&
      s.config.intermediate_size === f &&
      (gated === undefined || GATED_FAMILIES.has(String(s.config.model_type)) === gated) &&
      (!/sentencepiece/i.test(library ?? '') || SENTENCEPIECE(s)),
  );
}

/**
 * The vocabulary when the file names no tokenizer LIM Lens knows: the vocabulary of a published model with the same
 * shape, else GPT-2's BPE (50,257), Megatron's and NeMo's default. Either way a listed assumption with a warning.
 */
export function assumedVocab(r: FieldReader, at: readonly string[], dims: { L: number; d: number; H: number; f: number; gated?: boolean; library?: string }, why: string): { vocab: number; reason: string } {
  const same = knownDecoderWithShape(dims.L, dims.d, dims.H, dims.f, dims.gated, dims.library);
  const reason = same
    ? `${why}: the vocabulary of ${same.key} (${String(same.config.vocab_size)}), the published model with this shape (${dims.L} layers, d ${dims.d}, ${dims.H} heads, FFN ${dims.f})`
    : `${why}: the GPT-2 BPE vocabulary (50,257), Megatron's and NeMo's default`;
  const vocab = same ? Number(same.config.vocab_size) : 50257;
  r.assume('vocabulary', vocab, reason);
  r.report(at, 'vocab-assumed', `${reason}; give the vocabulary size (or a tokenizer LIM Lens knows) for an exact count`, 'warning');
  return { vocab, reason };
}
