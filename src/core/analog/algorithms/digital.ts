/** Digital SGD (aihwkit FloatingPointRPUConfig): plain floating-point weights, the reference curve. */
import type { AlgorithmContext } from './context';
import type { LayerGrad, Optimizer } from './types';

export function createDigitalSgd(ctx: AlgorithmContext): Optimizer {
  const weights = ctx.init.map((w) => Float32Array.from(w));
  const lr = ctx.config.lr;
  return {
    kind: 'sgd',
    effectiveWeights: () => weights,
    step(grads: LayerGrad[]) {
      for (let l = 0; l < weights.length; l++) ctx.writer.digital(weights[l], ctx.shapes[l].rows, ctx.shapes[l].cols, grads[l], lr);
    },
    tiles: () => [],
    pulses: () => 0,
    readMacs: () => 0,
  };
}
