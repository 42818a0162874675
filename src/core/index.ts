/**
 * LIM Lens core: everything numeric. Pure TypeScript — no `vscode`, no Node-only APIs — so the same code runs
 * in the extension host, the worker, the CLI and a browser.
 */
export * from './physics/constants';
export * from './math/lnGamma';
export * from './units/quantity';
export * from './units/format';
export * from './hardware/profiles';
export * from './bounds';
