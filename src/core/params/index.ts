export * from './types';
export * from './registry';
export * from './derive';
export * from './read';
