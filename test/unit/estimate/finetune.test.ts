// Fine-tunes and preference runs are sized from what bounds them in their own file, never by the pretraining default.
// The fixtures are real recipes of each tool (the first line of each names its repository, path and commit), none of
// them in the shared corpus; every number asserted comes from the file itself, the dataset's card or the model's
// published shape, as the comment beside it says.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findDataset, KNOWN_DATASETS, splitRows } from '../../../src/core/estimate/datasets';
import { jsonRecord, reportCsv, reportTable } from '../../../src/core/estimate';
import { runFigures } from '../../../src/worker/summarize';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateFixture, estimateText, FIXTURES } from '../configs/fixtures';

const readFixture = (rel: string) => readFileSync(join(FIXTURES, rel), 'utf8');

const notPretraining = (rel: string) => {
  const a = estimateFixture(rel);
  assert.ok(a.report, `${rel}: estimated`);
  assert.equal(a.report.assumptions.find((x) => x.name === 'tokensPerParameter'), undefined, `${rel}: no 20 tokens per parameter`);
  return a;
};

describe('the table of public fine-tuning datasets', () => {
  test('every entry has a published source and whole, positive row counts', () => {
    for (const d of KNOWN_DATASETS) {
      assert.ok(d.source.length > 10, d.id);
      assert.ok(d.splits[d.defaultSplit] !== undefined, `${d.id}: default split is listed`);
      for (const [split, rows] of Object.entries(d.splits)) assert.ok(Number.isInteger(rows) && rows > 0, `${d.id} ${split}`);
    }
  });

  test('found by Hub id, torchtune builder, LitGPT data class or LLaMA-Factory name, case ignored', () => {
    assert.equal(findDataset('tatsu-lab/alpaca')?.splits.train, 52_002);
    assert.equal(findDataset('torchtune.datasets.alpaca_cleaned_dataset')?.id, 'yahma/alpaca-cleaned');
    assert.equal(findDataset('litgpt.data.Alpaca2k')?.id, 'mhenrichsen/alpaca_2k_test');
    assert.equal(findDataset('HuggingFaceH4/UltraChat_200k')?.splits.train_sft, 207_865);
    assert.equal(findDataset('identity')?.splits.train, 91);
    assert.equal(findDataset('alpaca_en_demo'), undefined, 'a dataset without a published size is not in the table');
  });

  test('split expressions slice as the datasets library does', () => {
    const cleaned = findDataset('yahma/alpaca-cleaned')!;
    // 95 % of the 51,760 rows of the card: what torchtune's train[:95%] reads.
    assert.equal(splitRows(cleaned, 'train[:95%]')!.rows, 49_172);
    assert.equal(splitRows(cleaned, 'train[95%:]')!.rows, 51_760 - 49_172);
    assert.equal(splitRows(cleaned, 'train[:1000]')!.rows, 1000);
    assert.equal(splitRows(cleaned, undefined)!.rows, 51_760);
    assert.equal(splitRows(cleaned, 'validation'), undefined);
  });
});

