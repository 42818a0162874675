/**
 * Where a number comes from. What the paper states is kept apart from what LIM Lens reconstructs, in code, docs and
 * UI alike (docs/theory.md, first section); every bound result carries one of these labels. The paper changed between
 * its arXiv versions, so a [paper] label names the versions that state it.
 */
export type ProvenanceKind = 'paper' | 'model' | 'physics' | 'data';

/** The arXiv versions of the LIM paper (arXiv 2402.14878) whose claims LIM Lens cites. */
export type PaperVersion = 'v1' | 'v2' | 'v3';

export interface PaperVersionInfo {
  version: PaperVersion;
  /** Date of the arXiv submission of this version (UTC). */
  date: string;
  title: string;
  authors: string;
  /** What this version claims, in LIM Lens's words: how it frames its results and what it counts. */
  framing: string;
}

const FIRST_TITLE = 'Energy-efficiency Limits on Training AI Systems using Learning-in-Memory';
const FIRST_AUTHORS = 'Chen, Leugering, Cauwenberghs, Chakrabartty';

/** The versions, from the arXiv listing of 2402.14878 (a v4 of March 2026 keeps v3's title). */
export const PAPER_VERSIONS: { readonly [V in PaperVersion]: PaperVersionInfo } = {
  v1: {
    version: 'v1',
    date: '2024-02-21',
    title: FIRST_TITLE,
    authors: FIRST_AUTHORS,
    framing:
      'lower bounds: training a brain-scale model (1e15 parameters) with LIM takes 1e8–1e9 J, the same magnitude as Landauer’s adiabatic bound and 6–7 orders of magnitude below projections for state-of-the-art AI accelerators; counts floating-point operations (FLOPs)',
  },
  v2: {
    version: 'v2',
    date: '2024-05-21',
    title: FIRST_TITLE,
    authors: FIRST_AUTHORS,
    framing:
      'estimates, no longer lower bounds: the same 1e8–1e9 J for 1e15 parameters, 6–7 orders of magnitude below energy-dissipation models of state-of-the-art compute and memory systems; still a function of FLOPs, with no comparison to Landauer’s bound in the abstract',
  },
  v3: {
    version: 'v3',
    date: '2025-08-19',
    title: 'Estimation of Energy-dissipation Lower-bounds for Neuromorphic Learning-in-memory',
    authors: 'Chen, Ahsan, Leugering, Cauwenberghs, Chakrabartty',
    framing:
      'estimates of the energy-to-solution of an ideal neuromorphic optimizer, depending on the number of model-update operations (OPS), the parameters, the speed of convergence and the precision; applied to large-scale AI workloads, with no brain-scale figure in the abstract',
  },
};

/** How a version is cited: authors, title, arXiv id with its version, date. */
export function paperSource(version: PaperVersion): string {
  const v = PAPER_VERSIONS[version];
  return `${v.authors}, "${v.title}", arXiv 2402.14878${v.version} (${v.date})`;
}

/** The paper as a whole, all versions: for text that is about the paper rather than one of its claims. */
export const PAPER_SOURCE = `${FIRST_AUTHORS}, arXiv 2402.14878: v1 and v2 (2024) "${FIRST_TITLE}"; v3 (2025) "${PAPER_VERSIONS.v3.title}"`;

export interface Provenance {
  kind: ProvenanceKind;
  /** Short label shown next to the number wherever it is displayed. */
  label: string;
  /** Where to read more: a paper, a datasheet, a section of docs/theory.md. */
  source: string;
  /** For a [paper] claim: the versions of the paper that state it, oldest first. */
  paperVersions?: readonly PaperVersion[];
}

/** The tag shown beside a number: `[model]`, `[data]`, or `[paper v1]`, `[paper v1, v2]` naming the versions. */
export function provenanceTag(p: Pick<Provenance, 'kind' | 'paperVersions'>): string {
  if (p.kind === 'paper' && p.paperVersions && p.paperVersions.length > 0) return `[paper ${p.paperVersions.join(', ')}]`;
  return `[${p.kind}]`;
}

export const LIM_MODEL_LABEL =
  "LIM model (reconstructed from the paper's stated assumptions and headline results)";

export const PROVENANCE = {
  limModel: {
    kind: 'model',
    label: LIM_MODEL_LABEL,
    source: `LIM Lens's model, from the assumptions and headline results of ${paperSource('v1')} and its v2 (same title, ${PAPER_VERSIONS.v2.date})`,
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
  /** The brain-scale figure: stated by v1 and v2 (v1 as a lower bound, v2 as an estimate); v3's abstract has none. */
  paperHeadline: {
    kind: 'paper',
    label: 'Paper headline: 1e8–1e9 J for a 1e15-parameter model, 6–7 orders below state-of-the-art hardware (accelerators in v1, compute/memory energy models in v2)',
    source: `${paperSource('v1')} (a lower bound, below accelerators); ${paperSource('v2')} (an estimate, below compute/memory energy models)`,
    paperVersions: ['v1', 'v2'],
  },
  /** v1 alone compares its bound with Landauer's. */
  paperLandauer: {
    kind: 'paper',
    label: "Paper: the LIM lower bound is of the same magnitude as Landauer's adiabatic bound",
    source: paperSource('v1'),
    paperVersions: ['v1'],
  },
  /** v3 counts model-update operations where v1 and v2 count FLOPs (the bound model's `opsCount` option). */
  paperModelUpdates: {
    kind: 'paper',
    label: 'Paper: the estimates depend on the number of model-update operations (OPS), the parameters, the speed of convergence and the precision',
    source: paperSource('v3'),
    paperVersions: ['v3'],
  },
} as const satisfies Record<string, Provenance>;
