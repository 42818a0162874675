/**
 * The glossary: every term LIM Lens shows, with a one-line plain-language definition. It is the single source for
 * the dashboard's tooltips, the hover's link titles and the "What do these numbers mean?" page that the build
 * writes (dist/GLOSSARY.md) and `limLens.showGlossary` opens. Definitions are plain words: no internal references.
 */
export interface GlossaryEntry {
  /** The term as the UI shows it. */
  term: string;
  /** One line, plain language. */
  definition: string;
}

export const GLOSSARY = {
  limBound: {
    term: 'LIM bound',
    definition:
      'A physical floor: the least energy hypothetical learning-in-memory hardware would need to train this many parameters this many times at this precision. It is not an estimate of your run.',
  },
  landauer: {
    term: 'Landauer bound (E_L)',
    definition: 'The thermodynamic minimum for writing the bits of every update: updates × bits × kT·ln 2. No physical computer can go below it.',
  },
  nonEquilibrium: {
    term: 'E_neq (non-equilibrium term)',
    definition: 'The extra energy learning-in-memory pays for training at a finite speed: each update must lower a memory barrier enough to change the weight, and that costs more as training converges.',
  },
  staticBarrier: {
    term: 'Static-barrier bound (E_static)',
    definition: 'The floor for an in-memory chip whose barrier never moves: every bit of every write pays the full cost of holding the value for years.',
  },
  timesLandauer: {
    term: '× E_L',
    definition: 'How many times the Landauer bound a figure is (1 means it equals the Landauer bound).',
  },
  updates: {
    term: 'U (updates per parameter)',
    definition: 'How many times each parameter is updated during training: the training compute divided by the number of parameters.',
  },
  walls: {
    term: 'The three walls',
    definition: 'The three places training spends energy: moving weights between memory and compute, writing updated weights, and making learned values last.',
  },
  memoryWall: {
    term: 'Memory wall',
    definition: 'Energy spent moving weights between memory and the processor; compute-in-memory removes it.',
  },
  updateWall: {
    term: 'Update wall',
    definition: 'Energy spent writing weights at the precision training needs; only learning-in-memory reduces it.',
  },
  consolidationWall: {
    term: 'Consolidation wall',
    definition: 'Energy spent turning short-term changes into long-lasting memory; only learning-in-memory reduces it.',
  },
  orders: {
    term: 'Orders of magnitude above the LIM bound',
    definition: 'How many powers of ten your accelerator energy is above the LIM bound: 6 orders means a million times more.',
  },
  paper: {
    term: '[paper]',
    definition: 'Stated in the published paper on the energy limits of learning-in-memory.',
  },
  model: {
    term: '[model]',
    definition: "Computed by LIM Lens's own first-principles model, rebuilt from the paper's stated assumptions and headline results, not the paper's equations.",
  },
  data: {
    term: '[data]',
    definition: 'From published hardware figures (datasheets, papers) and the operating assumptions applied to them, such as utilisation and PUE.',
  },
  read: {
    term: 'read',
    definition: 'Taken from a file in your workspace; the link shows the line.',
  },
  defaulted: {
    term: 'defaulted',
    definition: 'Not in your files, so a built-in default or a setting was used; change it in the settings.',
  },
  computed: {
    term: 'computed',
    definition: 'Derived from other numbers; the link title shows the formula.',
  },
  measured: {
    term: 'measured',
    definition:
      "Recorded by a training run that actually happened (CodeCarbon's emissions.csv, the Hugging Face Trainer's records, a W&B run summary): shown beside the estimate, and used instead of it where the record counts the same thing.",
  },
  estimateError: {
    term: 'Estimate error',
    definition: 'How far the estimate is from what the run measured: (estimated − measured) ÷ measured, so +12 % means the estimate is 12 % too high.',
  },
  impliedUtilisation: {
    term: 'Implied utilisation',
    definition: "The utilisation that would make the estimate's training compute take the measured time on the recorded devices; the calibration command proposes the median of these as your utilisation setting.",
  },
  knownShape: {
    term: 'known shape',
    definition: 'Taken from the bundled table of well-known model shapes, because your files name the model but not its sizes.',
  },
  params: {
    term: 'Parameters N',
    definition: 'The number of trainable weights in the model.',
  },
  activeParams: {
    term: 'Active parameters',
    definition: 'The parameters used for each token; in a mixture-of-experts model only some experts run, so fewer than the total.',
  },
  tokens: {
    term: 'Training tokens D',
    definition: 'How many tokens of text the training reads in all, counting every epoch.',
  },
  flops: {
    term: 'Training compute (FLOPs)',
    definition: 'The floating-point operations the training takes, about 6 × parameters × tokens for a transformer.',
  },
  precision: {
    term: 'Precision b',
    definition: 'Bits stored per parameter (32 for fp32, 16 for bf16 or fp16, 8 for fp8).',
  },
  deviceHours: {
    term: 'Device-hours',
    definition: 'Hours of accelerator time summed over all devices: 8 GPUs for 10 hours is 80 device-hours.',
  },
  pue: {
    term: 'PUE',
    definition: 'Power usage effectiveness: the data centre energy per unit of computer energy, including cooling (1.1 means 10 % more).',
  },
  utilisation: {
    term: 'Utilisation (MFU)',
    definition: "The share of the accelerator's peak speed a training run actually achieves; large runs reach about 30–50 %.",
  },
  grid: {
    term: 'Grid intensity',
    definition: 'Kilograms of CO₂ emitted per kilowatt-hour of electricity where the training runs.',
  },
  analogSgd: {
    term: 'Analog SGD',
    definition: 'Stochastic gradient descent written directly onto analog memory devices with voltage pulses; asymmetric devices leave it above the true minimum.',
  },
  tikiTaka: {
    term: 'Tiki-Taka',
    definition: 'An analog training method that writes gradients to a fast second array and moves them slowly into the weights, which cancels most device asymmetry.',
  },
  asymptoticError: {
    term: 'Asymptotic error',
    definition: 'The loss a training method settles at after many steps; on imperfect analog devices it stays above zero.',
  },
  tau: {
    term: 'τ (dynamic range)',
    definition: 'How far an analog device weight can go before its steps shrink; a small τ makes updates asymmetric and training less accurate.',
  },
  pulsed: {
    term: 'Pulsed update',
    definition: 'Each update is simulated as trains of random voltage pulses, as real analog hardware does it: slower, closer to the device.',
  },
  expected: {
    term: 'Expected update',
    definition: 'Each update is applied as its average effect instead of simulating every pulse: faster, the same on average.',
  },
  bounds: {
    term: 'Bounds',
    definition: 'Physical floors on the energy of the same training on hypothetical hardware, shown next to the estimate for today’s accelerators.',
  },
  energy: {
    term: 'Energy (joules)',
    definition: 'Energy in joules (J); one kilowatt-hour is 3.6 million joules.',
  },
  provenance: {
    term: 'Provenance',
    definition: 'Where a number comes from: [paper], [model] or [data] for a bound; read, defaulted, computed, measured or known shape for a run’s inputs.',
  },
  accelerator: {
    term: 'Accelerator energy',
    definition: 'The estimate for your run on today’s hardware: compute ÷ (peak speed × utilisation) × power × PUE.',
  },
  ladder: {
    term: 'Energy ladder',
    definition: 'The bounds and the accelerator estimate for the same training, lowest to highest, on a log scale.',
  },
  energyVsSize: {
    term: 'Energy versus model size',
    definition: 'How each bound and the accelerator estimate grow with the number of parameters, at this run’s updates per parameter and precision.',
  },
  alpha: {
    term: 'Schedule exponent α',
    definition: 'How fast a learning-in-memory cell becomes less plastic as training converges; 0 is the Landauer floor, larger costs more per update.',
  },
  barrier: {
    term: 'Per-update barrier (E_n/kT)',
    definition: 'The energy barrier, in units of thermal energy kT, that a learning-in-memory cell pays at update n.',
  },
  accuracy: {
    term: 'Test accuracy',
    definition: 'The share of held-out examples the trained model classifies correctly.',
  },
  saturation: {
    term: 'Weight saturation (|w|/τ)',
    definition: 'How close each analog weight is to the end of its device’s range; weights near 1 can hardly move further.',
  },
} as const satisfies Record<string, GlossaryEntry>;

