/**
 * Technology presets, transcribed from aihwkit's `simulator/presets/devices.py` with the source
 * each one names. Energy per pulse is a separate, user-set number (the presets carry the default).
 */
import { defaultDevice, type DeviceConfig } from './config';

export interface DevicePreset {
  id: string;
  /** aihwkit class name of the preset. */
  aihwkitName: string;
  technology: string;
  source: string;
  device: DeviceConfig;
}

function preset(id: string, aihwkitName: string, technology: string, source: string, device: DeviceConfig): DevicePreset {
  return { id, aihwkitName, technology, source, device: { ...device, preset: id, source } };
}

/**
 * What the two ReRAM array presets of Gong & Rasch et al. (IEDM 2022) share: a symmetric ±1 range, log-normal
 * device-to-device step spread, a 1 % up/down spread, a reference device subtracted at the symmetry point and
 * additive write noise. Only the fitted step sizes and spreads differ between the two materials.
 */
const RERAM_ARRAY = {
  dwMinDtodLogNormal: true,
  upDown: 0,
  upDownDtod: 0.01,
  wMax: 1,
  wMin: -1,
  subtractSymmetryPoint: true,
  referenceStd: 0.05,
  multNoise: false,
} as const;

/** Id of the paper's device preset, the default of the mnist-fcn and mnist-cnn recipes. */
export const PAPER_DEVICE_PRESET_ID = 'paper-soft-bounds';
/** τ of the paper's device preset (its MNIST runs use 0.7 and 0.8). */
export const PAPER_DEVICE_TAU = 0.7;

