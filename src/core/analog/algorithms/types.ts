/**
 * What the training loop needs from a training algorithm, and the algorithms' settings. Learning rates follow
 * aihwkit 0.9.0 (the version the paper used): the fast learning rate on A is absolute, the
 * transfer learning rate multiplies the SGD learning rate.
 */
import type { AnalogTile } from '../tile';

export type AlgorithmKind = 'sgd' | 'analog-sgd' | 'tiki-taka' | 'ttv2' | 'c-ttv2';
export const ALGORITHM_KINDS: readonly AlgorithmKind[] = ['sgd', 'analog-sgd', 'tiki-taka', 'ttv2', 'c-ttv2'];

export interface AlgorithmConfig {
  kind: AlgorithmKind;
  /** SGD learning rate (α of Analog SGD; for the transfer algorithms it scales the transfer rate). */
  lr: number;
  /** Learning rate of the gradient written on A, absolute as in aihwkit 0.9.0; ≤ 0 means "use lr". */
  fastLr: number;
  /** Transfer learning rate as a multiple of lr (aihwkit scale_transfer_lr = True): β = transferLr·lr. */
  transferLr: number;
  /** Mixing coefficient: the forward pass sees W = C + γ·A. */
  gamma: number;
  /** Transfer every k steps (mini-batches). */
  transferEvery: number;
  /** Columns of A read and transferred per transfer, round robin (aihwkit n_reads_per_transfer); 0 = all. */
  columnsPerTransfer: number;
  /** Buffered/chopped transfer (TTv2, c-TTv2). */
  inChopProb: number;
  momentum: number;
  forgetBuffer: boolean;
  bufferGranularity: number;
  autoGranularity: number;
  autoScale: boolean;
  autoMomentum: number;
  /** Largest number of pulses one transfer writes per element (desired_bl of the transfer update). */
  transferBl: number;
  /** Pulse-units written per buffer unit (aihwkit `step`). */
  transferStep: number;
}

/** aihwkit's defaults per algorithm (TransferCompound, build_config("ttv2"), build_config("c-ttv2")). */
export function defaultAlgorithm(kind: AlgorithmKind, lr = 0.01): AlgorithmConfig {
  const base: AlgorithmConfig = {
    kind,
    lr,
    fastLr: 1,
    transferLr: 1,
    gamma: 0,
    transferEvery: 1,
    columnsPerTransfer: 1,
    inChopProb: 0,
    momentum: 0,
    forgetBuffer: true,
    bufferGranularity: 1,
    autoGranularity: 0,
    autoScale: false,
    autoMomentum: 0.99,
    transferBl: 1,
    transferStep: 1,
  };
  if (kind === 'c-ttv2') Object.assign(base, { fastLr: 0.1, autoScale: true, inChopProb: 0.1 });
  return base;
}

/** Per-layer gradient information of one step: the B rank-1 terms Σ_b d_b·x_bᵀ (d already holds 1/B). */
export interface LayerGrad {
  /** B × cols inputs. */
  x: Float64Array;
  /** B × rows errors ∂loss/∂y. */
  d: Float64Array;
  count: number;
}

export interface Optimizer {
  readonly kind: AlgorithmKind;
  /** Weights the forward and backward passes see, one per layer (do not modify). */
  effectiveWeights(): Float32Array[];
  /** One training step from the gradients of the current batch. */
  step(grads: LayerGrad[], step: number): void;
  /** Every analog tile, named (for pulse counts and weight statistics). */
  tiles(): Array<{ name: string; layer: number; tile: AnalogTile }>;
  /** Pulse counters summed over tiles. */
  pulses(): number;
  /** Transfer reads performed (one column read = rows multiply-accumulates). */
  readMacs(): number;
}
