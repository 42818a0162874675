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
const bloom = (d: number, L: number, H: number, V = 250880) => ({ model_type: 'bloom', vocab_size: V, hidden_size: d, n_layer: L, n_head: H });

const HF = 'published config.json on the Hugging Face Hub';
/** The source of an entry: the config.json of that Hub repository. */
const hub = (id: string) => `config.json of ${id} on the Hugging Face Hub`;

type Moe = { E: number; k: number; fe: number };
const qwen3 = (x: Llama & { moe?: Moe }) => ({
  ...llama({ ...x, type: x.moe ? 'qwen3_moe' : 'qwen3', head: x.head ?? 128 }),
  ...(x.moe ? { num_experts: x.moe.E, num_experts_per_tok: x.moe.k, moe_intermediate_size: x.moe.fe, decoder_sparse_step: 1, mlp_only_layers: [] } : {}),
});
const gemma2 = (d: number, L: number, H: number, K: number, head: number, f: number) => llama({ type: 'gemma2', V: 256000, d, L, H, K, f, P: 8192, tied: true, head });
/** Gemma 3 with its SigLIP tower (Gemma3ForConditionalGeneration), the text part in text_config. */
const gemma3 = (d: number, L: number, H: number, K: number, head: number, f: number) => ({
  model_type: 'gemma3',
  text_config: { model_type: 'gemma3_text', vocab_size: 262208, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, num_key_value_heads: K, head_dim: head, intermediate_size: f, max_position_embeddings: 131072 },
  vision_config: { model_type: 'siglip_vision_model', hidden_size: 1152, image_size: 896, intermediate_size: 4304, num_attention_heads: 16, num_hidden_layers: 27, patch_size: 14, vision_use_head: false },
});
const phi3 = (x: Llama) => llama({ ...x, type: 'phi3' });
const opt = (d: number, L: number, H: number) => ({
  model_type: 'opt', vocab_size: 50272, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, ffn_dim: 4 * d, max_position_embeddings: 2048, word_embed_proj_dim: d, do_layer_norm_before: true,
});
const whisper = (d: number, L: number, H: number, V = 51865, mel = 80, Ld = L) => ({
  model_type: 'whisper', vocab_size: V, d_model: d, encoder_layers: L, decoder_layers: Ld, encoder_attention_heads: H, decoder_attention_heads: H, encoder_ffn_dim: 4 * d, decoder_ffn_dim: 4 * d,
  num_mel_bins: mel, max_source_positions: 1500, max_target_positions: 448,
});
const roberta = (d: number, L: number, H: number) => ({
  model_type: 'roberta', vocab_size: 50265, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, intermediate_size: 4 * d, max_position_embeddings: 514, type_vocab_size: 1,
});
const starcoder2 = (d: number, L: number, H: number, K: number) => ({
  model_type: 'starcoder2', vocab_size: 49152, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, num_key_value_heads: K, intermediate_size: 4 * d, max_position_embeddings: 16384, use_bias: true,
});
const granite = (x: Llama & { moe?: Moe }) => ({
  ...llama({ ...x, type: x.moe ? 'granitemoe' : 'granite', tied: true, f: x.moe ? x.moe.fe : x.f }),
  ...(x.moe ? { num_local_experts: x.moe.E, num_experts_per_tok: x.moe.k } : {}),
});
const pythia = (d: number, L: number, H: number, V = 50304) => neox(d, L, H, V);
const deberta = (d: number, L: number, H: number) => ({
  model_type: 'deberta-v2', vocab_size: 128100, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, intermediate_size: 4 * d, max_position_embeddings: 512, relative_attention: true,
  position_buckets: 256, norm_rel_ebd: 'layer_norm', share_att_key: true, position_biased_input: false, type_vocab_size: 0, pos_att_type: ['p2c', 'c2p'],
});
const clip = (dt: number, Ht: number, dv: number, Lv: number, Hv: number, patch: number, proj: number) => ({
  model_type: 'clip', projection_dim: proj,
  text_config: { vocab_size: 49408, hidden_size: dt, intermediate_size: 4 * dt, num_hidden_layers: 12, num_attention_heads: Ht, max_position_embeddings: 77 },
  vision_config: { hidden_size: dv, intermediate_size: 4 * dv, num_hidden_layers: Lv, num_attention_heads: Hv, image_size: 224, patch_size: patch },
});
const deepseek = (x: { V: number; d: number; L: number; H: number; f: number; fe: number; E: number; shared: number; k: number; dense: number; qRank: number | null; type: string; topk?: string }) => ({
  model_type: x.type, vocab_size: x.V, hidden_size: x.d, num_hidden_layers: x.L, num_attention_heads: x.H, num_key_value_heads: x.H, intermediate_size: x.f, moe_intermediate_size: x.fe,
  n_routed_experts: x.E, n_shared_experts: x.shared, num_experts_per_tok: x.k, first_k_dense_replace: x.dense, q_lora_rank: x.qRank, kv_lora_rank: 512, qk_nope_head_dim: 128, qk_rope_head_dim: 64,
  v_head_dim: 128, tie_word_embeddings: false, ...(x.topk ? { topk_method: x.topk } : {}),
});

