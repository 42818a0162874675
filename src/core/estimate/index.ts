export * from './assumptions';
export * from './flops';
export * from './run';
export * from './energy';
export * from './report';
export * from './sensitivity';
export * from './reportFormats';
export * from './headline';
