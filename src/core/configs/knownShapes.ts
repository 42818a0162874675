/**
 * Bundled table of published model shapes, so a training config that names its model by Hub id
 * ("meta-llama/Llama-2-7b-hf"), torchtune builder ("torchtune.models.llama3.lora_llama3_8b") or LitGPT name
 * ("Llama-2-7b-hf") can be counted without a network fetch. Each entry is the relevant part of the model's
 * published config.json, counted by the same code as a config.json on disk.
 */

export interface KnownShape {
  key: string;
  /** Other spellings: Hub ids, torchtune builders, LitGPT names. Matched after `normalizeModelName`. */
  aliases: string[];
  config: Record<string, unknown>;
  source: string;
}

type Llama = { V: number; d: number; L: number; H: number; K?: number; f: number; P: number; tied?: boolean; head?: number; type?: string };

function llama(x: Llama): Record<string, unknown> {
  return {
    model_type: x.type ?? 'llama',
    vocab_size: x.V,
    hidden_size: x.d,
    num_hidden_layers: x.L,
    num_attention_heads: x.H,
    num_key_value_heads: x.K ?? x.H,
    intermediate_size: x.f,
    max_position_embeddings: x.P,
    tie_word_embeddings: x.tied ?? false,
    ...(x.head ? { head_dim: x.head } : {}),
  };
}

const gpt2 = (d: number, L: number, H: number, P = 1024, V = 50257) => ({ model_type: 'gpt2', vocab_size: V, n_embd: d, n_layer: L, n_head: H, n_positions: P });
const bert = (d: number, L: number, H: number, V = 30522) => ({
  model_type: 'bert', vocab_size: V, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, intermediate_size: 4 * d, max_position_embeddings: 512, type_vocab_size: 2,
});
const t5 = (d: number, L: number, H: number, ff: number, v11 = false) => ({
  model_type: 't5', vocab_size: 32128, d_model: d, d_kv: 64, d_ff: ff, num_layers: L, num_decoder_layers: L, num_heads: H, relative_attention_num_buckets: 32, n_positions: 512,
  ...(v11 ? { feed_forward_proj: 'gated-gelu', tie_word_embeddings: false } : {}),
});
const vit = (d: number, L: number, H: number, patch = 16) => ({
  model_type: 'vit', architectures: ['ViTForImageClassification'], num_labels: 1000, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, intermediate_size: 4 * d, image_size: 224, patch_size: patch, num_channels: 3,
});
const resnet = (layerType: 'basic' | 'bottleneck', depths: number[]) => ({
  model_type: 'resnet', architectures: ['ResNetForImageClassification'], num_labels: 1000, num_channels: 3, embedding_size: 64, layer_type: layerType, depths,
  hidden_sizes: layerType === 'basic' ? [64, 128, 256, 512] : [256, 512, 1024, 2048],
});
const falcon = (d: number, L: number, H: number, K?: number) => ({
  model_type: 'falcon', vocab_size: 65024, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, bias: false, parallel_attn: true,
  ...(K ? { new_decoder_architecture: true, num_kv_heads: K } : { multi_query: true, new_decoder_architecture: false }),
});
const neox = (d: number, L: number, H: number, V = 50304) => ({
  model_type: 'gpt_neox', vocab_size: V, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, intermediate_size: 4 * d, max_position_embeddings: 2048,
});
const bloom = (d: number, L: number, H: number) => ({ model_type: 'bloom', vocab_size: 250880, hidden_size: d, n_layer: L, n_head: H });

const HF = 'published config.json on the Hugging Face Hub';