/**
 * Llama 4 (Llama4ForConditionalGeneration): the text model in text_config, counted exactly; the vision tower is not
 * (the count says it is the text model only). Scout: 16 routed experts + a shared one in all 48 layers, 17B active.
 */
const llama4 = (E: number, step: number) => ({
  model_type: 'llama4',
  text_config: {
    model_type: 'llama4_text', vocab_size: 202048, hidden_size: 5120, num_hidden_layers: 48, num_attention_heads: 40, num_key_value_heads: 8, head_dim: 128,
    intermediate_size: 8192, intermediate_size_mlp: 16384, num_local_experts: E, num_experts_per_tok: 1, interleave_moe_layer_step: step, max_position_embeddings: 262144,
    tie_word_embeddings: false, use_qk_norm: true, attention_bias: false,
  },
  tie_word_embeddings: false,
});

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
  // DistilGPT2: GPT-2's shape with 6 layers (n_embd 768, n_head 12, vocabulary 50,257, 1,024 positions), 81,912,576 parameters.
  { key: 'distilgpt2', aliases: ['distilbert/distilgpt2', 'distil-gpt2'], config: gpt2(768, 6, 12), source: hub('distilbert/distilgpt2') },
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
  // BLOOMZ is BLOOM fine-tuned on the xP3 task mixture: each size keeps its BLOOM base's config.json shape (the -mt
  // variants were fine-tuned on the machine-translated prompts and keep it too).
  ...([['560m', 1024, 24, 16], ['1b1', 1536, 24, 16], ['1b7', 2048, 24, 16], ['3b', 2560, 30, 32], ['7b1', 4096, 30, 32]] as const).map(([size, d, L, H]) => ({
    key: `bloomz-${size}`,
    aliases: [`bigscience/bloomz-${size}`, ...(size === '7b1' ? ['bigscience/bloomz-7b1-mt', 'bigscience/bloomz-7b1-p3'] : [])],
    config: bloom(d, L, H),
    source: hub(`bigscience/bloomz-${size}`),
  })),
  { key: 'bloomz', aliases: ['bigscience/bloomz', 'bigscience/bloomz-mt', 'bloomz-176b'], config: bloom(14336, 70, 112), source: hub('bigscience/bloomz') },
  // Langboat's Chinese BLOOM: bigscience/bloom-1b7 (hidden 2048, 24 layers, 16 heads) with its vocabulary pruned from
  // 250,880 to 46,145 tokens, as its model card says; PEFT's print_trainable_parameters on it reports 1,303,111,680
  // base parameters (all 1,303,126,016 less 14,336 prompt-tuning ones).
  { key: 'llama-4-scout-17b-16e', aliases: ['meta-llama/Llama-4-Scout-17B-16E', 'Llama-4-Scout-17B-16E-Instruct', 'llama4_scout_17b_16e'], config: llama4(16, 1), source: hub('meta-llama/Llama-4-Scout-17B-16E') },
  { key: 'llama-4-maverick-17b-128e', aliases: ['meta-llama/Llama-4-Maverick-17B-128E', 'Llama-4-Maverick-17B-128E-Instruct', 'llama4_maverick_17b_128e'], config: llama4(128, 2), source: hub('meta-llama/Llama-4-Maverick-17B-128E') },
  { key: 'bloom-1b4-zh', aliases: ['Langboat/bloom-1b4-zh'], config: bloom(2048, 24, 16, 46145), source: 'config.json of bigscience/bloom-1b7 on the Hugging Face Hub with the 46,145-token vocabulary of the Langboat/bloom-1b4-zh model card' },
  { key: 'pythia-160m', aliases: ['EleutherAI/pythia-160m'], config: neox(768, 12, 12), source: HF },
  { key: 'pythia-1b', aliases: ['EleutherAI/pythia-1b'], config: neox(2048, 16, 8), source: HF },
  { key: 'pythia-6.9b', aliases: ['EleutherAI/pythia-6.9b'], config: neox(4096, 32, 32, 50432), source: HF },
  { key: 'vit-base-patch16-224', aliases: ['google/vit-base-patch16-224', 'vit-b-16', 'vit_b_16', 'vit-base'], config: vit(768, 12, 12), source: HF },
  { key: 'vit-large-patch16-224', aliases: ['google/vit-large-patch16-224', 'vit-l-16', 'vit_l_16', 'vit-large'], config: vit(1024, 24, 16), source: HF },
  { key: 'resnet-18', aliases: ['microsoft/resnet-18', 'resnet18'], config: resnet('basic', [2, 2, 2, 2]), source: HF },
  { key: 'resnet-50', aliases: ['microsoft/resnet-50', 'resnet50'], config: resnet('bottleneck', [3, 4, 6, 3]), source: HF },
  { key: 'resnet-101', aliases: ['microsoft/resnet-101', 'resnet101'], config: resnet('bottleneck', [3, 4, 23, 3]), source: HF },
  // Added for real configs from real repositories: the popular open models and their common re-upload names.
  { key: 'llama-3.3-70b', aliases: ['meta-llama/Llama-3.3-70B-Instruct', 'llama3_3_70b'], config: llama({ V: 128256, d: 8192, L: 80, H: 64, K: 8, f: 28672, P: 131072 }), source: hub('meta-llama/Llama-3.3-70B-Instruct') },
  { key: 'tinyllama-1.1b', aliases: ['TinyLlama/TinyLlama-1.1B-Chat-v1.0', 'TinyLlama/TinyLlama_v1.1', 'TinyLlama-1.1B-intermediate-step-1431k-3T', 'tiny-llama-1.1b', 'tinyllama-1.1b-chat-v1.0'], config: llama({ V: 32000, d: 2048, L: 22, H: 32, K: 4, f: 5632, P: 2048 }), source: hub('TinyLlama/TinyLlama-1.1B-Chat-v1.0') },
  // LitGPT's own name (litgpt/config.py: n_layer 12, n_head 16, n_embd 1024, n_query_groups 4, LLaMAMLP 5632,
  // RMSNorm, no bias, vocab 32000, block_size 2048; lm_head untied) for keeeeenw/MicroLlama.
  { key: 'micro-llama-300m', aliases: ['keeeeenw/MicroLlama'], config: llama({ V: 32000, d: 1024, L: 12, H: 16, K: 4, f: 5632, P: 2048 }), source: 'micro-llama-300M in litgpt/config.py (Lightning-AI/litgpt)' },
  { key: 'mistral-nemo-12b', aliases: ['mistralai/Mistral-Nemo-Base-2407', 'mistralai/Mistral-Nemo-Instruct-2407', 'mistral-nemo', 'mistral_nemo_12b'], config: llama({ type: 'mistral', V: 131072, d: 5120, L: 40, H: 32, K: 8, f: 14336, P: 1024000, head: 128 }), source: hub('mistralai/Mistral-Nemo-Base-2407') },
  { key: 'mistral-small-24b', aliases: ['mistralai/Mistral-Small-24B-Base-2501', 'mistralai/Mistral-Small-24B-Instruct-2501'], config: llama({ type: 'mistral', V: 131072, d: 5120, L: 40, H: 32, K: 8, f: 32768, P: 32768, head: 128 }), source: hub('mistralai/Mistral-Small-24B-Base-2501') },
  { key: 'qwen2.5-3b', aliases: ['Qwen/Qwen2.5-3B', 'Qwen/Qwen2.5-Coder-3B', 'qwen2_5_3b'], config: llama({ type: 'qwen2', V: 151936, d: 2048, L: 36, H: 16, K: 2, f: 11008, P: 32768, tied: true }), source: hub('Qwen/Qwen2.5-3B') },
  { key: 'qwen2.5-14b', aliases: ['Qwen/Qwen2.5-14B', 'Qwen/Qwen2.5-Coder-14B', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B', 'qwen2_5_14b'], config: llama({ type: 'qwen2', V: 152064, d: 5120, L: 48, H: 40, K: 8, f: 13824, P: 131072 }), source: hub('Qwen/Qwen2.5-14B') },
  { key: 'qwen2.5-32b', aliases: ['Qwen/Qwen2.5-32B', 'Qwen/Qwen2.5-Coder-32B', 'Qwen/QwQ-32B', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', 'qwen2_5_32b'], config: llama({ type: 'qwen2', V: 152064, d: 5120, L: 64, H: 40, K: 8, f: 27648, P: 131072 }), source: hub('Qwen/Qwen2.5-32B') },
  { key: 'qwen2.5-coder-7b', aliases: ['Qwen/Qwen2.5-Coder-7B', 'Qwen/Qwen2.5-Math-7B', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B'], config: llama({ type: 'qwen2', V: 152064, d: 3584, L: 28, H: 28, K: 4, f: 18944, P: 131072 }), source: hub('Qwen/Qwen2.5-Coder-7B') },
  {
    key: 'qwen1.5-moe-a2.7b', aliases: ['Qwen/Qwen1.5-MoE-A2.7B', 'Qwen/Qwen1.5-MoE-A2.7B-Chat'],
    config: { ...llama({ type: 'qwen2_moe', V: 151936, d: 2048, L: 24, H: 16, f: 5632, P: 8192 }), num_experts: 60, num_experts_per_tok: 4, moe_intermediate_size: 1408, shared_expert_intermediate_size: 5632, decoder_sparse_step: 1 },
    source: hub('Qwen/Qwen1.5-MoE-A2.7B'),
  },
  { key: 'qwen3-0.6b', aliases: ['Qwen/Qwen3-0.6B', 'Qwen/Qwen3-0.6B-Base', 'qwen3_0_6b'], config: qwen3({ V: 151936, d: 1024, L: 28, H: 16, K: 8, f: 3072, P: 40960, tied: true }), source: hub('Qwen/Qwen3-0.6B') },
  { key: 'qwen3-1.7b', aliases: ['Qwen/Qwen3-1.7B', 'Qwen/Qwen3-1.7B-Base', 'qwen3_1_7b'], config: qwen3({ V: 151936, d: 2048, L: 28, H: 16, K: 8, f: 6144, P: 40960, tied: true }), source: hub('Qwen/Qwen3-1.7B') },
  { key: 'qwen3-4b', aliases: ['Qwen/Qwen3-4B', 'Qwen/Qwen3-4B-Base', 'Qwen/Qwen3-4B-Instruct-2507', 'Qwen/Qwen3-4B-Thinking-2507', 'qwen3_4b'], config: qwen3({ V: 151936, d: 2560, L: 36, H: 32, K: 8, f: 9728, P: 40960, tied: true }), source: hub('Qwen/Qwen3-4B') },
  { key: 'qwen3-8b', aliases: ['Qwen/Qwen3-8B', 'Qwen/Qwen3-8B-Base', 'qwen3_8b'], config: qwen3({ V: 151936, d: 4096, L: 36, H: 32, K: 8, f: 12288, P: 40960 }), source: hub('Qwen/Qwen3-8B') },
  { key: 'qwen3-14b', aliases: ['Qwen/Qwen3-14B', 'Qwen/Qwen3-14B-Base', 'qwen3_14b'], config: qwen3({ V: 151936, d: 5120, L: 40, H: 40, K: 8, f: 17408, P: 40960 }), source: hub('Qwen/Qwen3-14B') },
  { key: 'qwen3-32b', aliases: ['Qwen/Qwen3-32B', 'qwen3_32b'], config: qwen3({ V: 151936, d: 5120, L: 64, H: 64, K: 8, f: 25600, P: 40960 }), source: hub('Qwen/Qwen3-32B') },
  { key: 'qwen3-30b-a3b', aliases: ['Qwen/Qwen3-30B-A3B', 'Qwen/Qwen3-30B-A3B-Base', 'Qwen/Qwen3-30B-A3B-Instruct-2507', 'qwen3_30b_a3b'], config: qwen3({ V: 151936, d: 2048, L: 48, H: 32, K: 4, f: 6144, P: 40960, moe: { E: 128, k: 8, fe: 768 } }), source: hub('Qwen/Qwen3-30B-A3B') },
  { key: 'qwen3-235b-a22b', aliases: ['Qwen/Qwen3-235B-A22B', 'Qwen/Qwen3-235B-A22B-Instruct-2507', 'qwen3_235b_a22b'], config: qwen3({ V: 151936, d: 4096, L: 94, H: 64, K: 4, f: 12288, P: 40960, moe: { E: 128, k: 8, fe: 1536 } }), source: hub('Qwen/Qwen3-235B-A22B') },
  { key: 'qwen-7b', aliases: ['Qwen/Qwen-7B', 'Qwen/Qwen-7B-Chat'], config: { model_type: 'qwen', vocab_size: 151936, hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, kv_channels: 128, intermediate_size: 22016, no_bias: true, max_position_embeddings: 32768 }, source: hub('Qwen/Qwen-7B') },
  { key: 'qwen-72b', aliases: ['Qwen/Qwen-72B', 'Qwen/Qwen-72B-Chat'], config: { model_type: 'qwen', vocab_size: 152064, hidden_size: 8192, num_hidden_layers: 80, num_attention_heads: 64, kv_channels: 128, intermediate_size: 49152, no_bias: true, max_position_embeddings: 32768 }, source: hub('Qwen/Qwen-72B') },
  { key: 'gemma-2-2b', aliases: ['google/gemma-2-2b', 'google/gemma-2-2b-it', 'gemma2_2b'], config: gemma2(2304, 26, 8, 4, 256, 9216), source: hub('google/gemma-2-2b') },
  { key: 'gemma-2-9b', aliases: ['google/gemma-2-9b', 'google/gemma-2-9b-it', 'gemma2_9b'], config: gemma2(3584, 42, 16, 8, 256, 14336), source: hub('google/gemma-2-9b') },
  { key: 'gemma-2-27b', aliases: ['google/gemma-2-27b', 'google/gemma-2-27b-it', 'gemma2_27b'], config: gemma2(4608, 46, 32, 16, 128, 36864), source: hub('google/gemma-2-27b') },
  { key: 'gemma-3-1b', aliases: ['google/gemma-3-1b-it', 'google/gemma-3-1b-pt', 'gemma3_1b'], config: llama({ type: 'gemma3_text', V: 262144, d: 1152, L: 26, H: 4, K: 1, f: 6912, P: 32768, tied: true, head: 256 }), source: hub('google/gemma-3-1b-it') },
  { key: 'gemma-3-4b', aliases: ['google/gemma-3-4b-it', 'google/gemma-3-4b-pt', 'gemma3_4b'], config: gemma3(2560, 34, 8, 4, 256, 10240), source: `${hub('google/gemma-3-4b-it')} (text and vision towers)` },
  { key: 'gemma-3-12b', aliases: ['google/gemma-3-12b-it', 'google/gemma-3-12b-pt', 'gemma3_12b'], config: gemma3(3840, 48, 16, 8, 256, 15360), source: `${hub('google/gemma-3-12b-it')} (text and vision towers)` },
  { key: 'gemma-3-27b', aliases: ['google/gemma-3-27b-it', 'google/gemma-3-27b-pt', 'gemma3_27b'], config: gemma3(5376, 62, 32, 16, 128, 21504), source: `${hub('google/gemma-3-27b-it')} (text and vision towers)` },
  { key: 'phi-1.5', aliases: ['microsoft/phi-1_5', 'microsoft/phi-1', 'phi-1'], config: { model_type: 'phi', vocab_size: 51200, hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 24, num_attention_heads: 32, max_position_embeddings: 2048 }, source: hub('microsoft/phi-1_5') },
  { key: 'phi-2', aliases: ['microsoft/phi-2', 'phi2'], config: { model_type: 'phi', vocab_size: 51200, hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048 }, source: hub('microsoft/phi-2') },
  { key: 'phi-3-mini', aliases: ['microsoft/Phi-3-mini-4k-instruct', 'microsoft/Phi-3-mini-128k-instruct', 'microsoft/Phi-3.5-mini-instruct', 'phi3_mini', 'phi-3.5-mini'], config: phi3({ V: 32064, d: 3072, L: 32, H: 32, f: 8192, P: 4096 }), source: hub('microsoft/Phi-3-mini-4k-instruct') },
  { key: 'phi-3-medium', aliases: ['microsoft/Phi-3-medium-4k-instruct', 'microsoft/Phi-3-medium-128k-instruct'], config: phi3({ V: 32064, d: 5120, L: 40, H: 40, K: 10, f: 17920, P: 4096 }), source: hub('microsoft/Phi-3-medium-4k-instruct') },
  {
    key: 'phi-3.5-moe', aliases: ['microsoft/Phi-3.5-MoE-instruct'],
    config: { ...llama({ type: 'phimoe', V: 32064, d: 4096, L: 32, H: 32, K: 8, f: 6400, P: 131072 }), attention_bias: true, lm_head_bias: true, num_local_experts: 16, num_experts_per_tok: 2 },
    source: hub('microsoft/Phi-3.5-MoE-instruct'),
  },
  { key: 'phi-4', aliases: ['microsoft/phi-4', 'phi4', 'phi4_14b'], config: phi3({ V: 100352, d: 5120, L: 40, H: 40, K: 10, f: 17920, P: 16384 }), source: hub('microsoft/phi-4') },
  { key: 'phi-4-mini', aliases: ['microsoft/Phi-4-mini-instruct'], config: phi3({ V: 200064, d: 3072, L: 32, H: 24, K: 8, f: 8192, P: 131072, tied: true }), source: hub('microsoft/Phi-4-mini-instruct') },
  {
    key: 'deepseek-v3', aliases: ['deepseek-ai/DeepSeek-V3', 'deepseek-ai/DeepSeek-V3-Base', 'deepseek-ai/DeepSeek-V3-0324', 'deepseek-ai/DeepSeek-R1', 'deepseek-ai/DeepSeek-R1-0528', 'deepseek-r1'],
    config: deepseek({ type: 'deepseek_v3', V: 129280, d: 7168, L: 61, H: 128, f: 18432, fe: 2048, E: 256, shared: 1, k: 8, dense: 3, qRank: 1536, topk: 'noaux_tc' }),
    source: hub('deepseek-ai/DeepSeek-V3'),
  },
  {
    key: 'deepseek-v2-lite', aliases: ['deepseek-ai/DeepSeek-V2-Lite', 'deepseek-ai/DeepSeek-V2-Lite-Chat', 'deepseek-ai/DeepSeek-Coder-V2-Lite-Base', 'deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct'],
    config: deepseek({ type: 'deepseek_v2', V: 102400, d: 2048, L: 27, H: 16, f: 10944, fe: 1408, E: 64, shared: 2, k: 6, dense: 1, qRank: null }),
    source: hub('deepseek-ai/DeepSeek-V2-Lite'),
  },
  { key: 'deepseek-llm-7b', aliases: ['deepseek-ai/deepseek-llm-7b-base', 'deepseek-ai/deepseek-llm-7b-chat'], config: llama({ V: 102400, d: 4096, L: 30, H: 32, f: 11008, P: 4096 }), source: hub('deepseek-ai/deepseek-llm-7b-base') },
  { key: 'deepseek-r1-distill-llama-8b', aliases: ['deepseek-ai/DeepSeek-R1-Distill-Llama-8B'], config: llama({ V: 128256, d: 4096, L: 32, H: 32, K: 8, f: 14336, P: 131072 }), source: hub('deepseek-ai/DeepSeek-R1-Distill-Llama-8B') },
  { key: 'pythia-70m', aliases: ['EleutherAI/pythia-70m', 'EleutherAI/pythia-70m-deduped'], config: pythia(512, 6, 8), source: hub('EleutherAI/pythia-70m') },
  { key: 'pythia-410m', aliases: ['EleutherAI/pythia-410m', 'EleutherAI/pythia-410m-deduped'], config: pythia(1024, 24, 16), source: hub('EleutherAI/pythia-410m') },
  { key: 'pythia-1.4b', aliases: ['EleutherAI/pythia-1.4b', 'EleutherAI/pythia-1.4b-deduped'], config: pythia(2048, 24, 16), source: hub('EleutherAI/pythia-1.4b') },
  { key: 'pythia-2.8b', aliases: ['EleutherAI/pythia-2.8b', 'EleutherAI/pythia-2.8b-deduped'], config: pythia(2560, 32, 32), source: hub('EleutherAI/pythia-2.8b') },
  { key: 'pythia-12b', aliases: ['EleutherAI/pythia-12b', 'EleutherAI/pythia-12b-deduped'], config: pythia(5120, 36, 40, 50688), source: hub('EleutherAI/pythia-12b') },
  { key: 'opt-125m', aliases: ['facebook/opt-125m'], config: opt(768, 12, 12), source: hub('facebook/opt-125m') },
  {
    key: 'opt-350m', aliases: ['facebook/opt-350m'],
    config: { ...opt(1024, 24, 16), word_embed_proj_dim: 512, do_layer_norm_before: false }, source: hub('facebook/opt-350m'),
  },
  { key: 'opt-1.3b', aliases: ['facebook/opt-1.3b'], config: opt(2048, 24, 32), source: hub('facebook/opt-1.3b') },
  { key: 'opt-2.7b', aliases: ['facebook/opt-2.7b'], config: opt(2560, 32, 32), source: hub('facebook/opt-2.7b') },
  { key: 'opt-6.7b', aliases: ['facebook/opt-6.7b'], config: opt(4096, 32, 32), source: hub('facebook/opt-6.7b') },
  { key: 'opt-13b', aliases: ['facebook/opt-13b'], config: opt(5120, 40, 40), source: hub('facebook/opt-13b') },
  { key: 'opt-30b', aliases: ['facebook/opt-30b'], config: opt(7168, 48, 56), source: hub('facebook/opt-30b') },
  { key: 'opt-66b', aliases: ['facebook/opt-66b'], config: opt(9216, 64, 72), source: hub('facebook/opt-66b') },
  { key: 'gpt-j-6b', aliases: ['EleutherAI/gpt-j-6b', 'EleutherAI/gpt-j-6B', 'gptj-6b'], config: { model_type: 'gptj', vocab_size: 50400, n_embd: 4096, n_layer: 28, n_head: 16, n_positions: 2048, rotary_dim: 64 }, source: hub('EleutherAI/gpt-j-6b') },
  { key: 'mpt-7b', aliases: ['mosaicml/mpt-7b', 'mosaicml/mpt-7b-instruct', 'mosaicml/mpt-7b-chat'], config: { model_type: 'mpt', d_model: 4096, n_heads: 32, n_layers: 32, expansion_ratio: 4, max_seq_len: 2048, vocab_size: 50432, no_bias: true, attn_config: { alibi: true } }, source: hub('mosaicml/mpt-7b') },
  { key: 't5-v1_1-small', aliases: ['google/t5-v1_1-small', 'google/flan-t5-small', 'flan-t5-small'], config: { ...t5(512, 8, 6, 1024, true) }, source: hub('google/flan-t5-small') },
  { key: 't5-v1_1-xl', aliases: ['google/t5-v1_1-xl', 'google/flan-t5-xl', 'flan-t5-xl'], config: { ...t5(2048, 24, 32, 5120, true) }, source: hub('google/flan-t5-xl') },
  { key: 'roberta-base', aliases: ['FacebookAI/roberta-base'], config: roberta(768, 12, 12), source: `${hub('FacebookAI/roberta-base')} (RobertaModel with pooler)` },
  { key: 'roberta-large', aliases: ['FacebookAI/roberta-large'], config: roberta(1024, 24, 16), source: `${hub('FacebookAI/roberta-large')} (RobertaModel with pooler)` },
  { key: 'bert-large-cased', aliases: ['google-bert/bert-large-cased'], config: bert(1024, 24, 16, 28996), source: `${hub('google-bert/bert-large-cased')} (BertModel with pooler)` },
  { key: 'deberta-v3-base', aliases: ['microsoft/deberta-v3-base'], config: deberta(768, 12, 12), source: hub('microsoft/deberta-v3-base') },
  { key: 'deberta-v3-large', aliases: ['microsoft/deberta-v3-large'], config: deberta(1024, 24, 16), source: hub('microsoft/deberta-v3-large') },
  { key: 'whisper-tiny', aliases: ['openai/whisper-tiny', 'openai/whisper-tiny.en'], config: whisper(384, 4, 6), source: hub('openai/whisper-tiny') },
  { key: 'whisper-base', aliases: ['openai/whisper-base', 'openai/whisper-base.en'], config: whisper(512, 6, 8), source: hub('openai/whisper-base') },
  { key: 'whisper-small', aliases: ['openai/whisper-small', 'openai/whisper-small.en'], config: whisper(768, 12, 12), source: hub('openai/whisper-small') },
  { key: 'whisper-medium', aliases: ['openai/whisper-medium', 'openai/whisper-medium.en'], config: whisper(1024, 24, 16), source: hub('openai/whisper-medium') },
  { key: 'whisper-large-v2', aliases: ['openai/whisper-large-v2', 'openai/whisper-large'], config: whisper(1280, 32, 20), source: hub('openai/whisper-large-v2') },
  { key: 'whisper-large-v3', aliases: ['openai/whisper-large-v3'], config: whisper(1280, 32, 20, 51866, 128), source: hub('openai/whisper-large-v3') },
  { key: 'whisper-large-v3-turbo', aliases: ['openai/whisper-large-v3-turbo'], config: whisper(1280, 32, 20, 51866, 128, 4), source: hub('openai/whisper-large-v3-turbo') },
  { key: 'clip-vit-base-patch32', aliases: ['openai/clip-vit-base-patch32'], config: clip(512, 8, 768, 12, 12, 32, 512), source: hub('openai/clip-vit-base-patch32') },
  { key: 'clip-vit-base-patch16', aliases: ['openai/clip-vit-base-patch16'], config: clip(512, 8, 768, 12, 12, 16, 512), source: hub('openai/clip-vit-base-patch16') },
  { key: 'clip-vit-large-patch14', aliases: ['openai/clip-vit-large-patch14'], config: clip(768, 12, 1024, 24, 16, 14, 768), source: hub('openai/clip-vit-large-patch14') },
  { key: 'starcoder2-3b', aliases: ['bigcode/starcoder2-3b'], config: starcoder2(3072, 30, 24, 2), source: hub('bigcode/starcoder2-3b') },
  { key: 'starcoder2-7b', aliases: ['bigcode/starcoder2-7b'], config: starcoder2(4608, 32, 36, 4), source: hub('bigcode/starcoder2-7b') },
  { key: 'command-r', aliases: ['CohereForAI/c4ai-command-r-v01', 'CohereLabs/c4ai-command-r-v01', 'c4ai-command-r-v01'], config: { ...llama({ type: 'cohere', V: 256000, d: 8192, L: 40, H: 64, f: 22528, P: 8192, tied: true }), use_qk_norm: false }, source: hub('CohereForAI/c4ai-command-r-v01') },
  { key: 'command-r-plus', aliases: ['CohereForAI/c4ai-command-r-plus', 'CohereLabs/c4ai-command-r-plus', 'c4ai-command-r-plus'], config: { ...llama({ type: 'cohere', V: 256000, d: 12288, L: 64, H: 96, K: 8, f: 33792, P: 8192, tied: true }), use_qk_norm: true }, source: hub('CohereForAI/c4ai-command-r-plus') },
  { key: 'command-r7b', aliases: ['CohereForAI/c4ai-command-r7b-12-2024', 'CohereLabs/c4ai-command-r7b-12-2024', 'c4ai-command-r7b-12-2024'], config: llama({ type: 'cohere2', V: 256000, d: 4096, L: 32, H: 32, K: 8, f: 14336, P: 8192, tied: true }), source: hub('CohereForAI/c4ai-command-r7b-12-2024') },
  {
    key: 'dbrx', aliases: ['databricks/dbrx-base', 'databricks/dbrx-instruct', 'dbrx-base', 'dbrx-instruct', 'LnL-AI/dbrx-base-converted-v2'],
    config: { model_type: 'dbrx', vocab_size: 100352, d_model: 6144, n_heads: 48, n_layers: 40, max_seq_len: 32768, attn_config: { kv_n_heads: 8 }, ffn_config: { ffn_hidden_size: 10752, moe_num_experts: 16, moe_top_k: 4 } },
    source: `${hub('databricks/dbrx-base')} (LnL-AI/dbrx-base-converted-v2 is the same weights with the experts split into linears)`,
  },
  {
    key: 'jamba-v0.1', aliases: ['ai21labs/Jamba-v0.1', 'jamba'],
    config: { ...llama({ type: 'jamba', V: 65536, d: 4096, L: 32, H: 32, K: 8, f: 14336, P: 262144 }), num_experts: 16, num_experts_per_tok: 2, mamba_dt_rank: 256 },
    source: hub('ai21labs/Jamba-v0.1'),
  },
  { key: 'granite-3.0-2b', aliases: ['ibm-granite/granite-3.0-2b-base', 'ibm-granite/granite-3.0-2b-instruct'], config: granite({ V: 49155, d: 2048, L: 40, H: 32, K: 8, f: 8192, P: 4096 }), source: hub('ibm-granite/granite-3.0-2b-instruct') },
  { key: 'granite-3.0-8b', aliases: ['ibm-granite/granite-3.0-8b-base', 'ibm-granite/granite-3.0-8b-instruct'], config: granite({ V: 49155, d: 4096, L: 40, H: 32, K: 8, f: 12800, P: 4096 }), source: hub('ibm-granite/granite-3.0-8b-instruct') },
  { key: 'granite-3.0-1b-a400m', aliases: ['ibm-granite/granite-3.0-1b-a400m-base', 'ibm-granite/granite-3.0-1b-a400m-instruct'], config: granite({ V: 49155, d: 1024, L: 24, H: 16, K: 8, f: 512, P: 4096, moe: { E: 32, k: 8, fe: 512 } }), source: hub('ibm-granite/granite-3.0-1b-a400m-instruct') },
  { key: 'granite-3.0-3b-a800m', aliases: ['ibm-granite/granite-3.0-3b-a800m-base', 'ibm-granite/granite-3.0-3b-a800m-instruct'], config: granite({ V: 49155, d: 1536, L: 32, H: 24, K: 8, f: 512, P: 4096, moe: { E: 40, k: 8, fe: 512 } }), source: hub('ibm-granite/granite-3.0-3b-a800m-instruct') },
  {
    key: 'distilbert-base-uncased', aliases: ['distilbert/distilbert-base-uncased'],
    config: { model_type: 'distilbert', vocab_size: 30522, dim: 768, n_layers: 6, n_heads: 12, hidden_dim: 3072, max_position_embeddings: 512 },
    source: `${hub('distilbert/distilbert-base-uncased')} (DistilBertModel, the model a fine-tune adds its head to)`,
  },
  { key: 'gpt-neo-125m', aliases: ['EleutherAI/gpt-neo-125m', 'EleutherAI/gpt-neo-125M'], config: { model_type: 'gpt_neo', vocab_size: 50257, hidden_size: 768, num_layers: 12, num_heads: 12, max_position_embeddings: 2048 }, source: hub('EleutherAI/gpt-neo-125m') },
  { key: 'gpt-neo-1.3b', aliases: ['EleutherAI/gpt-neo-1.3B'], config: { model_type: 'gpt_neo', vocab_size: 50257, hidden_size: 2048, num_layers: 24, num_heads: 16, max_position_embeddings: 2048 }, source: hub('EleutherAI/gpt-neo-1.3B') },
  { key: 'gpt-neo-2.7b', aliases: ['EleutherAI/gpt-neo-2.7B'], config: { model_type: 'gpt_neo', vocab_size: 50257, hidden_size: 2560, num_layers: 32, num_heads: 20, max_position_embeddings: 2048 }, source: hub('EleutherAI/gpt-neo-2.7B') },
  { key: 'starcoder', aliases: ['bigcode/starcoder', 'bigcode/starcoderbase'], config: { model_type: 'gpt_bigcode', vocab_size: 49152, n_embd: 6144, n_layer: 40, n_head: 48, n_inner: 24576, n_positions: 8192, multi_query: true }, source: hub('bigcode/starcoder') },
  ...([['130m', 768, 24], ['370m', 1024, 48], ['790m', 1536, 48], ['1.4b', 2048, 48], ['2.8b', 2560, 64]] as const).map(([size, d, L]) => ({
    key: `mamba-${size}`,
    aliases: [`state-spaces/mamba-${size}-hf`, `state-spaces/mamba-${size}`],
    config: { model_type: 'mamba', vocab_size: 50280, hidden_size: d, intermediate_size: 2 * d, num_hidden_layers: L, state_size: 16, conv_kernel: 4, expand: 2, time_step_rank: 'auto', use_bias: false, use_conv_bias: true },
    source: hub(`state-spaces/mamba-${size}-hf`),
  })),
  { key: 'yi-6b', aliases: ['01-ai/Yi-6B', '01-ai/Yi-1.5-6B', '01-ai/Yi-1.5-6B-Chat'], config: llama({ V: 64000, d: 4096, L: 32, H: 32, K: 4, f: 11008, P: 4096 }), source: hub('01-ai/Yi-1.5-6B') },
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

/**
 * What re-uploads append to a model's name: quantisation, precision and file format (`-AWQ`, `-GPTQ-Int4`,
 * `-bnb-nf4`, `-bnb-4bit`, `-MLX-4bit`, `-GGUF`, `-Q4_K_M`, `-fp16`, `-exl2` …), and the tuning and release tags
 * that keep the architecture (`-Instruct`, `-Chat`, `-it`, `-Base`, `-hf`, a `-2407`-style release date).
 */
const REUPLOAD_SUFFIX = new RegExp(
  '-(?:' +
    [
      'fp16', 'bf16', 'fp32', 'fp8', 'f16', 'f32', 'half', 'int4', 'int8', 'int3', 'w4a16', 'w8a8', 'w8a16', 'a16w4', '[2-8]bits?', '[2-8]-bit', '[2-8]bpw', '\\d\\.\\d+bpw',
      'awq', 'gptq', 'gguf', 'ggml', 'exl2', 'mlx', 'bnb', 'nf4', 'fp4', 'hqq', 'quanto', 'onnx', 'openvino', 'ov', 'mlc', 'marlin', 'eetq', 'aqlm', 'qat', 'squeezellm', 'quantized', 'quant',
      'q[2-8](?:-[01k])?(?:-[msl]|-xs|-xxs)?', 'iq[1-4](?:-[a-z]+)?', 'unsloth', 'dynamic', 'sharded', 'safetensors', 'original', 'converted',
      'instruct', 'chat', 'it', 'base', 'pt', 'hf', 'sft', 'dpo', 'rlhf', 'v\\d+(?:\\.\\d+)?(?=$)', '2\\d{3}',
    ].join('|') +
    ')$',
);

/**
 * The table entry for a name. Tried as written, then with re-upload suffixes taken off one at a time
 * (`unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit` → `meta-llama-3.1-8b`), then without a leading `meta-`.
 */
export function findKnownShape(name: string): KnownShape | undefined {
  let n = normalizeModelName(name);
  for (let i = 0; i < 8; i++) {
    const hit = INDEX.get(n) ?? (n.startsWith('meta-') ? INDEX.get(n.slice(5)) : undefined);
    if (hit) return hit;
    const shorter = n.replace(REUPLOAD_SUFFIX, '');
    if (shorter === n || shorter.length === 0) return undefined;
    n = shorter;
  }
  return undefined;
}

/** Whether a builder or model name asks for a LoRA / QLoRA fine-tune (torchtune's lora_llama3_8b …). */
export function builderAdapter(name: string): 'lora' | 'qlora' | undefined {
  const last = name.trim().toLowerCase().split('.').pop() ?? '';
  return last.startsWith('qlora_') ? 'qlora' : last.startsWith('lora_') ? 'lora' : undefined;
}
