import { chartSweeps, computeEnergyBounds, resolveBoundInputs, validateBoundInputs, InvalidBoundInputsError, type PartialBoundInputs } from '../core';
import type { JobInput, JobKind, JobResult } from '../protocol/jobs';
import type { JobContext } from './context';

function validInputs(input: PartialBoundInputs) {
  const inputs = resolveBoundInputs(input);
  const issues = validateBoundInputs(inputs);
  if (issues.length > 0) throw new InvalidBoundInputsError(issues);
  return inputs;
}

type Handler<K extends JobKind> = (input: JobInput<K>, ctx: JobContext) => JobResult<K> | Promise<JobResult<K>>;

/** One handler per job kind; each is a thin call into the core. */
export const HANDLERS: { [K in JobKind]: Handler<K> } = {
  bounds(input) {
    return computeEnergyBounds(validInputs(input));
  },
  energyView({ inputs, selection, title }) {
    const x = validInputs(inputs);
    return { selection, title, bounds: computeEnergyBounds(x), sweeps: chartSweeps(x) };
  },
};
