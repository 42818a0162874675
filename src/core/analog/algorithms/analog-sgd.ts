/** Analog SGD (aihwkit SingleRPUConfig): the gradient is written straight onto the weights' devices. */
import { AnalogTile } from '../tile';
import type { AlgorithmContext } from './context';
import type { LayerGrad, Optimizer } from './types';

export function createAnalogSgd(ctx: AlgorithmContext): Optimizer {
  const tiles = ctx.shapes.map((s, l) => {
    const t = new AnalogTile(s.rows, s.cols, ctx.device, ctx.deviceRng);
    t.setWeights(ctx.init[l], ctx.deviceRng);
    return t;
  });
  const weights = tiles.map((t) => t.w);
  const lr = ctx.config.lr;
  return {
    kind: 'analog-sgd',
    effectiveWeights: () => weights,
    step(grads: LayerGrad[]) {
      for (let l = 0; l < tiles.length; l++) {
        ctx.writer.write(tiles[l], grads[l], lr, ctx.update);
        tiles[l].endOfStep(ctx.deviceRng);
      }
    },
    tiles: () => tiles.map((tile, layer) => ({ name: `W${layer + 1}`, layer, tile })),
    pulses: () => tiles.reduce((s, t) => s + t.pulses, 0),
    readMacs: () => 0,
  };
}
