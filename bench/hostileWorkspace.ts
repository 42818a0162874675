import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Hostile and huge workspaces, generated in a temp folder (never committed): used by bench/hostile.bench.ts
 * and by the tests of the scan's resource limits. Only Node built-ins, so the integration suite can bundle it.
 */

const MODEL = (i: number) =>
  JSON.stringify({ model_type: 'llama', vocab_size: 32000, hidden_size: 1024 + 64 * (i % 32), num_hidden_layers: 8 + (i % 24), num_attention_heads: 16, num_key_value_heads: 8, intermediate_size: 4096, max_position_embeddings: 4096, torch_dtype: 'bfloat16' }, null, 2);

/**
 * `n` files in folders of 10: a model config.json, a run file that reads it, a YAML training config and seven
 * files no scan should keep (metrics, notes, logs, checkpoints' index), like a real experiments tree.
 */
export function generateManyFiles(dir: string, n: number): { files: number; configs: number } {
  let files = 0;
  let configs = 0;
  for (let i = 0; files < n; i++) {
    const d = join(dir, `team-${i % 50}`, `exp-${i}`);
    mkdirSync(d, { recursive: true });
    const entries: Array<[string, string, boolean]> = [
      ['config.json', MODEL(i), true],
      ['run.lim.yaml', `name: run ${i}\nconfig: ./config.json\ntokens: ${1 + (i % 9)}00B\nhardware: a100\ndevices: 64\nhours: ${100 + i}\n`, true],
      ['axolotl.yml', `base_model: meta-llama/Llama-2-7b-hf\nadapter: lora\nlora_r: 8\nsequence_len: 4096\nmicro_batch_size: 2\ngradient_accumulation_steps: 4\nmax_steps: ${100 + i}\nbf16: auto\n`, true],
      ['metrics.json', JSON.stringify({ step: i, loss: 2.5, lr: 1e-4 }), false],
      ['eval.json', JSON.stringify({ accuracy: 0.5 + (i % 50) / 100 }), false],
      ['notes.md', `# experiment ${i}\n`, false],
      ['train.log', `step ${i} loss 2.5\n`, false],
      ['model.safetensors.index.json', JSON.stringify({ metadata: { total_size: 1 }, weight_map: {} }), false],
      ['labels.txt', 'a\nb\n', false],
      ['seed.txt', `${i}\n`, false],
    ];
    for (const [name, text, isConfig] of entries) {
      if (files >= n) break;
      writeFileSync(join(d, name), text);
      files++;
      if (isConfig) configs++;
    }
  }
  return { files, configs };
}

/**
 * Symbolic-link loops and escapes: `a → b → a`, a folder linked into itself (`models/self → .`), a link to
 * the parent (`models/m/up → ..`), a link out of the workspace (`outside → <outsideTarget>`), and run files
 * whose `config:` goes through the loop or out of the workspace. One real model config, one run that reads
 * it through the self-link.
 */
export function generateSymlinkLoops(dir: string, outsideTarget: string): void {
  mkdirSync(join(dir, 'models', 'm'), { recursive: true });
  writeFileSync(join(dir, 'models', 'm', 'config.json'), MODEL(0));
  symlinkSync('b', join(dir, 'a'));
  symlinkSync('a', join(dir, 'b'));
  symlinkSync('b.json', join(dir, 'a.json'));
  symlinkSync('a.json', join(dir, 'b.json'));
  symlinkSync('.', join(dir, 'models', 'self'));
  symlinkSync('..', join(dir, 'models', 'm', 'up'));
  symlinkSync(outsideTarget, join(dir, 'outside'));
  writeFileSync(join(dir, 'loop.lim.yaml'), 'name: through the loop\nconfig: ./a.json\ntokens: 1B\n');
  writeFileSync(join(dir, 'escape.lim.yaml'), 'name: out of the workspace\nconfig: ./outside/config.json\ntokens: 1B\n');
  writeFileSync(join(dir, 'selflink.lim.yaml'), 'name: through the self-link\nconfig: ./models/self/self/m/config.json\ntokens: 1B\n');
}

/** A sparse file of `bytes` (no disk used) at `dir/name`, beside one ordinary config (`dir/config.json`). */
export function generateHugeFile(dir: string, name: string, bytes: number): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), MODEL(1));
  const p = join(dir, name);
  writeFileSync(p, '');
  execFileSync('truncate', ['-s', String(bytes), p]);
  return p;
}

/** A named pipe (a read of it blocks until someone writes), and a run file whose `config:` names it. */
export function generateFifo(dir: string, name = 'fifo.json'): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  execFileSync('mkfifo', [p]);
  writeFileSync(join(dir, 'pipe.lim.yaml'), `name: a config that is a pipe\nconfig: ./${name}\ntokens: 1B\n`);
  return p;
}
