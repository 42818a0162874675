/**
 * A one-hidden-layer classifier (inputs → hidden sigmoid → classes, log-softmax + NLL), the small-data version
 * of the paper's MNIST FCN (Wu et al. 2024, Fig. 5): both weight matrices are analog tiles, biases are digital
 * (aihwkit's digital_bias default) and learn by plain SGD at the same learning rate. It is the network of
 * network.ts with one hidden dense layer (mlpNetwork), kept as its own experiment kind for its settings
 * (`hidden`) and the runs recorded with it.
 */
import type { Rng } from '../rng';
import { createNetwork, type NetworkProblem } from './network';
import type { NetworkSpec } from './network-spec';
import type { Dataset } from './problem';

export interface MlpSpec {
  kind: 'mlp';
  /** 'digits' (the bundled UCI digits) or 'csv' (user data). */
  dataset: 'digits' | 'csv';
  /** Path of the CSV (reported only; the caller loads the data). */
  path?: string;
  hidden: number;
  /** Mini-batch size (the paper's FCN: 10). */
  batch: number;
  epochs: number;
  testFraction: number;
  /** Feature scaling into [0, 1]: by the global range (images) or per column. */
  scaling: 'global' | 'column';
}

/** The network an MLP spec stands for: inputs → hidden (sigmoid) → classes, both layers analog. */
export function mlpNetwork(spec: MlpSpec, classes: number): NetworkSpec {
  return {
    kind: 'network',
    recipe: 'custom',
    dataset: spec.dataset,
    path: spec.path,
    layers: [
      { type: 'dense', units: spec.hidden, activation: 'sigmoid' },
      { type: 'dense', units: classes, activation: 'none' },
    ],
    batch: spec.batch,
    epochs: spec.epochs,
    testFraction: spec.testFraction,
    scaling: spec.scaling,
  };
}

export function createMlp(spec: MlpSpec, data: Dataset, splitRng: Rng, shuffleRng: Rng, initRng: Rng): NetworkProblem {
  return createNetwork(mlpNetwork(spec, data.classes), data, splitRng, shuffleRng, initRng);
}