export type GlossaryKey = keyof typeof GLOSSARY;

/** The one line shown as a tooltip: "term: definition". */
export function glossaryLine(key: GlossaryKey): string {
  const e: GlossaryEntry = GLOSSARY[key];
  return `${e.term}: ${e.definition}`;
}

/**
 * Labels the UI shows (table headers, chart titles, key figures, settings), each with its glossary entry. The
 * dashboard reads its tooltips from here, and a unit test checks every label it shows has an entry.
 */
export const UI_TERMS: Readonly<Record<string, GlossaryKey>> = {
  // energy tab: key figures
  'Parameters N': 'params',
  'Training FLOPs': 'flops',
  'Updates per parameter U': 'updates',
  'Precision b': 'precision',
  'LIM bound': 'limBound',
  'Accelerator / LIM': 'orders',
  'LIM / Landauer': 'timesLandauer',
  // energy tab: bounds table and charts
  bound: 'bounds',
  joules: 'energy',
  energy: 'energy',
  '× E_L': 'timesLandauer',
  provenance: 'provenance',
  '[paper]': 'paper',
  '[model]': 'model',
  '[data]': 'data',
  'Landauer (adiabatic) E_L': 'landauer',
  'LIM non-equilibrium E_neq': 'nonEquilibrium',
  'LIM bound E_LIM': 'limBound',
  'Static-barrier memory E_static': 'staticBarrier',
  'Energy ladder': 'ladder',
  'The three walls by paradigm': 'walls',
  Bounds: 'bounds',
  // scaling and trade-offs
  'Energy versus model size': 'energyVsSize',
  'Energy versus precision': 'precision',
  'Speed: LIM bound versus the schedule exponent α': 'alpha',
  'Per-update barrier E_n/kT': 'barrier',
  // analog tab
  Loss: 'asymptoticError',
  'Test accuracy': 'accuracy',
  'Weight saturation |w|/τ': 'saturation',
  'final loss': 'asymptoticError',
  accuracy: 'accuracy',
  pulses: 'pulsed',
  'energy (J)': 'energy',
  'LIM bound (J)': 'limBound',
  'Landauer (J)': 'landauer',
  'Update mode': 'pulsed',
  'Expected (paper dynamic)': 'expected',
  'Pulsed (aihwkit)': 'pulsed',
  'τ (dynamic range)': 'tau',
  'Analog SGD': 'analogSgd',
  'Tiki-Taka': 'tikiTaka',
};

/** The tooltip of a UI label: its glossary line, or undefined when the label is no glossary term. */
export function termTitle(label: string): string | undefined {
  const key = Object.prototype.hasOwnProperty.call(UI_TERMS, label) ? UI_TERMS[label] : undefined;
  return key ? glossaryLine(key) : undefined;
}

/** The heading of the glossary page, also its first line. */
export const GLOSSARY_TITLE = 'What do these numbers mean?';

/** The glossary page as Markdown (the build writes it to dist/GLOSSARY.md; the command opens it in a preview). */
export function glossaryMarkdown(): string {
  const lines = [
    `# ${GLOSSARY_TITLE}`,
    '',
    'LIM Lens shows two kinds of numbers. The **accelerator energy**, time and CO₂ are estimates of your training run on today’s hardware.',
    'The **LIM bound**, the **Landauer bound** and the **static-barrier bound** are physical floors: what hypothetical learning-in-memory or in-memory',
    'hardware could at best achieve for the same training. They are not estimates of your run.',
    '',
  ];
  for (const e of Object.values(GLOSSARY) as GlossaryEntry[]) lines.push(`**${e.term}** — ${e.definition}`, '');
  return lines.join('\n');
}
