import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFixture, estimateText } from './fixtures';

/**
 * Exact counts of the families added for real configs (docs/configs.md), each from a published config.json
 * (fixture `test/fixtures/configs/hf/<dir>/config.json`: the fields that decide the count, as the Hub repository
 * named in the row publishes them) against a published number: the checkpoint's safetensors metadata
 * (total_size / bytes per parameter), the model card, or, where a card only rounds, an independent count derived in
 * the comment from the modelling code.
 */
function shapeOf(dir: string) {
  const a = readFixture(`hf/${dir}/config.json`);
  assert.deepEqual(a.diagnostics, [], `${dir}: ${JSON.stringify(a.diagnostics)}`);
  assert.ok(a.facts?.model, `${dir} has a model`);
  return a.facts.model.shape;
}

describe('families against published counts', () => {
  const rows: Array<[dir: string, source: string, total: number, active?: number]> = [
    // Qwen/Qwen3-8B: card "8.2B, non-embedding 6.95B" (checked below); q_norm/k_norm 2·128 per layer, untied.
    ['qwen3-8b', 'Qwen/Qwen3-8B', 8_190_735_360],
    // Qwen/Qwen3-30B-A3B: card "30.5B total, 3.3B activated"; 128 experts of 768, 8 per token, no shared expert.
    ['qwen3-30b-a3b', 'Qwen/Qwen3-30B-A3B', 30_532_122_624, 3_353_032_704],
    // microsoft/Phi-3-mini-4k-instruct: safetensors total_size 7,642,159,104 B in bf16.
    ['phi-3-mini-4k-instruct', 'microsoft/Phi-3-mini-4k-instruct', 3_821_079_552],
    // microsoft/Phi-3.5-MoE-instruct: card "41.9B total, 6.6B active"; LayerNorms with bias, attention and lm_head biases.
    ['phi-3.5-moe-instruct', 'microsoft/Phi-3.5-MoE-instruct', 41_873_153_344, 6_640_999_744],
    // google/gemma-2-9b: safetensors total_size 36,966,823,936 B in fp32.
    ['gemma-2-9b', 'google/gemma-2-9b', 9_241_705_984],
    // google/gemma-3-1b-it: safetensors total_size 1,999,771,904 B in bf16.
    ['gemma-3-1b-it', 'google/gemma-3-1b-it', 999_885_952],
    // google/gemma-3-4b-it: index total_size 8,600,158,944 B in bf16 = text 3,880,263,168 + SigLIP 416,866,032 + projector 2,950,272.
    ['gemma-3-4b-it', 'google/gemma-3-4b-it', 4_300_079_472],
    // facebook/opt-125m: 38,608,896 embeddings + 1,574,400 positions (2050 rows) + 12 × 7,087,872 + 1,536 final LayerNorm.
    ['opt-125m', 'facebook/opt-125m', 125_239_296],
    // facebook/opt-350m: word_embed_proj_dim 512 (project_in/out 2 × 524,288), no final LayerNorm (do_layer_norm_before false).
    ['opt-350m', 'facebook/opt-350m', 331_196_416],
    // EleutherAI/gpt-j-6b: 206,438,400 wte + 28 × 201,355,264 + 8,192 ln_f + 206,488,800 lm_head with bias (card: "6B").
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
    // openai/whisper-tiny: model.safetensors 151,061,672 B in fp32 (37,760,640 × 4 + header).
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
    // tiiuae/falcon-7b in its first, remote-code layout (RefinedWebModel): the same 6,921,720,704 as model_type falcon.
    ['falcon-7b-refinedwebmodel', 'tiiuae/falcon-7b (2023 RefinedWebModel config)', 6_921_720_704],
  ];
  for (const [dir, source, total, active] of rows) {
    test(`${source}: ${total.toLocaleString('en-US')}${active ? ` (active ${active.toLocaleString('en-US')})` : ''}`, () => {
      const s = shapeOf(dir);
      assert.equal(s.params.total, total);
      assert.equal(s.params.active, active ?? total);
      assert.match(s.convention, /num_parameters\(\)/);
    });
  }

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
    return { n: r.params.total, convention: r.params.convention };
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
    assert.match(a.report!.params.convention, /approximate/);
    const w = a.diagnostics.filter((x) => x.severity !== 'info');
    assert.equal(w.length, 1, JSON.stringify(a.diagnostics));
    assert.equal(w[0].severity, 'warning');
    assert.equal(w[0].code, 'approximate-count');
    assert.match(w[0].message, /model_type "internlm2".*approximate.*params convention/);
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

  test('without them: "unsupported model_type", a warning and never an error', () => {
    const a = estimateText('config.json', JSON.stringify({ model_type: 'wav2vec2', conv_dim: [512, 512], hidden_size: 768 }));
    assert.equal(a.report, undefined);
    assert.deepEqual(a.diagnostics.map((x) => [x.severity, x.code]), [['warning', 'unknown-model-type']]);
    assert.match(a.diagnostics[0].message, /^unsupported model_type "wav2vec2"/);
  });
});
