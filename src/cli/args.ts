import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseQuantity } from '../core/units/quantity';
import { UsageError } from './usage';

export type FlagSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses argv with node:util's parseArgs in strict mode and turns its errors into one-line usage errors that
 * name the flag.
 */
export function parseFlags(argv: string[], flags: FlagSpecs, allowPositionals = false): ParsedArgs {
  const options = flags as NonNullable<ParseArgsConfig['options']>;
  // "--params -5" would read as a missing value followed by a flag "-5"; glue negative numbers to their flag so
  // the range check can say what is wrong with the value instead.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    const next = argv[i + 1];
    if (name && flags[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d|inf|nan)/i.test(next)) {
      args.push(`${argv[i]}=${next}`);
      i++;
    } else args.push(argv[i]);
  }
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    const err = e as Error & { code?: string };
    const flag = /'(-[^']+)'/.exec(err.message)?.[1]?.split(' ')[0];
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown flag ${flag ?? err.message}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw new UsageError(`${flag ?? 'a flag'} needs a value`);
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new UsageError(`unexpected argument ${/'([^']+)'/.exec(err.message)?.[1] ?? ''}`.trim());
      default:
        throw new UsageError(err.message.split('\n')[0]);
    }
  }
}

export interface NumberRule {
  /** Smallest accepted value; `exclusive` makes it strict. */
  min?: number;
  exclusive?: boolean;
  max?: number;
  integer?: boolean;
}

/** Reads a numeric flag ("7B", "1e15" …) and checks its range; errors name the flag. */
export function numberFlag(values: ParsedArgs['values'], name: string, rule: NumberRule = { min: 0, exclusive: true }): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new UsageError(`--${name} needs a value`);
  const parsed = parseQuantity(raw);
  if (!parsed.ok) throw new UsageError(`--${name}: ${parsed.reason}`);
  const v = parsed.value;
  if (rule.min !== undefined) {
    if (rule.exclusive ? v <= rule.min : v < rule.min) {
      throw new UsageError(`--${name} must be ${rule.exclusive ? 'greater than' : 'at least'} ${rule.min}, got ${raw}`);
    }
  }
  if (rule.max !== undefined && v > rule.max) throw new UsageError(`--${name} must be at most ${rule.max}, got ${raw}`);
  if (rule.integer && !Number.isInteger(v)) throw new UsageError(`--${name} must be a whole number, got ${raw}`);
  return v;
}

export function stringFlag(values: ParsedArgs['values'], name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '') throw new UsageError(`--${name} needs a value`);
  return raw;
}