export const KNOWN_SHAPES: readonly KnownShape[] = [
  { key: 'llama-2-7b', aliases: ['meta-llama/Llama-2-7b-hf', 'Llama-2-7b-chat-hf', 'llama2_7b', 'llama2-7b'], config: llama({ V: 32000, d: 4096, L: 32, H: 32, f: 11008, P: 4096 }), source: HF },
  { key: 'llama-2-13b', aliases: ['meta-llama/Llama-2-13b-hf', 'Llama-2-13b-chat-hf', 'llama2_13b'], config: llama({ V: 32000, d: 5120, L: 40, H: 40, f: 13824, P: 4096 }), source: HF },
  { key: 'llama-2-70b', aliases: ['meta-llama/Llama-2-70b-hf', 'Llama-2-70b-chat-hf', 'llama2_70b'], config: llama({ V: 32000, d: 8192, L: 80, H: 64, K: 8, f: 28672, P: 4096 }), source: HF },
  { key: 'llama-3-8b', aliases: ['meta-llama/Meta-Llama-3-8B', 'Meta-Llama-3-8B-Instruct', 'llama3_8b', 'llama3-8b'], config: llama({ V: 128256, d: 4096, L: 32, H: 32, K: 8, f: 14336, P: 8192 }), source: HF },
  { key: 'llama-3-70b', aliases: ['meta-llama/Meta-Llama-3-70B', 'Meta-Llama-3-70B-Instruct', 'llama3_70b'], config: llama({ V: 128256, d: 8192, L: 80, H: 64, K: 8, f: 28672, P: 8192 }), source: HF },
  { key: 'llama-3.1-8b', aliases: ['meta-llama/Llama-3.1-8B', 'meta-llama/Meta-Llama-3.1-8B', 'Llama-3.1-8B-Instruct', 'llama3_1_8b'], config: llama({ V: 128256, d: 4096, L: 32, H: 32, K: 8, f: 14336, P: 131072 }), source: HF },
  { key: 'llama-3.1-70b', aliases: ['meta-llama/Llama-3.1-70B', 'meta-llama/Meta-Llama-3.1-70B', 'llama3_1_70b'], config: llama({ V: 128256, d: 8192, L: 80, H: 64, K: 8, f: 28672, P: 131072 }), source: HF },
  { key: 'llama-3.1-405b', aliases: ['meta-llama/Llama-3.1-405B', 'meta-llama/Meta-Llama-3.1-405B', 'llama3_1_405b'], config: llama({ V: 128256, d: 16384, L: 126, H: 128, K: 8, f: 53248, P: 131072 }), source: HF },
  { key: 'llama-3.2-1b', aliases: ['meta-llama/Llama-3.2-1B', 'Llama-3.2-1B-Instruct', 'llama3_2_1b'], config: llama({ V: 128256, d: 2048, L: 16, H: 32, K: 8, f: 8192, P: 131072, tied: true, head: 64 }), source: HF },
  { key: 'llama-3.2-3b', aliases: ['meta-llama/Llama-3.2-3B', 'Llama-3.2-3B-Instruct', 'llama3_2_3b'], config: llama({ V: 128256, d: 3072, L: 28, H: 24, K: 8, f: 8192, P: 131072, tied: true, head: 128 }), source: HF },
  { key: 'mistral-7b', aliases: ['mistralai/Mistral-7B-v0.1', 'Mistral-7B-Instruct-v0.1', 'mistral_7b', 'mistral-7b-v0.1'], config: llama({ type: 'mistral', V: 32000, d: 4096, L: 32, H: 32, K: 8, f: 14336, P: 32768 }), source: HF },
  { key: 'mistral-7b-v0.3', aliases: ['mistralai/Mistral-7B-v0.3', 'Mistral-7B-Instruct-v0.3'], config: llama({ type: 'mistral', V: 32768, d: 4096, L: 32, H: 32, K: 8, f: 14336, P: 32768 }), source: HF },
  { key: 'mixtral-8x7b', aliases: ['mistralai/Mixtral-8x7B-v0.1', 'Mixtral-8x7B-Instruct-v0.1', 'mixtral_8x7b'], config: { ...llama({ type: 'mixtral', V: 32000, d: 4096, L: 32, H: 32, K: 8, f: 14336, P: 32768 }), num_local_experts: 8, num_experts_per_tok: 2 }, source: HF },
  { key: 'mixtral-8x22b', aliases: ['mistralai/Mixtral-8x22B-v0.1', 'Mixtral-8x22B-Instruct-v0.1'], config: { ...llama({ type: 'mixtral', V: 32000, d: 6144, L: 56, H: 48, K: 8, f: 16384, P: 65536 }), num_local_experts: 8, num_experts_per_tok: 2 }, source: HF },
  { key: 'qwen2-0.5b', aliases: ['Qwen/Qwen2-0.5B', 'Qwen/Qwen2.5-0.5B', 'qwen2_0_5b', 'qwen2_5_0_5b'], config: llama({ type: 'qwen2', V: 151936, d: 896, L: 24, H: 14, K: 2, f: 4864, P: 32768, tied: true }), source: HF },
  { key: 'qwen2-1.5b', aliases: ['Qwen/Qwen2-1.5B', 'Qwen/Qwen2.5-1.5B', 'qwen2_1_5b', 'qwen2_5_1_5b'], config: llama({ type: 'qwen2', V: 151936, d: 1536, L: 28, H: 12, K: 2, f: 8960, P: 32768, tied: true }), source: HF },
  { key: 'qwen2-7b', aliases: ['Qwen/Qwen2-7B', 'Qwen/Qwen2.5-7B', 'Qwen2-7B-Instruct', 'qwen2_7b', 'qwen2_5_7b'], config: llama({ type: 'qwen2', V: 152064, d: 3584, L: 28, H: 28, K: 4, f: 18944, P: 131072 }), source: HF },
  { key: 'qwen2-72b', aliases: ['Qwen/Qwen2-72B', 'Qwen/Qwen2.5-72B', 'qwen2_72b'], config: llama({ type: 'qwen2', V: 152064, d: 8192, L: 80, H: 64, K: 8, f: 29568, P: 131072 }), source: HF },
  { key: 'gemma-2b', aliases: ['google/gemma-2b', 'gemma-2b-it', 'gemma_2b'], config: llama({ type: 'gemma', V: 256000, d: 2048, L: 18, H: 8, K: 1, f: 16384, P: 8192, tied: true, head: 256 }), source: HF },
  { key: 'gemma-7b', aliases: ['google/gemma-7b', 'gemma-7b-it', 'gemma_7b'], config: llama({ type: 'gemma', V: 256000, d: 3072, L: 28, H: 16, K: 16, f: 24576, P: 8192, tied: true, head: 256 }), source: HF },
  { key: 'gpt2', aliases: ['openai-community/gpt2', 'gpt2-small', 'gpt2-124m'], config: gpt2(768, 12, 12), source: HF },
  { key: 'gpt2-medium', aliases: ['openai-community/gpt2-medium', 'gpt2-355m'], config: gpt2(1024, 24, 16), source: HF },
  { key: 'gpt2-large', aliases: ['openai-community/gpt2-large', 'gpt2-774m'], config: gpt2(1280, 36, 20), source: HF },
  { key: 'gpt2-xl', aliases: ['openai-community/gpt2-xl', 'gpt2-1.5b'], config: gpt2(1600, 48, 25), source: HF },
  {
    key: 'gpt3-175b',
    aliases: ['gpt-3', 'gpt3', 'gpt-3-175b', 'davinci'],
    config: gpt2(12288, 96, 96, 2048),
    source: 'Brown et al. 2020, Table 2.1 (d 12288, 96 layers, 96 heads, context 2048, GPT-2 vocabulary)',
  },
  { key: 'bert-base-uncased', aliases: ['google-bert/bert-base-uncased', 'bert-base'], config: bert(768, 12, 12), source: HF },
  { key: 'bert-base-cased', aliases: ['google-bert/bert-base-cased'], config: bert(768, 12, 12, 28996), source: HF },
  { key: 'bert-large-uncased', aliases: ['google-bert/bert-large-uncased', 'bert-large'], config: bert(1024, 24, 16), source: HF },
  { key: 't5-small', aliases: ['google-t5/t5-small'], config: t5(512, 6, 8, 2048), source: HF },
  { key: 't5-base', aliases: ['google-t5/t5-base'], config: t5(768, 12, 12, 3072), source: HF },
  { key: 't5-large', aliases: ['google-t5/t5-large'], config: t5(1024, 24, 16, 4096), source: HF },
  { key: 't5-v1_1-base', aliases: ['google/t5-v1_1-base', 'google/flan-t5-base', 'flan-t5-base'], config: t5(768, 12, 12, 2048, true), source: HF },
  { key: 't5-v1_1-large', aliases: ['google/t5-v1_1-large', 'google/flan-t5-large', 'flan-t5-large'], config: t5(1024, 24, 16, 2816, true), source: HF },
  { key: 'falcon-7b', aliases: ['tiiuae/falcon-7b', 'falcon-7b-instruct'], config: falcon(4544, 32, 71), source: HF },
  { key: 'falcon-40b', aliases: ['tiiuae/falcon-40b', 'falcon-40b-instruct'], config: falcon(8192, 60, 128, 8), source: HF },
  { key: 'falcon-180b', aliases: ['tiiuae/falcon-180B', 'falcon-180b-chat'], config: falcon(14848, 80, 232, 8), source: HF },
  { key: 'bloom', aliases: ['bigscience/bloom', 'bloom-176b'], config: bloom(14336, 70, 112), source: HF },
  { key: 'bloom-560m', aliases: ['bigscience/bloom-560m'], config: bloom(1024, 24, 16), source: HF },
  { key: 'bloom-7b1', aliases: ['bigscience/bloom-7b1'], config: bloom(4096, 30, 32), source: HF },
  { key: 'pythia-160m', aliases: ['EleutherAI/pythia-160m'], config: neox(768, 12, 12), source: HF },
  { key: 'pythia-1b', aliases: ['EleutherAI/pythia-1b'], config: neox(2048, 16, 8), source: HF },
  { key: 'pythia-6.9b', aliases: ['EleutherAI/pythia-6.9b'], config: neox(4096, 32, 32, 50432), source: HF },
  { key: 'vit-base-patch16-224', aliases: ['google/vit-base-patch16-224', 'vit-b-16', 'vit_b_16', 'vit-base'], config: vit(768, 12, 12), source: HF },
  { key: 'vit-large-patch16-224', aliases: ['google/vit-large-patch16-224', 'vit-l-16', 'vit_l_16', 'vit-large'], config: vit(1024, 24, 16), source: HF },
  { key: 'resnet-18', aliases: ['microsoft/resnet-18', 'resnet18'], config: resnet('basic', [2, 2, 2, 2]), source: HF },
  { key: 'resnet-50', aliases: ['microsoft/resnet-50', 'resnet50'], config: resnet('bottleneck', [3, 4, 6, 3]), source: HF },
  { key: 'resnet-101', aliases: ['microsoft/resnet-101', 'resnet101'], config: resnet('bottleneck', [3, 4, 23, 3]), source: HF },
];

