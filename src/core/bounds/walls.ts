/**
 * The three walls of training energy (docs/theory.md §1), split per computing paradigm so a chart can show which
 * wall each paradigm removes. The split is LIM Lens's model (docs/theory.md §4): each paradigm's total equals
 * its bound (E_hw, E_static, E_LIM), and
 *   memory wall        = energy spent moving weights between memory and compute (E_hw − E_static; 0 in memory),
 *   update wall        = writing each update at training precision, b·kT·ln 2 per write (E_L, every paradigm),
 *   consolidation wall = the barrier beyond precision that makes a value last: b·(E_ret − kT·ln 2) on every
 *                        write for a static barrier (E_static − E_L), the schedule-following E_neq for LIM.
 */

export type Paradigm = 'von-neumann' | 'cim' | 'lim';

export interface WallBreakdown {
  paradigm: Paradigm;
  label: string;
  memoryJ: number;
  updateJ: number;
  consolidationJ: number;
  totalJ: number;
}

export const PARADIGM_LABELS: Record<Paradigm, string> = {
  'von-neumann': 'Von Neumann accelerator',
  cim: 'Compute-in-memory (static barrier)',
  lim: 'Learning-in-memory',
};

export function wallBreakdown(e: {
  landauer: number;
  limNonEquilibrium: number;
  staticBarrier: number;
  accelerator: number;
}): WallBreakdown[] {
  const rows: Array<[Paradigm, number, number, number]> = [
    ['von-neumann', Math.max(e.accelerator - e.staticBarrier, 0), e.landauer, e.staticBarrier - e.landauer],
    ['cim', 0, e.landauer, e.staticBarrier - e.landauer],
    ['lim', 0, e.landauer, e.limNonEquilibrium],
  ];
  return rows.map(([paradigm, memoryJ, updateJ, consolidationJ]) => ({
    paradigm,
    label: PARADIGM_LABELS[paradigm],
    memoryJ,
    updateJ,
    consolidationJ,
    totalJ: memoryJ + updateJ + consolidationJ,
  }));
}
