import { flagsOf, type CliCommand } from '../../core/params';
import type { FlagSpecs } from '../args';

/**
 * The flags of a command: the parameter registry's flags of `registryCommand` (if given) and `values` take a value,
 * `switches` take none, and -h/--help is every command's.
 */
export function commandFlags(registryCommand: CliCommand | undefined, values: readonly string[], switches: readonly string[]): FlagSpecs {
  const registry = registryCommand ? flagsOf(registryCommand).map((p) => p.cli!.flag) : [];
  return {
    ...Object.fromEntries([...registry, ...values].map((flag) => [flag, { type: 'string' as const }])),
    ...Object.fromEntries(switches.map((flag) => [flag, { type: 'boolean' as const }])),
    help: { type: 'boolean', short: 'h' },
  };
}
