import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findKnownShape, KNOWN_SHAPES, knownModel, normalizeModelName } from '../../../src/core/configs';
import { estimateText, shapeOf } from './fixtures';

/**
 * Exact counts of every published config.json fixture (`test/fixtures/configs/hf/<dir>/config.json`: the fields that
 * decide the count, as the Hub repository named in the row publishes them), in the model.num_parameters() convention,
 * against a published number: the checkpoint's safetensors metadata (total_size / bytes per parameter), the model
 * card, or, where a card only rounds, an independent count derived in the comment from the modelling code. The row's
 * Hub id is also a name the bundled table of known shapes resolves, and the table counts it as the fixture does.
 */
describe('published config.json fixtures against published counts', () => {
  const rows: Array<[dir: string, hub: string, total: number, active?: number]> = [
    ['gpt2', 'gpt2', 124_439_808],
    // The published config.json names BertForMaskedLM: BertModel's 109,482,240 without the pooler (d² + d) plus the
    // MLM head (d² + d + 2d + V, decoder tied) = 109,514,298, what from_pretrained loads for that class. The table's
    // bert-base-uncased is BertModel (checked below).
    ['bert-base-uncased', 'bert-base-uncased', 109_514_298],
    ['t5-small', 't5-small', 60_506_624],
    ['t5-v1_1-base', 'google/t5-v1_1-base', 247_577_856],
    ['llama-2-7b', 'meta-llama/Llama-2-7b-hf', 6_738_415_616],
    ['meta-llama-3-8b', 'meta-llama/Meta-Llama-3-8B', 8_030_261_248],
    ['mistral-7b-v0.1', 'mistralai/Mistral-7B-v0.1', 7_241_732_096],
    ['mixtral-8x7b', 'mistralai/Mixtral-8x7B-v0.1', 46_702_792_704, 12_879_925_248],
    ['qwen2-7b', 'Qwen/Qwen2-7B', 7_615_616_512],
    // Qwen1.5-MoE-A2.7B: 14.3B total, 2.7B activated.
    ['qwen1.5-moe-a2.7b', 'Qwen/Qwen1.5-MoE-A2.7B', 14_315_784_192, 2_689_173_504],
    ['gemma-7b', 'google/gemma-7b', 8_537_680_896],
    // Falcon-7B: model.num_parameters() (the Hub's 7,217,189,760 stores the tied head twice).
    ['falcon-7b', 'tiiuae/falcon-7b', 6_921_720_704],
    // tiiuae/falcon-7b in its first, remote-code layout (RefinedWebModel, 2023): the same count as model_type falcon.
    ['falcon-7b-refinedwebmodel', 'tiiuae/falcon-7b', 6_921_720_704],
    ['falcon-40b', 'tiiuae/falcon-40b', 41_303_293_952],
    ['bloom', 'bigscience/bloom', 176_247_271_424],
    ['pythia-160m', 'EleutherAI/pythia-160m', 162_322_944],
    // DeepSeek-V3: 671B total, 37B activated (the multi-token-prediction module is not part of the HF model).
    ['deepseek-v3', 'deepseek-ai/DeepSeek-V3', 671_026_419_200, 37_552_297_472],
    // ViTForImageClassification with 1000 labels.
    ['vit-base-patch16-224', 'google/vit-base-patch16-224', 86_567_656],
    ['resnet-50', 'microsoft/resnet-50', 25_557_032],
    // Qwen/Qwen3-8B: card "8.2B, non-embedding 6.95B" (checked below); q_norm/k_norm 2·128 per layer, untied.
    ['qwen3-8b', 'Qwen/Qwen3-8B', 8_190_735_360],
    // Qwen/Qwen3-30B-A3B: card "30.5B total, 3.3B activated" (GGUF parameter_count 30,532,122,624); 128 experts of 768.
    ['qwen3-30b-a3b', 'Qwen/Qwen3-30B-A3B', 30_532_122_624, 3_353_032_704],
    // microsoft/Phi-3-mini-4k-instruct: safetensors total_size 7,642,159,104 B in bf16.
    ['phi-3-mini-4k-instruct', 'microsoft/Phi-3-mini-4k-instruct', 3_821_079_552],
    // microsoft/Phi-3.5-MoE-instruct: card "41.9B total, 6.6B active"; LayerNorms with bias, attention and lm_head biases.
    ['phi-3.5-moe-instruct', 'microsoft/Phi-3.5-MoE-instruct', 41_873_153_344, 6_640_999_744],
    // google/gemma-2-9b: the Hub's safetensors parameter total, 9,241,705,984.
    ['gemma-2-9b', 'google/gemma-2-9b', 9_241_705_984],
    // google/gemma-3-1b-it: safetensors total_size 1,999,771,904 B in bf16.
    ['gemma-3-1b-it', 'google/gemma-3-1b-it', 999_885_952],
    // google/gemma-3-4b-it: index total_size 8,600,158,944 B in bf16 = text 3,880,263,168 + SigLIP 416,866,032 + projector 2,950,272.
    ['gemma-3-4b-it', 'google/gemma-3-4b-it', 4_300_079_472],
    // facebook/opt-125m: 38,608,896 embeddings + 1,574,400 positions (2050 rows) + 12 × 7,087,872 + 1,536 final LayerNorm.
    ['opt-125m', 'facebook/opt-125m', 125_239_296],
    // facebook/opt-350m: word_embed_proj_dim 512 (project_in/out 2 × 524,288), no final LayerNorm (do_layer_norm_before false).
    ['opt-350m', 'facebook/opt-350m', 331_196_416],
    // EleutherAI/gpt-j-6b: 206,438,400 wte + 28 × 201,355,264 + 8,192 ln_f + 206,488,800 lm_head with bias, what
    // num_parameters() prints for GPTJForCausalLM (card: "6B").
    ['gpt-j-6b', 'EleutherAI/gpt-j-6b', 6_050_882_784],
    // ibm-granite/granite-3.0-2b-instruct: card "2.5B"; Llama layout, tied, no biases.
    ['granite-3.0-2b-instruct', 'ibm-granite/granite-3.0-2b-instruct', 2_533_531_648],
    // ibm-granite/granite-3.0-1b-a400m-instruct: card "1.3B total, 400M active"; 32 experts of 512, 8 per token.
    ['granite-3.0-1b-a400m-instruct', 'ibm-granite/granite-3.0-1b-a400m-instruct', 1_334_628_352, 428_658_688],
    // bigcode/starcoder2-3b: card "3B"; LayerNorms and linears with bias, GQA 24/2, tied.
    ['starcoder2-3b', 'bigcode/starcoder2-3b', 3_030_371_328],
    // databricks/dbrx-base: card "132B total, 36B active"; 16 experts of 10752, 4 per token, bias-free LayerNorms.
    ['dbrx-base', 'databricks/dbrx-base', 131_596_523_520, 36_469_708_800],
    // ai21labs/Jamba-v0.1: card "52B total (51.6B on the Hub), 12B active"; 4 attention and 28 Mamba layers, 16 MoE layers.
    ['jamba-v0.1', 'ai21labs/Jamba-v0.1', 51_570_323_328, 12_110_311_296],
    // CohereForAI/c4ai-command-r-v01: card "35B"; one bias-free LayerNorm per layer, tied head.
    ['c4ai-command-r-v01', 'CohereForAI/c4ai-command-r-v01', 34_980_831_232],
    // openai/whisper-tiny: 37,760,640, as num_parameters() reports it (and KerasHub's preset table).
    ['whisper-tiny', 'openai/whisper-tiny', 37_760_640],
    // openai/whisper-large-v3: card "1550M"; 128 mel bins, vocabulary 51,866.
    ['whisper-large-v3', 'openai/whisper-large-v3', 1_543_490_560],
    // openai/clip-vit-base-patch32: text 63,165,952 + vision 87,456,000 + projections 655,360 + logit_scale.
    ['clip-vit-base-patch32', 'openai/clip-vit-base-patch32', 151_277_313],
    // openai/clip-vit-large-patch14: card "428M" (text 123,060,480, vision 303,179,776, projections 1,376,256 + 1).
    ['clip-vit-large-patch14', 'openai/clip-vit-large-patch14', 427_616_513],
    // microsoft/deberta-v3-base: card "86M backbone + 98M embedding parameters"; 512 relative-position rows + LayerNorm.
    ['deberta-v3-base', 'microsoft/deberta-v3-base', 183_831_552],
    // Qwen/Qwen-7B (remote code): card "7.7B"; c_attn with bias, MLP width 22016 / 2.
    ['qwen-7b', 'Qwen/Qwen-7B', 7_721_324_544],
    // microsoft/phi-1_5: 104,857,600 embeddings + 24 × 50,354,176 + 4,096 + 104,908,800 head with bias (card: "1.3B").
    ['phi-1_5', 'microsoft/phi-1_5', 1_418_270_720],
    // state-spaces/mamba-130m-hf (Hub: 129M): 38,615,040 embeddings + 24 × (768 + 3,770,880 mixer) + 768; tied head.
    ['mamba-130m-hf', 'state-spaces/mamba-130m-hf', 129_135_360],
    // EleutherAI/gpt-neo-125m: 38,597,376 wte + 1,572,864 wpe + 12 × 7,085,568 (q/k/v without bias) + 1,536 ln_f.
    ['gpt-neo-125m', 'EleutherAI/gpt-neo-125m', 125_198_592],
    // bigcode/starcoder: card "15.5B"; GPTBigCode with one key/value head (multi_query), learned positions, tied.
    ['starcoder', 'bigcode/starcoder', 15_517_456_384],
  ];
  for (const [dir, hub, total, active] of rows) {
    test(`${dir} (${hub}): ${total.toLocaleString('en-US')}${active ? ` (active ${active.toLocaleString('en-US')})` : ''}`, () => {
      const s = shapeOf(dir);
      assert.equal(s.params.total, total);
      assert.equal(s.params.active, active ?? total);
      assert.match(s.convention, /num_parameters\(\)/);
      const table = knownModel(hub);
      assert.ok(table, `the table of known shapes resolves ${hub}`);
      if (dir === 'bert-base-uncased') assert.equal(table.shape.params.total, 109_482_240, 'the table counts BertModel');
      else assert.deepEqual(table.shape.params, s.params, `the table's ${hub}`);
    });
  }

  test('Mixtral-8x7B: 8 experts, 2 per token', () => {
    assert.deepEqual(shapeOf('mixtral-8x7b').experts, { total: 8, perToken: 2 });
  });

  test('OPT-350m: embeddings are V·512 + 2050·1024 (word_embed_proj_dim 512), the rest is non-embedding', () => {
    const s = shapeOf('opt-350m');
    assert.equal(s.params.embedding, 50272 * 512 + 2050 * 1024);
  });

  test('Qwen3-8B non-embedding count: 6.95B as its card says', () => {
    const s = shapeOf('qwen3-8b');
    assert.equal(s.params.total - s.params.embedding, 6_946_075_648);
  });

  test('Gemma 3 with a vision tower says what it counted; the text-only class says text', () => {
    assert.match(shapeOf('gemma-3-4b-it').convention, /Gemma3ForConditionalGeneration: text model \+ SigLIP vision tower \(416,866,032\) \+ projector \(2,950,272\)/);
    assert.equal(shapeOf('gemma-3-1b-it').family, 'gemma3_text');
  });

  test('Phi-2 in the three layouts it was published in counts the same', () => {
    const d = 2560;
    const phi = `{"model_type":"phi","architectures":["PhiForCausalLM"],"vocab_size":51200,"hidden_size":${d},"intermediate_size":10240,"num_hidden_layers":32,"num_attention_heads":32}`;
    const msft = `{"model_type":"phi-msft","architectures":["PhiForCausalLM"],"vocab_size":51200,"n_embd":${d},"n_inner":null,"n_layer":32,"n_head":32}`;
    const mixformer = `{"model_type":"mixformer-sequential","vocab_size":51200,"n_embd":${d},"n_layer":32,"n_head":32,"n_head_kv":null}`;
    for (const text of [phi, msft, mixformer]) assert.equal(estimateText('config.json', text).report?.params.total, 2_779_683_840, text);
  });

  test('MPT: learned positions only without ALiBi; grouped-query attention from attn_config', () => {
    const base = { model_type: 'mpt', d_model: 4096, n_heads: 32, n_layers: 32, expansion_ratio: 4, max_seq_len: 2048, vocab_size: 50432, no_bias: true };
    const alibi = estimateText('config.json', JSON.stringify({ ...base, attn_config: { alibi: true } })).report!.params.total;
    const learned = estimateText('config.json', JSON.stringify({ ...base, attn_config: { alibi: false } })).report!.params.total;
    assert.equal(alibi, 6_649_286_656);
    assert.equal(learned - alibi, 2048 * 4096);
    const gqa = estimateText('config.json', JSON.stringify({ ...base, attn_config: { alibi: true, attn_type: 'grouped_query_attention', kv_n_heads: 8 } })).report!.params.total;
    assert.equal(alibi - gqa, 32 * 2 * 4096 * (4096 - 8 * 128));
  });

  test('Falcon-40B in the RefinedWeb layout (n_head_kv, no new_decoder_architecture key) is the new decoder architecture', () => {
    const rw = { model_type: 'RefinedWeb', hidden_size: 8192, n_head: 128, n_head_kv: 8, n_layer: 60, parallel_attn: true, bias: false, vocab_size: 65024 };
    assert.equal(estimateText('config.json', JSON.stringify(rw)).report?.params.total, 41_303_293_952);
  });
});