/**
 * Folds the ways a model is named onto one key: case, organisation prefix, separators, torchtune's
 * `lora_`/`qlora_` builder prefixes, and a trailing `-hf`.
 */
export function normalizeModelName(name: string): string {
  let n = name.trim().toLowerCase();
  if (n.startsWith('torchtune.models.')) n = n.slice(n.lastIndexOf('.') + 1);
  n = n.replace(/^checkpoints\//, '').replace(/\/+$/, '');
  n = n.slice(n.lastIndexOf('/') + 1);
  n = n.replace(/^q?lora_/, '').replace(/[_\s]+/g, '-').replace(/-hf$/, '');
  return n;
}

const INDEX: Map<string, KnownShape> = (() => {
  const m = new Map<string, KnownShape>();
  for (const s of KNOWN_SHAPES) for (const name of [s.key, ...s.aliases]) m.set(normalizeModelName(name), s);
  return m;
})();

export function findKnownShape(name: string): KnownShape | undefined {
  return INDEX.get(normalizeModelName(name));
}

/** Whether a builder or model name asks for a LoRA / QLoRA fine-tune (torchtune's lora_llama3_8b …). */
export function builderAdapter(name: string): 'lora' | 'qlora' | undefined {
  const last = name.trim().toLowerCase().split('.').pop() ?? '';
  return last.startsWith('qlora_') ? 'qlora' : last.startsWith('lora_') ? 'lora' : undefined;
}