export const DEVICE_PRESETS: readonly DevicePreset[] = [
  preset(
    PAPER_DEVICE_PRESET_ID,
    'SoftBoundsReferenceDevice',
    'soft bounds ±τ referenced to each element\'s symmetric point (τ = 0.7)',
    'Wu et al., NeurIPS 2024 (arXiv 2406.12774), Fig. 5 MNIST runs: aihwkit SoftBoundsReferenceDevice(w_max = τ, w_min = −τ, subtract_symmetry_point = True), aihwkit defaults otherwise',
    // Everything but the bounds and the reference is aihwkit's PulsedDevice default: dw_min 1e-3, dw_min_dtod 0.3,
    // dw_min_std 0.3, up_down 0, up_down_dtod 0.01, w_max_dtod = w_min_dtod = 0.3, additive cycle noise.
    defaultDevice('SoftBoundsReference', { wMax: PAPER_DEVICE_TAU, wMin: -PAPER_DEVICE_TAU, subtractSymmetryPoint: true }),
  ),
  preset(
    'reram-es',
    'ReRamESPresetDevice',
    'ReRAM (exponential-step fit)',
    'Gong et al., Nat. Commun. 2018; aihwkit ReRamESPresetDevice',
    defaultDevice('ExpStep', {
      dwMin: 0.00135, upDown: 0.259359, wMax: 1, wMin: -1, expA: -0.5, expB: -0.5, expGammaUp: 5, expGammaDown: 5,
      expAUp: -1.18445, expADown: -0.081404, dwMinDtod: 0.2, upDownDtod: 0.05, wMaxDtod: 0.3, wMinDtod: 0.3, dwMinStd: 5.0, writeNoiseStd: 75,
    }),
  ),
  preset(
    'reram-sb',
    'ReRamSBPresetDevice',
    'ReRAM (soft-bounds fit, symmetry point assumed calibrated)',
    'aihwkit ReRamSBPresetDevice (loose soft-bounds fit to ReRAM data)',
    defaultDevice('SoftBoundsReference', {
      dwMin: 0.002, upDown: 0, wMax: 1.25, wMin: -0.75, multNoise: false, dwMinDtod: 0.3, upDownDtod: 0.01, wMaxDtod: 0.3 / 1.25,
      wMinDtod: 0.3 / 0.75, dwMinStd: 3.75, writeNoiseStd: 56,
    }),
  ),
  preset(
    'reram-om',
    'ReRamArrayOMPresetDevice',
    'ReRAM array, optimised material',
    'Gong & Rasch et al., IEDM 2022; aihwkit ReRamArrayOMPresetDevice',
    defaultDevice('SoftBoundsReference', {
      ...RERAM_ARRAY,
      dwMin: 0.0949, dwMinDtod: 0.7829, wMaxDtod: 0.3499, wMinDtod: 0.5695, dwMinStd: 0.4158, writeNoiseStd: 1.4113,
    }),
  ),
  preset(
    'reram-hfo2',
    'ReRamArrayHfO2PresetDevice',
    'ReRAM array, baseline HfO2',
    'Gong & Rasch et al., IEDM 2022; aihwkit ReRamArrayHfO2PresetDevice',
    defaultDevice('SoftBoundsReference', {
      ...RERAM_ARRAY,
      dwMin: 0.4622, dwMinDtod: 0.7125, wMaxDtod: 0.4295, wMinDtod: 0.599, dwMinStd: 0.2174, writeNoiseStd: 0.5841,
    }),
  ),
  preset(
    'ecram',
    'EcRamPresetDevice',
    'ECRAM (range shifted so the symmetry point is 0)',
    'Tang et al., IEDM 2018; aihwkit EcRamPresetDevice',
    defaultDevice('LinearStep', {
      dwMin: 0.002, upDown: 0, wMax: 1.1724, wMin: -0.8276, multNoise: true, gammaUp: 0.1153, gammaDown: 0.5085, dwMinDtod: 0.1,
      upDownDtod: 0.01, wMaxDtod: 0.05, wMinDtod: 0.05, gammaUpDtod: 0.05, gammaDownDtod: 0.05, dwMinStd: 0.3, meanBoundReference: true,
    }),
  ),
  preset(
    'ecram-mo',
    'EcRamMOPresetDevice',
    'metal-oxide ECRAM',
    'Kim et al., IEDM 2019; aihwkit EcRamMOPresetDevice',
    defaultDevice('LinearStep', {
      dwMin: 2.8214e-4, wMax: 1.1714, wMin: -0.8286, gammaUp: 0.4152, gammaDown: 0.7342, dwMinDtod: 0.1, upDownDtod: 0.01, wMaxDtod: 0.05,
      wMinDtod: 0.05, gammaUpDtod: 0.05, gammaDownDtod: 0.05, dwMinStd: 2.0,
    }),
  ),
  preset(
    'capacitor',
    'CapacitorPresetDevice',
    'CMOS capacitor (leaky)',
    'Li et al., VLSI 2018; aihwkit CapacitorPresetDevice',
    defaultDevice('LinearStep', {
      dwMin: 0.005, wMax: 1, wMin: -1, multNoise: false, gammaUp: 0.05, gammaDown: 0.05, gammaUpDtod: 0.01, gammaDownDtod: 0.01,
      dwMinDtod: 0.1, upDownDtod: 0.06, wMaxDtod: 0.07, wMinDtod: 0.07, dwMinStd: 0.3, lifetime: 1e6, lifetimeDtod: 0.3,
    }),
  ),
  preset(
    'pcm',
    'PCMPresetUnitCell',
    'PCM (GST) pair, uni-directional devices',
    'Nandakumar et al., 2020; aihwkit PCMPresetDevice in a OneSidedUnitCell (PCMPresetUnitCell)',
    defaultDevice('ExpStep', {
      dwMin: 0.01, wMax: 2, wMin: 0, expA: -1, expB: 0, expGammaUp: 2.5, expGammaDown: 2.5, expAUp: -27.235, expADown: -2.235,
      dwMinDtod: 0.2, upDownDtod: 0.05, wMaxDtod: 0.1, wMinDtod: 0, dwMinStd: 0.6, dwMinStdAdd: 0.042, dwMinStdSlope: 0.108, reset: 0.01,
      resetDtod: 0.02, onesidedPair: true,
    }),
  ),
  preset(
    'idealized',
    'IdealizedPresetDevice',
    'idealised symmetric device (≈ 10,000 states)',
    'aihwkit IdealizedPresetDevice',
    defaultDevice('ConstantStep', { dwMin: 2e-4, dwMinDtod: 0.3, dwMinStd: 0.3, upDown: 0, upDownDtod: 0, wMax: 1, wMin: -1, wMaxDtod: 0.3, wMinDtod: 0.3 }),
  ),
  preset(
    'gokmen-vlasov',
    'GokmenVlasovPresetDevice',
    'RPU specification (1,200 states)',
    'Gokmen & Vlasov, Front. Neurosci. 2016; aihwkit GokmenVlasovPresetDevice',
    defaultDevice('ConstantStep', { dwMin: 0.0016, dwMinDtod: 0.3, dwMinStd: 0.3, upDown: 0, upDownDtod: 0.01, wMax: 1, wMin: -1, wMaxDtod: 0.3, wMinDtod: 0.3 }),
  ),
];

export function findDevicePreset(id: string): DevicePreset | undefined {
  const key = id.toLowerCase();
  return DEVICE_PRESETS.find((p) => p.id === key || p.aihwkitName.toLowerCase() === key);
}