describe('task heads: the class in architectures, as from_pretrained builds it', () => {
  const bert = { model_type: 'bert', vocab_size: 30522, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, max_position_embeddings: 512, type_vocab_size: 2 };
  const roberta = { ...bert, model_type: 'roberta', vocab_size: 50265, max_position_embeddings: 514, type_vocab_size: 1 };
  const count = (cfg: object, arch?: string, extra: object = {}) => {
    const r = estimateText('config.json', JSON.stringify({ ...cfg, ...(arch ? { architectures: [arch] } : {}), ...extra })).report!;
    return { n: r.params.total, convention: r.params.convention ?? '' };
  };
  const d = 768;
  test('BERT: bare model with pooler; MLM drops the pooler and adds the tied prediction head; classifiers keep it', () => {
    assert.equal(count(bert).n, 109_482_240);
    assert.equal(count(bert, 'BertForMaskedLM').n, 109_514_298);
    assert.equal(count(bert, 'BertForPreTraining').n, 109_482_240 + d * d + d + 2 * d + 30522 + 2 * d + 2);
    assert.equal(count(bert, 'BertForSequenceClassification', { id2label: { 0: 'neg', 1: 'neu', 2: 'pos' } }).n, 109_482_240 + 3 * d + 3);
    assert.equal(count(bert, 'BertForTokenClassification', { num_labels: 9 }).n, 109_482_240 - d * d - d + 9 * d + 9);
    assert.match(count(bert, 'BertForMaskedLM').convention, /BertForMaskedLM as from_pretrained builds it \(no pooler/);
  });
  test('RoBERTa: roberta-base is 124,645,632 with pooler; deepset/roberta-base-squad2 (QA head, no pooler) 124,056,578', () => {
    assert.equal(count(roberta).n, 124_645_632);
    assert.equal(count(roberta, 'RobertaForQuestionAnswering').n, 124_056_578);
    // roberta-base as published (RobertaForMaskedLM): 124,697,433.
    assert.equal(count(roberta, 'RobertaForMaskedLM').n, 124_697_433);
    assert.equal(count(roberta, 'RobertaForSequenceClassification').n, 124_645_632 + 2 * d + 2);
  });
  test('DistilBERT: distilbert-base-uncased (DistilBertForMaskedLM) 66,985,530; the SST-2 classifier 66,955,010; the bare model 66,362,880', () => {
    assert.equal(shapeOf('distilbert-base-uncased').params.total, 66_985_530);
    const distil = { model_type: 'distilbert', vocab_size: 30522, dim: 768, n_layers: 6, n_heads: 12, hidden_dim: 3072, max_position_embeddings: 512 };
    assert.equal(count(distil).n, 66_362_880);
    // distilbert/distilbert-base-uncased-finetuned-sst-2-english: pre_classifier d² + d and a two-label classifier.
    assert.equal(count(distil, 'DistilBertForSequenceClassification', { id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' } }).n, 66_955_010);
  });
  test('DeBERTa-v3 with a sequence-classification head: context pooler and classifier', () => {
    const text = JSON.stringify({ model_type: 'deberta-v2', architectures: ['DebertaV2ForSequenceClassification'], vocab_size: 128100, hidden_size: d, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, max_position_embeddings: 512, relative_attention: true, position_buckets: 256, norm_rel_ebd: 'layer_norm', share_att_key: true, position_biased_input: false, type_vocab_size: 0, pos_att_type: 'p2c|c2p', num_labels: 3 });
    assert.equal(estimateText('config.json', text).report?.params.total, 183_831_552 + d * d + d + 3 * d + 3);
  });
});

describe('a model_type without a formula', () => {
  test('with the standard fields: a generic decoder count, labelled approximate, as a warning naming the model_type', () => {
    // internlm/internlm2-chat-7b (model_type internlm2, remote code): the Llama layout under other names (fused wqkv,
    // w1/w2/w3, RMSNorm, no biases), so the generic count is its exact count here: 7,737,708,544 (card: "7B", 7.74B).
    const cfg = { model_type: 'internlm2', architectures: ['InternLM2ForCausalLM'], vocab_size: 92544, hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, bias: false, tie_word_embeddings: false };
    const a = estimateText('config.json', JSON.stringify(cfg));
    assert.equal(a.report?.params.total, 7_737_708_544);
    assert.match(a.report!.params.convention ?? '', /approximate/);
    const w = a.diagnostics.filter((x) => x.severity !== 'info');
    assert.equal(w.length, 1, JSON.stringify(a.diagnostics));
    assert.equal(w[0].severity, 'warning');
    assert.equal(w[0].code, 'approximate-count');
    assert.match(w[0].message, /model_type "internlm2".*approximate.*params convention/);
  });

  test('a vision-language model with its language sizes at the top (Qwen2.5-VL style): the vision tower is said to be left out', () => {
    const cfg = { model_type: 'qwen2_5_vl', architectures: ['Qwen2_5_VLForConditionalGeneration'], vocab_size: 1000, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 256, vision_config: { hidden_size: 32, depth: 2 } };
    const a = estimateText('config.json', JSON.stringify(cfg));
    assert.ok(a.report);
    assert.match(a.report.params.convention ?? '', /the language model only \(vision_config not counted\)/);
    assert.match(a.diagnostics[0].message, /approximate.*vision_config tower is left out/);
  });

  test('GPT-style spellings (n_embd, n_layer, n_head) count as an ungated 4d MLP', () => {
    const a = estimateText('config.json', JSON.stringify({ model_type: 'mystery-gpt', vocab_size: 1000, n_embd: 64, n_layer: 2, n_head: 4 }));
    const d = 64;
    assert.equal(a.report?.params.total, 2 * 1000 * d + 2 * (4 * d * d + 2 * d * 4 * d + 2 * d) + d);
  });

  test('mixture-of-experts fields are used when present', () => {
    const a = estimateText('config.json', JSON.stringify({ model_type: 'new_moe', vocab_size: 1000, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 256, moe_intermediate_size: 32, num_experts: 8, num_experts_per_tok: 2 }));
    const d = 64;
    const attn = 4 * d * d;
    assert.equal(a.report?.params.total, 2 * 1000 * d + 2 * (attn + 2 * d + 8 * 3 * d * 32 + d * 8) + d);
    assert.equal(a.report?.params.active, 2 * 1000 * d + 2 * (attn + 2 * d + 2 * 3 * d * 32 + d * 8) + d);
  });

  test('a multimodal wrapper: its text_config counted (exactly for a known family), said to be the text model only', () => {
    // The layout of google/paligemma2-3b-pt-224: text_config a Gemma 2 2B with PaliGemma's 257,216-token vocabulary.
    const pali = { model_type: 'paligemma', architectures: ['PaliGemmaForConditionalGeneration'], text_config: { model_type: 'gemma2', vocab_size: 257216, hidden_size: 2304, num_hidden_layers: 26, num_attention_heads: 8, num_key_value_heads: 4, intermediate_size: 9216, head_dim: 256 }, vision_config: { hidden_size: 1152 } };
    const a = estimateText('config.json', JSON.stringify(pali));
    assert.equal(a.report?.params.total, 2_614_341_888 + (257216 - 256000) * 2304);
    assert.match(a.report!.params.convention ?? '', /the text model only \(text_config, gemma2\) of paligemma/);
    assert.deepEqual(a.diagnostics.map((x) => [x.severity, x.code]), [['warning', 'approximate-count']]);
    // A text_config of a type without a formula: the generic count over it, also said to be the text part.
    const mllama = { model_type: 'mllama', text_config: { model_type: 'mllama_text_model', vocab_size: 1000, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 256 }, vision_config: { hidden_size: 32 } };
    const b = estimateText('config.json', JSON.stringify(mllama));
    assert.ok(b.report);
    assert.match(b.diagnostics[0].message, /text_config \(the text model only/);
    // A text_config that leans on its class's defaults gives no count and no error from the nested fields.
    const llava = { model_type: 'llava', text_config: { model_type: 'llama', vocab_size: 32064 }, vision_config: { hidden_size: 1024 } };
    const c = estimateText('config.json', JSON.stringify(llava));
    assert.equal(c.report, undefined);
    assert.deepEqual(c.diagnostics.map((x) => [x.severity, x.code]), [['warning', 'unknown-model-type']]);
  });

  test('an encoder without a formula is not approximated as a decoder (ALBERT, wav2vec2 CTC)', () => {
    const distil = { model_type: 'albert', architectures: ['AlbertForMaskedLM'], vocab_size: 30000, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, embedding_size: 128 };
    const ctc = { model_type: 'wav2vec2', architectures: ['Wav2Vec2ForCTC'], vocab_size: 32, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072 };
    for (const cfg of [distil, ctc]) {
      const a = estimateText('config.json', JSON.stringify(cfg));
      assert.equal(a.report, undefined, cfg.model_type);
      assert.deepEqual(a.diagnostics.map((x) => [x.severity, x.code]), [['warning', 'unknown-model-type']]);
      assert.match(a.diagnostics[0].message, /encoder or encoder-decoder/);
    }
  });

  test('without them: "unsupported model_type", a warning and never an error', () => {
    const a = estimateText('config.json', JSON.stringify({ model_type: 'wav2vec2', conv_dim: [512, 512], hidden_size: 768 }));
    assert.equal(a.report, undefined);
    assert.deepEqual(a.diagnostics.map((x) => [x.severity, x.code]), [['warning', 'unknown-model-type']]);
    assert.match(a.diagnostics[0].message, /^unsupported model_type "wav2vec2"/);
  });
});

describe('table of known shapes: popular open models and their re-upload names', () => {
  // Exact counts of table-only entries, each next to the figure its model card, README or Hub page publishes (rounded
  // there; Pythia's README lists exact totals).
  const published: Array<[key: string, total: number, card: number, active?: number]> = [
    ['llama-3.3-70b', 70_553_706_496, 70.6e9],
    ['tinyllama-1.1b', 1_100_048_384, 1.1e9],
    ['mistral-nemo-12b', 12_247_782_400, 12.2e9],
    ['mistral-small-24b', 23_572_403_200, 23.6e9],
    ['qwen2.5-3b', 3_085_938_688, 3.09e9],
    ['qwen2.5-14b', 14_770_033_664, 14.7e9],
    ['qwen2.5-32b', 32_763_876_352, 32.8e9],
    ['qwen3-0.6b', 596_049_920, 0.6e9],
    ['qwen3-1.7b', 1_720_574_976, 1.7e9],
    ['qwen3-4b', 4_022_468_096, 4.0e9],
    ['qwen3-14b', 14_768_307_200, 14.8e9],
    ['qwen3-32b', 32_762_123_264, 32.8e9],
    ['qwen3-235b-a22b', 235_093_634_560, 235e9, 22_190_763_520],
    ['qwen-72b', 72_287_920_128, 72.3e9],
    ['gemma-2-2b', 2_614_341_888, 2.61e9],
    ['gemma-2-27b', 27_227_128_320, 27.2e9],
    ['gemma-3-12b', 12_187_325_040, 12.2e9],
    ['gemma-3-27b', 27_432_406_640, 27.4e9],
    ['phi-2', 2_779_683_840, 2.7e9],
    ['phi-3-medium', 13_960_238_080, 14e9],
    ['phi-4', 14_659_507_200, 14.7e9],
    ['phi-4-mini', 3_836_021_760, 3.8e9],
    ['deepseek-v2-lite', 15_706_484_224, 15.7e9],
    ['deepseek-llm-7b', 6_910_365_696, 6.9e9],
    ['pythia-70m', 70_426_624, 70_426_624],
    ['pythia-410m', 405_334_016, 405_334_016],
    ['pythia-1.4b', 1_414_647_808, 1_414_647_808],
    ['pythia-2.8b', 2_775_208_960, 2_775_208_960],
    ['pythia-12b', 11_846_072_320, 11_846_072_320],
    ['opt-1.3b', 1_315_758_080, 1.3e9],
    ['opt-66b', 65_719_701_504, 66e9],
    ['mpt-7b', 6_649_286_656, 6.7e9],
    ['t5-v1_1-small', 76_961_152, 77e6],
    ['t5-v1_1-xl', 2_849_757_184, 2.85e9],
    ['roberta-large', 355_359_744, 355e6],
    ['deberta-v3-large', 434_012_160, 435e6],
    ['whisper-base', 72_593_920, 74e6],
    ['whisper-small', 241_734_912, 244e6],
    ['whisper-medium', 763_857_920, 769e6],
    ['whisper-large-v2', 1_543_304_960, 1550e6],
    ['whisper-large-v3-turbo', 808_878_080, 809e6],
    ['clip-vit-base-patch16', 149_620_737, 150e6],
    ['starcoder2-7b', 7_173_923_840, 7.17e9],
    ['command-r-plus', 103_810_674_688, 104e9],
    ['command-r7b', 8_028_033_024, 8.03e9],
    ['granite-3.0-8b', 8_170_848_256, 8.17e9],
    ['yi-6b', 6_061_035_520, 6.06e9],
    ['distilbert-base-uncased', 66_362_880, 66e6],
    ['gpt-neo-1.3b', 1_315_575_808, 1.3e9],
    ['gpt-neo-2.7b', 2_651_307_520, 2.7e9],
    ['starcoder', 15_517_456_384, 15.5e9],
    ['mamba-370m', 371_516_416, 370e6],
    ['mamba-2.8b', 2_768_345_600, 2.8e9],
  ];
  for (const [key, total, card, active] of published) {
    test(`${key}: ${total.toLocaleString('en-US')} (published ${card >= 1e9 ? `${card / 1e9}B` : `${card / 1e6}M`})`, () => {
      const s = knownModel(key)!.shape;
      assert.equal(s.params.total, total);
      if (active) assert.equal(s.params.active, active);
      assert.ok(Math.abs(total - card) / card < 0.04, `${total} vs the published ${card}`);
    });
  }

  test('re-upload names resolve after quantisation, precision, format and tuning suffixes and org prefixes', () => {
    const names: Array<[string, string]> = [
      ['unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit', 'llama-3.1-8b'],
      ['TechxGenus/Meta-Llama-3-8B-Instruct-AWQ', 'llama-3-8b'],
      ['casperhansen/llama-3-70b-fp16', 'llama-3-70b'],
      ['unsloth/Llama-3.3-70B-Instruct-bnb-4bit', 'llama-3.3-70b'],
      ['TheBloke/Llama-2-7B-Chat-GGUF', 'llama-2-7b'],
      ['bartowski/Meta-Llama-3.1-8B-Instruct-GGUF', 'llama-3.1-8b'],
      ['TheBloke/Mistral-7B-Instruct-v0.2-AWQ', 'mistral-7b'],
      ['mistralai/Mistral-7B-Instruct-v0.3', 'mistral-7b-v0.3'],
      ['mlx-community/Qwen3-14B-MLX-4bit', 'qwen3-14b'],
      ['Qwen/Qwen3-4B-Instruct-2507', 'qwen3-4b'],
      ['Qwen/Qwen2.5-7B-Instruct-AWQ', 'qwen2-7b'],
      ['Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4', 'qwen2-72b'],
      ['unsloth/gemma-2-9b-it-bnb-4bit', 'gemma-2-9b'],
      ['google/gemma-3-27b-it-qat-q4_0-gguf', 'gemma-3-27b'],
      ['microsoft/Phi-3-mini-4k-instruct-onnx', 'phi-3-mini'],
      ['unsloth/DeepSeek-R1-Distill-Llama-8B-unsloth-bnb-4bit', 'deepseek-r1-distill-llama-8b'],
      ['TinyLlama/TinyLlama-1.1B-Chat-v1.0', 'tinyllama-1.1b'],
      ['CohereForAI/c4ai-command-r7b-12-2024', 'command-r7b'],
      ['LnL-AI/dbrx-base-converted-v2', 'dbrx'],
      ['torchtune.models.gemma2.lora_gemma2_9b', 'gemma-2-9b'],
      ['checkpoints/microsoft/phi-2', 'phi-2'],
      ['mistralai/Mistral-Nemo-Instruct-2407', 'mistral-nemo-12b'],
      ['torchtune.models.phi4.lora_phi4_14b', 'phi-4'],
      ['torchtune.models.qwen3.qwen3_8b_instruct', 'qwen3-8b'],
      ['torchtune.models.qwen2_5.qwen2_5_7b_instruct', 'qwen2-7b'],
      ['torchtune.models.llama3_3.llama3_3_70b', 'llama-3.3-70b'],
      ['Llama-3.3-70B-Instruct', 'llama-3.3-70b'],
    ];
    for (const [name, key] of names) assert.equal(findKnownShape(name)?.key, key, name);
    // Suffixes are only taken off the end, and a name that is not in the table stays unknown.
    for (const name of ['deepset/roberta-base-squad2', 'meta-llama/Llama-3.2-11B-Vision-Instruct', 'hf-internal-testing/llama-tokenizer', 'my-org/chat']) {
      assert.equal(findKnownShape(name), undefined, name);
    }
  });

  test('no name of the table points at two entries, and every entry names its source', () => {
    const seen = new Map<string, string>();
    for (const k of KNOWN_SHAPES) {
      assert.ok(k.source.length > 10, k.key);
      for (const n of [k.key, ...k.aliases]) {
        const key = normalizeModelName(n);
        assert.ok(!seen.has(key) || seen.get(key) === k.key, `${n}: ${seen.get(key)} and ${k.key}`);
        seen.set(key, k.key);
      }
    }
  });
});
