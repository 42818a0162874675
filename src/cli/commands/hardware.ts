import { HARDWARE_PROFILES, joulesPerFlopAtPeak, formatSci, formatSig } from '../../core';
import { parseFlags } from '../args';
import { renderTable } from '../table';

export const HARDWARE_HELP = `lim-lens hardware — the accelerator profiles energy estimates use

Usage: lim-lens hardware [--json]`;

export function runHardware(argv: string[], out: (s: string) => void): number {
  const { values } = parseFlags(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    out(HARDWARE_HELP);
    return 0;
  }
  if (values.json) {
    out(JSON.stringify(HARDWARE_PROFILES.map((p) => ({ ...p, joulesPerFlopAtPeak: joulesPerFlopAtPeak(p) })), null, 2));
    return 0;
  }
  out(
    renderTable(
      [{ header: 'id' }, { header: 'device' }, { header: 'peak FLOP/s', align: 'right' }, { header: 'power W', align: 'right' }, { header: 'J/FLOP at peak', align: 'right' }],
      HARDWARE_PROFILES.map((p) => [
        p.id,
        p.name,
        `${formatSci(p.peakFlops, 4)} ${p.peakPrecision}`,
        formatSig(p.tdpW, 4) + (p.measuredPowerW ? ` (meas. ${p.measuredPowerW})` : ''),
        formatSci(joulesPerFlopAtPeak(p), 3),
      ]),
    ) +
      '\n\n' +
      HARDWARE_PROFILES.map((p) => `  ${p.id}: ${p.source}`).join('\n'),
  );
  return 0;
}
