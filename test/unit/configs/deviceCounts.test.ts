// Device counts as launch scripts and recipes state them: the launcher's flags (torchrun, deepspeed), variables
// (NUM_GPUS, GPUS_PER_NODE × NNODES, Slurm's #SBATCH lines), torchtune's `tune run --nproc_per_node` header comment,
// and Megatron's TP × PP, which is only a lower bound and so gives device-hours, never a wall-clock time. Real files
// from the shared corpus (skipped, saying so, where it is absent) and small scripts for the cases it lacks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from '../../../src/core/configs';
import { REALWORLD, realFile, realworldSkip } from '../estimate/realFiles';
import { estimateText } from './fixtures';
import { reportTable } from '../../../src/core/estimate/reportFormats';

/** The 1-based line of the first line of a file that matches, and the column where `needle` starts on it. */
function lineOf(rel: string, line: RegExp, needle: string): { line: number; column: number } {
  const lines = readFileSync(join(REALWORLD, rel), 'utf8').split('\n');
  const i = lines.findIndex((l) => line.test(l));
  assert.ok(i >= 0, `${rel}: no line matches ${String(line)}`);
  assert.ok(lines[i].includes(needle), `${rel}:${i + 1} has no ${needle}`);
  return { line: i + 1, column: lines[i].indexOf(needle) + 1 };
}

function readAt(source: Source): { field: string; line: number; column: number } {
  assert.equal(source.kind, 'read', JSON.stringify(source));
  const s = source as Extract<Source, { kind: 'read' }>;
  return { field: s.field, line: s.line, column: s.column };
}

