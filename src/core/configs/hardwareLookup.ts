import { findHardware, type HardwareProfile } from '../hardware/profiles';

const memo = new Map<string, HardwareProfile | undefined>();

/** findHardware with the answers kept: a scan asks for the same few names thousands of times. */
export function lookupHardware(name: string): HardwareProfile | undefined {
  if (!memo.has(name)) {
    if (memo.size > 256) memo.clear();
    memo.set(name, findHardware(name));
  }
  return memo.get(name);
}
