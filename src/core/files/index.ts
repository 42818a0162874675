export * from './policy';
export * from './siblings';
