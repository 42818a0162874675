import { computeEnergyBounds, resolveBoundInputs, validateBoundInputs, InvalidBoundInputsError } from '../core';
import type { JobInput, JobKind, JobResult } from '../protocol/jobs';
import type { JobContext } from './context';

type Handler<K extends JobKind> = (input: JobInput<K>, ctx: JobContext) => JobResult<K> | Promise<JobResult<K>>;

/** One handler per job kind; each is a thin call into the core. */
export const HANDLERS: { [K in JobKind]: Handler<K> } = {
  bounds(input) {
    const inputs = resolveBoundInputs(input);
    const issues = validateBoundInputs(inputs);
    if (issues.length > 0) throw new InvalidBoundInputsError(issues);
    return computeEnergyBounds(inputs);
  },
};
