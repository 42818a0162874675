import { hardwareIds } from '../../hardware/profiles';
import { lookupHardware } from '../hardwareLookup';
import { COUNT, type FieldReader, type NumberRule } from '../reader';
import { bitsFromPrecision, type RunFacts } from '../facts';
import type { Sourced } from '../types';
import { finishFacts, product, withAnchor, type FormatContext } from './context';

/**
 * LIM Lens's own run description (`*.lim.yaml`, `*.lim.yml`, `*.lim.json`): states what other formats cannot —
 * hardware, devices, time, grid intensity — and can point at a model or any other config. Schema in
 * docs/configs.md; every number accepts "7B", "1e12", "1,024".
 */
export const RUN_FILE_FIELDS: Record<string, string> = {
  name: 'a label for the run',
  model: 'model name: Hub id, torchtune builder or LitGPT name from the bundled table',
  config: 'path of a model or training config, relative to this file',
  params: 'total parameters N (instead of a model)',
  active_params: 'parameters active per token (mixture-of-experts)',
  tokens: 'training tokens D',
  flops: 'training FLOPs (instead of 6·N·D)',
  sequence_length: 'sequence length T (adds the attention term)',
  steps: 'optimizer steps (with global_batch_size and sequence_length)',
  global_batch_size: 'sequences per optimizer step',
  samples: 'training samples per epoch (vision models)',
  epochs: 'passes over the samples (vision models)',
  precision: 'bf16, fp16, fp32, fp8 …',
  bits: 'bits per parameter (instead of precision)',
  hardware: `accelerator profile: ${hardwareIds().join(', ')}`,
  devices: 'number of accelerators',
  hours: 'wall-clock hours',
  device_hours: 'accelerator-hours (instead of devices × hours)',
  utilization: 'model FLOP utilisation, 0–1',
  power_w: 'power per device in watts (instead of the TDP)',
  pue: 'data-centre power usage effectiveness',
  grid_kg_per_kwh: 'grid carbon intensity, kg CO2e per kWh',
  temperature_k: 'temperature for the physical bounds, kelvin',
};

const Q = (r: NumberRule): NumberRule => Object.assign({}, r, { allowString: true });

export function readRunFile(r: FieldReader, ctx: FormatContext): RunFacts {
  const data = r.doc.data;
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const key of Object.keys(data)) {
      if (!(key in RUN_FILE_FIELDS)) r.report([key], 'unknown-field', `unknown field ${key} in a LIM Lens run file (known: ${Object.keys(RUN_FILE_FIELDS).join(', ')})`, 'warning');
    }
  }
  const base: RunFacts = { file: r.file, format: 'lim-run' };
  const configPath = r.str(['config']);
  if (configPath) {
    const referenced = ctx.referencedRun(configPath.value);
    if (referenced) {
      Object.assign(base, referenced, { file: r.file, format: 'lim-run' });
      if (base.model) base.model = withAnchor(base.model, r.locate(['config']));
    }
    else r.report(['config'], 'missing-file', `config ${JSON.stringify(configPath.value)} was not found or is not a recognised config`);
  }
  const modelName = r.str(['model']);
  if (modelName) {
    const model = ctx.resolveModel(modelName);
    if (model) base.model = withAnchor(model, r.locate(['model']));
    else r.report(['model'], 'unknown-model', `unknown model ${JSON.stringify(modelName.value)}: not in the bundled table of known shapes; give config: (a config.json path) or params:`);
  }
  const num = (k: string, rule: NumberRule) => r.num([k], Q(rule));
  const tokens = num('tokens', { max: 1e16 });
  const steps = num('steps', { integer: true, max: 1e10 });
  const gbs = num('global_batch_size', COUNT);
  const seq = num('sequence_length', { integer: true, max: 1e8 });
  const batchTokens = !tokens && steps && gbs && seq ? product([[steps, 'steps'], [gbs, 'global_batch_size'], [seq, 'sequence_length']]) : undefined;
  const facts: RunFacts = {
    ...base,
    name: typeof r.raw(['name']) === 'string' ? String(r.raw(['name'])) : base.name,
    params: num('params', { max: 1e18 }) ?? base.params,
    activeParams: num('active_params', { max: 1e18 }) ?? base.activeParams,
    tokens: tokens ?? batchTokens ?? base.tokens,
    flops: num('flops', { max: 1e32 }) ?? base.flops,
    sequenceLength: seq ?? base.sequenceLength,
    samples: num('samples', { integer: true, max: 1e13 }) ?? base.samples,
    epochs: num('epochs', { max: 1e6 }) ?? base.epochs,
    precisionBits: precision(r) ?? base.precisionBits,
    hardware: hardware(r) ?? base.hardware,
    devices: num('devices', COUNT) ?? base.devices,
    hours: num('hours', { max: 1e6 }) ?? base.hours,
    deviceHours: num('device_hours', { max: 1e11 }) ?? base.deviceHours,
    utilization: num('utilization', { max: 1 }) ?? base.utilization,
    powerW: num('power_w', { max: 1e5 }) ?? base.powerW,
    pue: num('pue', { min: 1, max: 10 }) ?? base.pue,
    gridKgPerKwh: num('grid_kg_per_kwh', { min: 0, max: 10 }) ?? base.gridKgPerKwh,
    temperatureK: num('temperature_k', { max: 1e4 }) ?? base.temperatureK,
  };
  if (facts.tokens) facts.batch = undefined;
  if (!facts.model && !facts.params) {
    r.report([], 'no-model', 'a run file needs model:, config: or params: to know the model size', configPath || modelName ? 'warning' : 'error');
  }
  return finishFacts(facts);
}

function precision(r: FieldReader): Sourced<number> | undefined {
  const bits = r.num(['bits'], Q({ integer: true, max: 64 }));
  if (bits) return bits;
  const text = r.raw(['precision']);
  if (text === undefined || text === null) return undefined;
  const value = bitsFromPrecision(String(text));
  if (value === undefined) {
    r.report(['precision'], 'bad-value', `precision ${JSON.stringify(text)} is not one of bf16, fp16, fp32, fp8, fp64, int8, nf4`);
    return undefined;
  }
  r.record(['precision'], text);
  return { value, source: r.source(['precision']) };
}

function hardware(r: FieldReader): Sourced<string> | undefined {
  const h = r.str(['hardware']);
  if (!h) return undefined;
  const profile = lookupHardware(h.value);
  if (!profile) {
    r.report(['hardware'], 'unknown-hardware', `unknown hardware "${h.value}" (known: ${hardwareIds().join(', ')})`);
    return undefined;
  }
  return { value: profile.id, source: h.source };
}
