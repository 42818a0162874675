/**
 * Where a number comes from. Spec 01 §0 requires the product to keep what the paper states apart from what
 * LIM Lens reconstructs, in code, docs and UI alike; every bound result carries one of these labels.
 */
export type ProvenanceKind = 'paper' | 'model' | 'physics' | 'data';

export interface Provenance {
  kind: ProvenanceKind;
  /** Short label shown next to the number wherever it is displayed. */
  label: string;
  /** Where to read more: a paper, a datasheet, a section of docs/theory.md. */
  source: string;
}

export const LIM_MODEL_LABEL =
  "LIM model (reconstructed from the paper's stated assumptions and headline results)";

export const PAPER_SOURCE =
  'Chen, Leugering, Cauwenberghs, Chakrabartty, "Energy-efficiency Limits on Training AI Systems using Learning-in-Memory", arXiv 2402.14878';

export const PROVENANCE = {
  limModel: {
    kind: 'model',
    label: LIM_MODEL_LABEL,
    source: `LIM Lens's model, from the assumptions and headline results of ${PAPER_SOURCE}`,
  },
  landauer: {
    kind: 'model',
    label: 'Adiabatic Landauer bound: b·kT·ln 2 per parameter update (LIM model term)',
    source: 'Landauer, IBM J. Res. Dev. 5, 183 (1961)',
  },
  staticBarrier: {
    kind: 'model',
    label: 'Static-barrier memory model: every write pays the retention barrier kT·ln(f0·t_ret) per bit',
    source: 'Arrhenius/Néel retention: a static barrier holds each bit for the retention time',
  },
  accelerator: {
    kind: 'data',
    label: 'Accelerator projection: OPS × TDP / (peak FLOP/s × utilisation) × PUE',
    source: 'hardware profile datasheets, with utilisation and PUE',
  },
  paperHeadline: {
    kind: 'paper',
    label: 'Paper headline: 1e8–1e9 J for a 1e15-parameter model, 6–7 orders below accelerators',
    source: PAPER_SOURCE,
  },
} as const satisfies Record<string, Provenance>;
