/**
 * The simulator's reference implementation: every device model and update rule written one pulse at a time, as
 * plainly as its equation, for the differential tests (test/unit/analog/differential*.test.ts) to hold the fast
 * kernels against. The simulator itself never calls it.
 */
export * from './devices';
export * from './pulsed';
export * from './mvm';
export * from './io';
