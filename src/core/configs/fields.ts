import type { FieldRef } from './types';

/**
 * The field under a cursor: the innermost read field of `file` whose span contains `offset`. Spans nest
 * (`model:` contains `model.hidden_size`), so the shortest containing span wins.
 */
export function fieldAtOffset(fields: readonly FieldRef[], file: string, offset: number): FieldRef | undefined {
  let best: FieldRef | undefined;
  for (const f of fields) {
    if (f.file !== file || offset < f.offset || offset > f.offset + f.length) continue;
    if (!best || f.length < best.length) best = f;
  }
  return best;
}
