export * from './types';
export * from './csv';
export * from './codecarbon';
export * from './records';
export * from './join';
export * from './format';
export * from './report';
export * from './calibrate';
