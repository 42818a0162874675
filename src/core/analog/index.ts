/**
 * Analog in-memory training simulator (docs/analog.md): devices, pulsed and expected updates, Analog SGD and the
 * Tiki-Taka family, experiments, energy of a run, aihwkit export. Pure TypeScript, no Node APIs.
 */
export * from './rng';
export * from './devices/config';
export * from './devices/device';
export * from './devices/presets';
export * from './pulsed';
export * from './io';
export * from './tile';
export * from './algorithms';
export * from './experiments/problem';
export * from './experiments/quadratic';
export * from './experiments/least-squares';
export * from './experiments/mlp';
export * from './experiments/network-spec';
export * from './experiments/network';
export * from './experiments/dataset';
export * from './config';
export * from './energy';
export * from './stats';
export * from './simulate';
export * from './export/aihwkit';
