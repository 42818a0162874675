import type { GlossaryKey } from '../../src/core/glossary';
/**
 * The dashboard's table headers and chart titles that are glossary terms, in one place: the tabs read them from
 * here and a unit test checks each has a glossary entry (src/core/glossary.ts, UI_TERMS), which is its tooltip.
 */
export const BOUNDS_HEADER = ['bound', 'joules', 'energy', '× E_L', 'provenance'];
export const BOUND_ROWS = { landauer: 'Landauer (adiabatic) E_L', neq: 'LIM non-equilibrium E_neq', lim: 'LIM bound E_LIM', staticBarrier: 'Static-barrier memory E_static' } as const;
export const ENERGY_FACTS = { params: 'Parameters N', flops: 'Training FLOPs', updates: 'Updates per parameter U', precision: 'Precision b', lim: 'LIM bound', orders: 'Accelerator / LIM', ratio: 'LIM / Landauer' } as const;
export const CHART_TITLES = {
  ladder: 'Energy ladder',
  walls: 'The three walls by paradigm',
  bounds: 'Bounds',
  scaling: 'Energy versus model size',
  precision: 'Energy versus precision',
  alpha: 'Speed: LIM bound versus the schedule exponent α',
  barrier: 'Per-update barrier E_n/kT',
  loss: 'Loss',
  accuracy: 'Test accuracy',
  saturation: 'Weight saturation |w|/τ',
} as const;
export const ANALOG_HEADER = ['series', 'final loss', 'accuracy', 'pulses', 'energy (J)', 'LIM bound (J)', 'Landauer (J)', 'time (ms)', 'status'];
/** The analog table's headers that are glossary terms (the others, such as "series" and "status", say themselves). */
export const ANALOG_HEADER_TERMS = ['final loss', 'accuracy', 'pulses', 'energy (J)', 'LIM bound (J)', 'Landauer (J)'];
/** The comparison's columns and, where a column is a glossary term, its entry (the header's tooltip). */
export const COMPARE_COLUMNS: ReadonlyArray<{ label: string; term?: GlossaryKey }> = [
  { label: 'run' },
  { label: 'parameters', term: 'params' },
  { label: 'tokens', term: 'tokens' },
  { label: 'energy', term: 'accelerator' },
  { label: 'CO₂', term: 'grid' },
  { label: 'LIM bound', term: 'limBound' },
  { label: '× first' },
  { label: 'note' },
];
export const COMPARE_HEADER = COMPARE_COLUMNS.map((c) => c.label);
export const COMPARE_CHART = { title: 'Accelerator energy by config', term: 'accelerator' } as const satisfies { title: string; term: GlossaryKey };
/** What the analog table says for digital SGD's energy: it makes no analog updates to count (a "0" misread). */
export const DIGITAL_ENERGY = '— (digital: no analog updates)';
