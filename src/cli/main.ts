import { runBounds } from './commands/bounds';
import { runHardware } from './commands/hardware';
import { runSimulate } from './commands/simulate';
import { runEstimate } from './commands/estimate';
import { UsageError, EXIT_USAGE } from './usage';
import { terminalText } from '../core/text/escape';

declare const LIM_LENS_VERSION: string;

type Command = (argv: string[], out: (s: string) => void) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  bounds: { run: runBounds, summary: 'energy bounds of training: LIM, Landauer, static barrier, accelerator' },
  hardware: { run: runHardware, summary: 'list the accelerator profiles' },
  simulate: { run: runSimulate, summary: 'analog in-memory training: Analog SGD, Tiki-Taka, devices, energy of a run' },
  estimate: { run: runEstimate, summary: 'parameters, training FLOPs, energy and CO2 of model and training configs' },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'lim-lens — what training a model costs in energy, and how far that is from the physical limits',
    '',
    'Usage: lim-lens <command> [flags]    (lim-lens <command> --help for its flags)',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Example: lim-lens bounds --preset brain-scale',
  ].join('\n');
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // "lim-lens help <command>" is "lim-lens <command> --help".
    if (rest[0] !== undefined && COMMANDS[rest[0]]) return COMMANDS[rest[0]].run(['--help'], out);
    out(mainHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    out(typeof LIM_LENS_VERSION === 'string' ? LIM_LENS_VERSION : 'dev');
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return await command.run(rest, out);
  } catch (e) {
    if (e instanceof UsageError) {
      // A usage error can quote a file (a dataset's bad row, a config's field): no control character reaches the tty.
      err(`lim-lens${command ? ' ' + name : ''}: ${terminalText(e.message, 2000)}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

// Only run when executed, not when imported by tests.
if (require.main === module) {
  main(
    process.argv.slice(2),
    (s) => process.stdout.write(s + '\n'),
    (s) => process.stderr.write(s + '\n'),
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`lim-lens: internal error: ${terminalText(e instanceof Error ? e.message : String(e), 2000)}\n`);
      process.exitCode = 70;
    },
  );
}
