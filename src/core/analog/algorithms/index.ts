import { createAnalogSgd } from './analog-sgd';
import type { AlgorithmContext } from './context';
import { createDigitalSgd } from './digital';
import { createTransferAlgorithm } from './tiki-taka';
import type { Optimizer } from './types';

export * from './types';
export type { AlgorithmContext } from './context';
export { GradientWriter, type UpdateMode } from './writer';

export function createOptimizer(ctx: AlgorithmContext): Optimizer {
  switch (ctx.config.kind) {
    case 'sgd':
      return createDigitalSgd(ctx);
    case 'analog-sgd':
      return createAnalogSgd(ctx);
    case 'tiki-taka':
    case 'ttv2':
    case 'c-ttv2':
      return createTransferAlgorithm(ctx);
  }
}
