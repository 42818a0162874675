// What the tests read beside a fixture: the core's sibling resolution (src/core/files/siblings.ts, the one the CLI and
// the worker use) over the disk, without the CLI's folder bounds and size limit. A file that cannot be read is absent.
import { readFileSync } from 'node:fs';
import type { SiblingReader } from '../../src/core/configs/analyze';
import { siblingReader } from '../../src/core/files/siblings';

export function diskSiblings(file: string): SiblingReader {
  return siblingReader(file, (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  });
}
