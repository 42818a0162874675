import type { DeviceConfig } from '../devices/config';
import type { AnalogIO } from '../io';
import type { UpdateParams } from '../pulsed';
import type { Rng } from '../rng';
import type { AlgorithmConfig } from './types';
import type { GradientWriter } from './writer';

/** Everything an algorithm needs to build its tiles and run, prepared by the simulation. */
export interface AlgorithmContext {
  config: AlgorithmConfig;
  shapes: Array<{ rows: number; cols: number }>;
  /** Initial weights per layer (programmed into the slow/main array). */
  init: Float32Array[];
  device: DeviceConfig;
  /** SGD pulses (on W for Analog SGD, on A for the transfer algorithms). */
  update: UpdateParams;
  /** Pulses of the A → C transfer. */
  transferUpdate: UpdateParams;
  transferIo: AnalogIO;
  writer: GradientWriter;
  /** Device construction and device-side noise (write noise). */
  deviceRng: Rng;
  /** Chopper flips and other algorithm randomness. */
  algoRng: Rng;
}