describe('fine-tunes sized from their own file', () => {
  test('alignment-handbook DPO (TRL): dataset_mixture of two ultrafeedback splits less test_split_size, pairs of max_length', () => {
    const r = notPretraining('hf-trainer/zephyr-7b-dpo/config_full.yaml').report!;
    assert.equal(r.run.finetune?.objective, 'preference');
    // train_prefs 61,135 + test_prefs 2,000 (dataset card) − test_split_size 2,000; 1 epoch; chosen + rejected ≤ 1,024 each.
    assert.equal(r.run.finetune?.rows?.value, 61_135);
    assert.equal(r.tokens, 1 * 61_135 * 2 * 1024);
    assert.equal(r.precisionBits, 16);
  });

  test('SimPO (alignment-handbook dataset_mixer): a share of the training splits of dataset_splits, test splits left out', () => {
    const r = notPretraining('hf-trainer/zephyr-7b-dpo/simpo-mistral-7b-base.yaml').report!;
    // ultrafeedback_binarized: 1.0 of train_prefs (61,135, dataset card); test_prefs is for evaluation; 1 epoch; 2 × max_length 1,024.
    assert.equal(r.run.finetune?.rows?.value, 61_135);
    assert.equal(r.tokens, 61_135 * 2 * 1024);
    assert.equal(r.name, 'mistral-7b-base-simpo');
  });

  test('open-instruct dataset_mixer values above 1 are row counts, not shares', () => {
    // The two mixer lines as allenai/open-instruct's README shows them ("they can be done with number of samples directly").
    const text = [
      'model_name_or_path: meta-llama/Llama-2-7b-hf',
      'dataset_mixer:',
      ' allenai/tulu-v2-sft-mixture: 50000',
      ' HuggingFaceH4/no_robots: 2500',
      'max_seq_length: 4096',
      'num_train_epochs: 2',
      'per_device_train_batch_size: 1',
      'output_dir: out',
    ].join('\n');
    const r = estimateText('/w/tulu.yaml', text).report!;
    assert.equal(r.assumptions.find((x) => x.name === 'tokensPerParameter'), undefined);
    assert.equal(r.run.finetune?.rows?.value, 52_500);
    assert.equal(r.tokens, 2 * 52_500 * 4096);
  });

  test('LLaMA-Factory DPO with LoRA: max_samples bounds a dataset the table does not know; rank and targets read', () => {
    const r = notPretraining('hf-trainer/llama-factory/llama3_lora_dpo.yaml').report!;
    // dpo_en_demo: at most max_samples 1,000 rows; num_train_epochs 3.0; cutoff_len 2,048 for each of chosen and rejected.
    assert.equal(r.tokens, 3 * 1000 * 2 * 2048);
    assert.equal(r.run.lora?.rank.value, 8);
    assert.equal(r.run.lora?.targets, 'all-linear');
    // lora_target: all on Llama-3-8B (d 4096, kv 1024, f 14336, 32 layers): 8 × (q 8192 + k 5120 + v 5120 + o 8192 + 3 × 18432) × 32.
    assert.equal(r.run.lora?.adapterParams.value, 8 * (8192 + 5120 + 5120 + 8192 + 3 * 18_432) * 32);
    assert.equal(r.precisionBits, 16);
  });

  test('Axolotl LoRA on an 8-bit base: alpaca_2k_test less val_set_size, num_epochs × sequence_len', () => {
    const r = notPretraining('axolotl/llama-3-lora-8b.yml').report!;
    // 2,000 rows (dataset card) × (1 − 0.05) = 1,900; 4 epochs; sequence_len 4,096 (packed).
    assert.equal(r.tokens, 4 * 1900 * 4096);
    assert.equal(r.run.lora?.rank.value, 32);
    assert.equal(r.run.lora?.method, 'lora');
    assert.equal(r.run.lora?.baseBits?.value, 8, 'load_in_8bit: the frozen base in 8 bits');
    assert.equal(r.precisionBits, 16, 'the adapters train in bf16');
    // lora_target_linear on Llama-3-8B (d 4096, kv 1024, f 14336, 32 layers): 32 × (q 8192 + k 5120 + v 5120 + o 8192 + 3 × 18432) × 32.
    const adapters = 32 * (8192 + 5120 + 5120 + 8192 + 3 * 18_432) * 32;
    assert.equal(r.run.lora?.adapterParams.value, adapters);
    // lora_modules_to_save: embed_tokens and lm_head train in full, two untied matrices of 128,256 × 4,096.
    assert.equal(r.run.lora?.embeddingParams?.value, 2 * 128_256 * 4096);
    assert.equal(r.params.trained, adapters + 1_050_673_152);
  });

  test('LoRA on the embeddings, as each tool says it: trained in full when saved whole, an adapter of its own when a target', () => {
    const axolotl = readFixture('axolotl/llama-3-lora-8b.yml');
    const adapters = 32 * (8192 + 5120 + 5120 + 8192 + 3 * 18_432) * 32;
    // Axolotl with the two among lora_target_modules instead: PEFT adapters, rank × (vocabulary + width) each.
    const targeted = estimateText('lora-8b.yml', axolotl.replace('lora_target_linear: true', 'lora_target_linear: true\nlora_target_modules: [embed_tokens, lm_head]').replace(/lora_modules_to_save:\n {2}- embed_tokens\n {2}- lm_head\n/, '')).report!;
    assert.equal(targeted.run.lora?.embeddingParams?.value, 2 * 32 * (128_256 + 4096));
    assert.equal(targeted.params.trained, adapters + 2 * 32 * (128_256 + 4096));
    // LLaMA-Factory: additional_target trains the named modules in full (lora_target: all leaves out the output head).
    const factory = readFixture('hf-trainer/llama-factory/llama3_lora_dpo.yaml');
    const full = estimateText('llama3_lora_dpo.yaml', factory.replace('lora_target: all', 'lora_target: all\nadditional_target: embed_tokens,lm_head')).report!;
    assert.equal(full.run.lora?.embeddingParams?.value, 2 * 128_256 * 4096);
    assert.equal(full.params.trained, 8 * (8192 + 5120 + 5120 + 8192 + 3 * 18_432) * 32 + 2 * 128_256 * 4096);
    assert.equal(notPretraining('hf-trainer/llama-factory/llama3_lora_dpo.yaml').report?.run.lora?.embeddingParams, undefined, 'lora_target: all alone');
    // torchtune: apply_lora_to_output puts an adapter on the output projection (Llama-2-7B: 4,096 → 32,000); none on the embeddings.
    const tune = readFixture('torchtune/llama2_7B_lora_dpo.yaml');
    const out = estimateText('7B_lora_dpo.yaml', tune.replace('apply_lora_to_output: False', 'apply_lora_to_output: True')).report!;
    assert.equal(out.run.lora?.embeddingParams?.value, 8 * (4096 + 32_000));
    assert.equal(out.params.trained, 8 * (3 * 8192 + 3 * 15_104) * 32 + 8 * (4096 + 32_000));
  });

  test('LitGPT full fine-tune: AlpacaGPT4 less val_split_fraction, epochs × max_seq_length, devices read', () => {
    const r = notPretraining('litgpt/llama-2-7b-full-alpacagpt4.yaml').report!;
    // 52,002 samples (LitGPT's dataset table) × (1 − 0.03847), rounded down: 50,001 rows; 1 epoch; max_seq_length 512.
    assert.equal(r.tokens, 50_001 * 512);
    assert.equal(r.accelerator.devices, 4);
    assert.equal(r.run.lora, undefined);
    // Full fine-tune: 6·N·D plus attention, N the published Llama-2-7B count.
    assert.equal(r.run.flopsBreakdown.weights, 6 * 6_738_415_616 * 50_001 * 512);
  });

  test('torchtune LoRA DPO: max_steps_per_epoch × batch × accumulation × max_seq_len, × 2 for chosen + rejected', () => {
    const r = notPretraining('torchtune/llama2_7B_lora_dpo.yaml').report!;
    assert.equal(r.run.finetune?.pairs, true);
    assert.equal(r.tokens, 1 * 1000 * 4 * 8 * 1024 * 2);
    // Adapters: rank 8 on q, v, o (4096 + 4096 each) and the MLP (gate, up: 4096 + 11008; down: 11008 + 4096) of 32 layers.
    const adapter = 8 * (3 * 8192 + 3 * 15_104) * 32;
    assert.equal(r.run.lora?.adapterParams.value, adapter);
    // Frozen base: forward and activation gradients (4·N per token), weight gradients for the adapters only (6·N_adapter).
    assert.equal(r.run.flopsBreakdown.method, 'lora');
    assert.equal(r.run.flopsBreakdown.weights, 4 * 6_738_415_616 * r.tokens! + 6 * adapter * r.tokens!);
  });
});

