// The aihwkit export (src/core/analog/export/aihwkit.ts): aihwkit cannot be installed here, so the generated
// Python is checked as text (the aihwkit settings and levels it writes), parsed with tree-sitter's Python grammar
// (no syntax error anywhere), and the gradient-noise level it derives is checked by simulating aihwkit's forward
// weight noise (y += w_noise·‖x‖·ξ, ADDITIVE_CONSTANT) on the same kind of data.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { aihwkitExportCaveats, defaultSimulationConfig, exportAihwkitScript, Rng, type AlgorithmKind, type SimulationConfig } from '../../../src/core/analog';
import { pythonParser } from '../../../src/core/python/syntax';
import { loadPythonParser } from '../../../src/node/pythonParser';
import { bundledDigitsPath } from '../../../src/node/data';
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
