import { computeEnergyBounds, DEFAULT_MODELS, type BoundModelSet } from '../bounds/compute';
import { resolveBoundInputs, validateBoundInputs } from '../bounds/inputs';
import { PROVENANCE } from '../bounds/provenance';
import { lookupHardware } from '../configs/hardwareLookup';
import { JOULES_PER_KWH, JOULES_PER_MWH, SECONDS_PER_HOUR } from '../physics/constants';
import type { ConfigDiagnostic, Source, Sourced } from '../configs/types';
import type { TrainingRun } from './run';

/** Energy on a real accelerator, by whichever route the run allows: stated time, or FLOPs at an assumed utilisation. */
export interface AcceleratorEstimate {
  id: string;
  name: string;
  peakFlops: number;
  powerW: number;
  pue: number;
  /** 'time': device-hours were stated; 'compute': derived from FLOPs at the assumed utilisation. */
  route: 'time' | 'compute';
  /** The utilisation assumed (compute route) or implied by the stated time (time route). */
  utilization: number;
  devices: number;
  /**
   * The device count is LIM Lens's built-in default (the file, a setting or a flag said none): the time is then
   * device-hours only, and `wallClockHours` is absent, since a wall-clock time from an assumed count would be a
   * figure nobody stated ("242 years" on one GPU for a recipe written for 1,024).
   */
  devicesAssumed: boolean;
  deviceHours: number;
  /** Device-hours / devices; absent when the device count is assumed and no time was stated. */
  wallClockHours?: number;
  /** Device energy before the data-centre overhead (device-hours × power): what "dynamic energy" reports use. */
  itEnergyJ: number;
  /** With PUE: the energy drawn from the grid. */
  energyJ: number;
  energyKWh: number;
  energyMWh: number;
  co2Kg: number;
  formula: string;
}

export interface BoundEnergies {
  landauer: number;
  limNonEquilibrium: number;
  lim: number;
  staticBarrier: number;
  updatesPerParameter: number;
  /** log10(accelerator energy / E_LIM). */
  ordersAcceleratorOverLim: number;
  limOverLandauer: number;
  model: { id: string; label: string; kind: string; source: string };
}

export interface EnergyEstimate {
  accelerator: AcceleratorEstimate;
  bounds?: BoundEnergies;
  diagnostics: ConfigDiagnostic[];
}

const fileDiagnostic = (file: string, code: string, message: string, severity: ConfigDiagnostic['severity'] = 'warning'): ConfigDiagnostic => ({
  file, line: 1, column: 1, field: '', severity, code, message, offset: 0, length: 0,
});

/** E = device-hours × power × PUE, with device-hours stated or FLOPs / (peak × utilisation). */
export function estimateEnergy(run: TrainingRun, models: BoundModelSet = DEFAULT_MODELS): EnergyEstimate {
  const diagnostics: ConfigDiagnostic[] = [];
  const profile = lookupHardware(run.hardware.value) ?? lookupHardware('h100')!;
  const powerW = run.powerW?.value ?? profile.tdpW;
  const pue = run.pue.value;
  const devices = run.devices.value;
  const flops = run.flops.value;
  let deviceHours: number;
  let route: AcceleratorEstimate['route'];
  let utilization: number;
  let formula: string;
  const stated = statedDeviceHours(run);
  if (stated) {
    route = 'time';
    deviceHours = stated.value;
    utilization = flops / (deviceHours * SECONDS_PER_HOUR * profile.peakFlops);
    formula = 'E = device-hours × power × PUE';
    if (utilization > 1) {
      diagnostics.push(
        fileDiagnostic(run.file, 'implausible-time', `the stated time is shorter than ${profile.name} allows at peak: implied utilisation ${utilization.toFixed(2)} > 1 for ${flops.toPrecision(3)} FLOPs`),
      );
    }
  } else {
    route = 'compute';
    utilization = run.utilization.value;
    deviceHours = flops / (profile.peakFlops * utilization) / SECONDS_PER_HOUR;
    formula = 'device-seconds = FLOPs / (peak × utilisation); E = device-seconds × power × PUE';
  }
  const devicesAssumed = run.devices.source.kind === 'default';
  // A stated wall-clock time stays a wall-clock time whatever the device count; otherwise it needs a real count.
  const wallClockHours = run.hours && !run.deviceHours ? run.hours.value : devicesAssumed ? undefined : deviceHours / devices;
  const itEnergyJ = deviceHours * SECONDS_PER_HOUR * powerW;
  const energyJ = itEnergyJ * pue;
  const accelerator: AcceleratorEstimate = {
    id: profile.id,
    name: profile.name,
    peakFlops: profile.peakFlops,
    powerW,
    pue,
    route,
    utilization,
    devices,
    devicesAssumed,
    deviceHours,
    ...(wallClockHours !== undefined ? { wallClockHours } : {}),
    itEnergyJ,
    energyJ,
    energyKWh: energyJ / JOULES_PER_KWH,
    energyMWh: energyJ / JOULES_PER_MWH,
    co2Kg: (energyJ / JOULES_PER_KWH) * run.gridKgPerKwh.value,
    formula,
  };

  const inputs = resolveBoundInputs({
    params: run.params.trained.value,
    flops,
    bits: run.precisionBits.value,
    temperatureK: run.temperatureK.value,
    schedule: run.schedule,
    hardwareId: profile.id,
    utilization: Math.min(1, run.utilization.value),
    pue,
    powerW,
  });
  const issues = validateBoundInputs(inputs);
  if (issues.length > 0) {
    diagnostics.push(fileDiagnostic(run.file, 'bounds-inputs', `bounds not computed: ${issues.map((i) => i.message).join('; ')}`));
    return { accelerator, diagnostics };
  }
  const b = computeEnergyBounds(inputs, models);
  const lim = b.results.find((r) => r.modelId === models.lim.id) ?? b.results[1];
  return {
    accelerator,
    bounds: {
      landauer: b.energy.landauer,
      limNonEquilibrium: b.energy.limNonEquilibrium,
      lim: b.energy.lim,
      staticBarrier: b.energy.staticBarrier,
      updatesPerParameter: b.derived.updatesPerParameter,
      ordersAcceleratorOverLim: Math.log10(energyJ / b.energy.lim),
      limOverLandauer: b.derived.limOverLandauer,
      model: { id: lim.modelId, label: PROVENANCE.limModel.label, kind: lim.provenance.kind, source: lim.provenance.source },
    },
    diagnostics,
  };
}

function statedDeviceHours(run: TrainingRun): Sourced<number> | undefined {
  if (run.deviceHours) return run.deviceHours;
  if (run.hours) {
    const src: Source = { kind: 'computed', formula: `devices (${run.devices.value}) × hours (${run.hours.value})` };
    return { value: run.devices.value * run.hours.value, source: src };
  }
  return undefined;
}
