export * from './provenance';
export * from './inputs';
export * from './model';
export * from './models';
export * from './walls';
export * from './compute';
export * from './presets';
export * from './sweeps';
