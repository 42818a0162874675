export * from './policy';
export * from './siblings';
export * from './rounds';
