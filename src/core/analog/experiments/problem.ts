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
   * Fills `grads` for step k at the given weights. Returns the loss to record for this step: the exact
   * objective at these weights where it is cheap (quadratic, least squares), else the mini-batch loss.
   * `wantGradNorm` asks for ‖∇f‖² (only needed over the final window). `tick` is called once per sample so a
   * long step can be cancelled.
   */
  computeStep(step: number, weights: Float32Array[], io: AnalogIO, wantGradNorm: boolean, tick: () => void): number;
  /** ‖∇f‖² at the weights of the last computeStep (when asked for), or null where it is not defined. */
  lastGradNormSq(): number | null;
  /** Digital parts (biases) learn after the analog update. */
  afterStep(lr: number): void;
  /** Test-set accuracy (and, when asked, train accuracy; else NaN) of the given weights, for classifiers. */
  accuracy?(weights: Float32Array[], io: AnalogIO, withTrain: boolean): { test: number; train: number };
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
}