describe('device counts in real files', { skip: realworldSkip }, () => {
  test('Megatron-DeepSpeed MoE-128: NUM_GPUS=64, read where the script sets it; a wall-clock time follows', () => {
    const rel = 'megatron/microsoft__Megatron-DeepSpeed__examples_deepspeed__MoE__ds_pretrain_gpt_1.3B_MoE128.sh';
    const r = realFile(rel).analysis.report!;
    assert.equal(r.run.devices.value, 64);
    const at = lineOf(rel, /^NUM_GPUS=64\b/, '64');
    assert.deepEqual(readAt(r.run.devices.source), { field: '$NUM_GPUS', ...at });
    assert.equal(r.accelerator.devicesAssumed, false);
    assert.equal(r.accelerator.wallClockHours, r.accelerator.deviceHours / 64);
  });

  const recipes: Array<[string, number]> = [
    // `# tune run --nproc_per_node 8 lora_finetune_distributed --config llama3_1/405B_qlora` ("This config needs 8 GPUs")
    ['torchtune/pytorch__torchtune__recipes__configs__llama3_1__405B_qlora.yaml', 8],
    // `#   tune run --nnodes 1 --nproc_per_node 4 lora_finetune_distributed --config gemma2/9B_lora`
    ['torchtune/pytorch__torchtune__recipes__configs__gemma2__9B_lora.yaml', 4],
    // "To launch on 2 devices": `tune run --nnodes 1 --nproc_per_node 2 lora_dpo_distributed`
    ['torchtune/pytorch__torchtune__recipes__configs__llama3_1__8B_lora_dpo.yaml', 2],
  ];
  for (const [rel, devices] of recipes) {
    test(`torchtune ${rel.split('__').pop()}: ${devices} devices from the tune run comment, located on it`, () => {
      const r = realFile(rel).analysis.report!;
      assert.equal(r.run.devices.value, devices);
      const at = lineOf(rel, /^#.*\btune run\b.*--nproc_per_node/, `--nproc_per_node ${devices}`);
      assert.deepEqual(readAt(r.run.devices.source), { field: 'tune run --nproc_per_node', line: at.line, column: at.column + '--nproc_per_node '.length });
    });
  }

  test('torchtune DPO on 2 devices: the per-device batch counts twice (1,000 × 4 × 8 × 2 devices × 2 × 1,024)', () => {
    const r = realFile('torchtune/pytorch__torchtune__recipes__configs__llama3_1__8B_lora_dpo.yaml').analysis.report!;
    assert.equal(r.tokens, 1000 * 4 * 8 * 2 * 2 * 1024);
  });

  test('NeMo-Launcher GPT-3 175B: trainer.devices 8 × trainer.num_nodes 128 = 1,024; one node keeps the read location', () => {
    const r = realFile('nemo/NVIDIA__NeMo-Framework-Launcher__launcher_scripts__conf__training__gpt3__175b.yaml').analysis.report!;
    assert.equal(r.run.devices.value, 1024);
    assert.deepEqual(r.run.devices.source, { kind: 'computed', formula: 'trainer.devices (8) × trainer.num_nodes (128)' });
    const one = realFile('nemo/NVIDIA__NeMo__examples__nlp__language_modeling__conf__megatron_gpt_config.yaml').analysis.report!;
    assert.equal(one.run.devices.value, 1);
    assert.equal(readAt(one.run.devices.source).field, 'trainer.devices');
  });
});

describe('device counts in launch scripts', () => {
  const model = '--num-layers 2 --hidden-size 64 --num-attention-heads 4 --vocab-size 1000 --seq-length 128 --global-batch-size 8 --train-iters 10';
  const run = (text: string) => estimateText('pretrain.sh', text).report!;

  test('torchrun --nproc_per_node 8 --nnodes 4 = 32; deepspeed --num_nodes 2 --num_gpus 8 = 16', () => {
    assert.equal(run(`torchrun --nproc_per_node 8 --nnodes 4 pretrain_gpt.py ${model}\n`).run.devices.value, 32);
    const ds = run(`deepspeed --num_nodes 2 --num_gpus 8 pretrain_gpt.py ${model}\n`).run.devices;
    assert.deepEqual(ds, { value: 16, source: { kind: 'computed', formula: '--num_gpus (8) × --num_nodes (2)' } });
  });

  test('GPUS_PER_NODE × NNODES in variables; a GPUS list of ids is not a count', () => {
    const d = run(`GPUS="0,1,2,3"\nGPUS_PER_NODE=8\nNNODES=4\npython pretrain_gpt.py ${model}\n`).run.devices;
    assert.deepEqual(d, { value: 32, source: { kind: 'computed', formula: '$GPUS_PER_NODE (8) × $NNODES (4)' } });
  });

  test('#SBATCH --nodes and --gpus-per-node', () => {
    const d = run(`#!/bin/bash\n#SBATCH --nodes=6\n#SBATCH --gpus-per-node=h100:8\nsrun python pretrain_gpt.py ${model}\n`).run.devices;
    assert.equal(d.value, 48);
  });

  test('TP × PP alone is a lower bound: an assumption, device-hours and no wall-clock time', () => {
    const r = run(`python pretrain_gpt.py ${model} --tensor-model-parallel-size 4 --pipeline-model-parallel-size 8\n`);
    assert.equal(r.run.devices.value, 32);
    assert.equal(r.run.devices.source.kind, 'default');
    assert.match((r.run.devices.source as { reason: string }).reason, /^at least 32 devices \(TP 4 \(--tensor-model-parallel-size\) × PP 8 \(--pipeline-model-parallel-size\)\); the data-parallel size/);
    assert.equal(r.accelerator.devicesAssumed, true);
    assert.equal(r.accelerator.wallClockHours, undefined);
    assert.ok(r.accelerator.deviceHours > 0);
    assert.ok(r.assumptions.some((a) => a.name === 'devices' && /^at least 32 devices/.test(a.reason)));
    // Every surface says the count it assumed: 32, not 1.
    const analysis = estimateText('pretrain.sh', `python pretrain_gpt.py ${model} --tensor-model-parallel-size 4 --pipeline-model-parallel-size 8\n`);
    assert.match(reportTable([analysis], 0, false), /h100 \(32 dev\. assumed\)/);
    // The launcher's own count wins over the bound.
    assert.equal(run(`torchrun --nproc_per_node 8 --nnodes 16 pretrain_gpt.py ${model} --tensor-model-parallel-size 4 --pipeline-model-parallel-size 8\n`).run.devices.value, 128);
  });

  test('NeMo with devices: auto and TP 4 × PP 2: at least 8 devices, assumed', () => {
    const text = 'trainer:\n  devices: auto\n  max_steps: 10\nmodel:\n  tensor_model_parallel_size: 4\n  pipeline_model_parallel_size: 2\n  global_batch_size: 8\n  encoder_seq_length: 128\n  num_layers: 2\n  hidden_size: 64\n  num_attention_heads: 4\n  make_vocab_size_divisible_by: 1\n  tokenizer:\n    library: megatron\n    type: GPT2BPETokenizer\n';
    const r = estimateText('gpt.yaml', text).report!;
    assert.equal(r.run.devices.value, 8);
    assert.match((r.run.devices.source as { reason: string }).reason, /^at least 8 devices \(TP 4 \(model\.tensor_model_parallel_size\) × PP 2 \(model\.pipeline_model_parallel_size\)\)/);
    assert.equal(r.accelerator.wallClockHours, undefined);
  });

  test('hostile values name the field and do not crash', () => {
    const a = estimateText('pretrain.sh', `NUM_GPUS=99999999999\npython pretrain_gpt.py ${model}\n`);
    assert.ok(a.diagnostics.some((d) => d.field === '$NUM_GPUS' && d.code === 'too-large' && d.line === 1), JSON.stringify(a.diagnostics));
    const long = estimateText('r.yaml', `# tune run ${'--nproc_per_node '.repeat(20_000)}x\nmodel:\n  _component_: torchtune.models.llama3_1.lora_llama3_1_8b\n`);
    assert.ok(long.report);
    assert.equal(long.report.run.devices.source.kind, 'default');
  });

  test('torchtune comments that disagree state no count', () => {
    const text = '# tune run --nproc_per_node 2 lora_finetune_distributed\n# tune run --nproc_per_node 8 lora_finetune_distributed\nmodel:\n  _component_: torchtune.models.llama3_1.lora_llama3_1_8b\n';
    assert.equal(estimateText('r.yaml', text).report!.run.devices.source.kind, 'default');
  });
});
