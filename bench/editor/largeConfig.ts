// The large config of the editor benchmark and the scheduling integration test: a NeMo pre-training config as
// large as real blended-data configs get (2,000 weighted data files; 4,090 lines, 123 KB).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The 85-line NeMo fixture plus 2,000 weighted data files; `root` is the repository's root. */
export function largeNemoConfig(root: string): string {
  const base = readFileSync(join(root, 'test', 'fixtures', 'configs', 'nemo', 'megatron_gpt_1.3b.yaml'), 'utf8');
  const prefixes = Array.from({ length: 2000 }, (_, i) => `      - ${(1 / 2000).toFixed(6)}\n      - /data/pile/shard_${String(i).padStart(5, '0')}_text_document`).join('\n');
  return `${base}\n# blended training data\ndata_blend:\n  data_prefix:\n${prefixes}\n`;
}