describe('fine-tunes that nothing in the file bounds: no total, a unit of data and one warning', () => {
  /** No total tokens: the figures are per unit of data. */
  const unbounded = (rel: string, unit: 'tokens' | 'rows') => {
    const a = notPretraining(rel);
    const r = a.report!;
    assert.equal(r.tokens, undefined);
    assert.equal(r.perRows?.unit, unit);
    return { a, r };
  };

  test('torchtune with max_seq_len null: rows and epochs known, row length not: per million tokens', () => {
    const { a, r } = unbounded('torchtune/llama3_1_70B_lora.yaml', 'tokens');
    assert.equal(r.perRows?.tokens, 1_000_000);
    assert.equal(r.run.finetune?.rows?.value, 52_002, 'alpaca_dataset: the train split of tatsu-lab/alpaca, as its card gives it');
    assert.equal(r.run.lora?.rank.value, 16);
    const warnings = a.diagnostics.filter((d) => d.code === 'finetune-unsized');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].severity, 'warning');
    assert.match(warnings[0].message, /tokenizer\.max_seq_len/);
    assert.match(warnings[0].message, /52,002 training rows/);
  });

  test('Axolotl DPO on a dataset the table does not know: per 1,000 pairs of two sequence_len sequences', () => {
    const { a, r } = unbounded('axolotl/llama-3-instruct-dpo-lora-8b.yml', 'rows');
    assert.equal(r.perRows?.rows, 1000);
    assert.equal(r.perRows?.tokens, 1000 * 2 * 4096);
    assert.equal(r.run.finetune?.objective, 'preference');
    const w = a.diagnostics.find((d) => d.code === 'finetune-unsized')!;
    assert.match(w.message, /fozziethebeat\/alpaca_messages_2k_dpo_test/);
    assert.match(w.message, /max_steps/);
  });

  test('the outputs say there is no total: JSON nulls the totals, the table and CSV mark or leave them, the views get none', () => {
    const a = estimateFixture('axolotl/llama-3-instruct-dpo-lora-8b.yml');
    const j = jsonRecord(a);
    assert.equal(j.tokens, null);
    assert.equal(j.flops, null);
    assert.equal(j.accelerator?.energyJ, null);
    assert.equal(j.bounds, null);
    assert.equal(j.perRows?.label, 'per 1,000 rows');
    assert.equal(j.perRows?.flops, a.report!.flops);
    assert.ok(j.perRows!.energyJ > 0);
    const table = reportTable([a], 0, false);
    assert.match(table, /no total/);
    assert.match(table, /\/1k rows/);
    const csv = reportCsv([a]).split('\n')[1];
    assert.match(csv, /finetune-unsized|not sized as pretraining/);
    const f = runFigures(a)!;
    assert.equal(f.energyJ, undefined);
    assert.equal(f.tokens, undefined);
    assert.equal(f.flops, undefined);
    assert.equal(f.paramsTotal, a.report!.params.total);
    assert.ok(f.diagnostics.some((d) => /No total/.test(d.message)));
  });

  test('a bounded fine-tune keeps its totals and no warning', () => {
    const a = estimateFixture('axolotl/llama-3-lora-8b.yml');
    assert.equal(a.report!.perRows, undefined);
    assert.equal(a.diagnostics.filter((d) => d.severity !== 'info').length, 0);
    assert.equal(jsonRecord(a).tokens, 4 * 1900 * 4096);
  });
});
