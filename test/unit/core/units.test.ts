import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantity, formatEnergy, formatCount, formatSci, formatSI, findHardware } from '../../../src/core';
import { formatBound, formatChange, formatCO2, formatDeviceHours, formatDuration, formatInteger, formatSig, grouped } from '../../../src/core/units/format';

test('parseQuantity reads the sizes people write', () => {
  const ok: Array<[string, number]> = [
    ['1e15', 1e15], ['1.8e27', 1.8e27], ['7B', 7e9], ['300B', 300e9], ['125M', 125e6], ['125m', 125e6],
    ['70b', 70e9], ['1.5T', 1.5e12], ['4k', 4e3], ['1,024', 1024], ['1_000_000', 1e6], ['0.4', 0.4], ['-3', -3], ['.5', 0.5],
  ];
  for (const [text, value] of ok) assert.deepEqual(parseQuantity(text), { ok: true, value }, text);
  for (const text of ['', 'NaN', 'Infinity', '-inf', 'seven', '1,5', '7 B', '1e999', '0x10', '7BB']) {
    const r = parseQuantity(text);
    assert.equal(r.ok, false, text);
  }
  assert.deepEqual(parseQuantity('1e999'), { ok: false, reason: '"1e999" is too large' });
});

test('energies print in watt-hours above 1 Wh and SI joules below', () => {
  assert.equal(formatEnergy(3.682983e8), '102 kWh');
  assert.equal(formatEnergy(433196 * 3.6e6), '433 MWh');
  assert.equal(formatEnergy(3.5e15), '972 GWh');
  assert.equal(formatEnergy(5.697691e-10), '570 pJ');
  assert.equal(formatEnergy(0), '0 J');
  assert.equal(formatSI(1.2e-21, 'J'), '1.2 zJ');
});

test('counts and scientific notation', () => {
  const counts: Array<[number, string]> = [[6_738_415_616, '6.74B'], [124_439_808, '124M'], [46_702_792_704, '46.7B'], [1e15, '1.00e15'], [1.8e12, '1.8T']];
  for (const [n, text] of counts) assert.equal(formatCount(n), text);
  assert.equal(formatSci(3.682983e8, 4), '3.683e8');
  assert.equal(formatSci(7.0751e-13, 3), '7.08e-13');
});

test('hardware aliases resolve case-insensitively', () => {
  assert.equal(findHardware('A100-80GB')?.id, 'a100');
  assert.equal(findHardware('NVIDIA H100')?.id, 'h100');
  assert.equal(findHardware('TPU v4')?.id, 'tpu-v4');
  assert.equal(findHardware('tpu_v3')?.id, 'tpu-v3');
  assert.equal(findHardware('gtx 1080'), undefined);
});

test('bounds use the same adaptive units as the estimates beside them (one notation on every surface)', () => {
  // The paper's 3.683e8 J for a brain-scale run, and a 7B model's LIM bound of a few hundred joules.
  assert.equal(formatBound(3.682983e8), '102 kWh');
  assert.equal(formatBound(3.682983e8), formatEnergy(3.682983e8));
  assert.equal(formatBound(846.3), '846 J');
  assert.equal(formatBound(5.7e-10), '570 pJ');
  assert.equal(formatBound(1.1e4), '3.06 Wh');
});

test('durations: minutes, hours, days, years; device-hours as compact counts; changes with a real minus sign', () => {
  // BLOOM-176B: 1,082,990 A100-hours on 384 GPUs, about 118 days (Luccioni et al. 2022).
  assert.equal(formatDuration(1_082_990 / 384), '118 days');
  assert.equal(formatDeviceHours(1_082_990), '1.08M device-hours');
  assert.equal(formatDeviceHours(184_320), '184K device-hours');
  assert.equal(formatDeviceHours(52.34), '52.3 device-hours');
  assert.equal(formatDeviceHours(0.0177), '1.06 device-minutes');
  assert.equal(formatDeviceHours(0.223 / 60), '13.4 device-seconds');
  assert.equal(formatDuration(0.53 / 60), '32 s');
  // Whole counts below 10,000 in full: a 2,048-token length cap, not "2.05K".
  assert.equal(formatCount(2048), '2,048');
  assert.equal(formatCount(10_240), '10.2K');
  assert.equal(formatDuration(0.75), '45 min');
  assert.equal(formatDuration(17.26), '17.3 h');
  assert.equal(formatDuration(24 * 365.25 * 9.78), '9.78 years');
  assert.equal(formatDuration(0), '0 h');
  assert.equal(formatChange(-0.7412), '−74 %');
  assert.equal(formatChange(0.12), '+12 %');
  assert.equal(formatChange(-0.0018), '−0.18 %');
  assert.equal(formatChange(0), '0 %');
  // Llama 2 7B: 31.22 t CO2e as published; 7.5T tokens as a compact count.
  assert.equal(formatCO2(31_223.808), '31.2 t CO₂');
  assert.equal(formatCount(7_500_000_000_000), '7.5T');
});

test('grouped prints what Intl.NumberFormat en-US prints, without loading ICU (random values, every precision)', () => {
  // A seeded generator: mantissas across 1e-9 … 1e24, both signs, ties such as 1.005 and 2.5, carries such as 9.995.
  let seed = 0x2545f491;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const values = [1.005, 1.015, 2.5, -2.5, 0.5, 9.995, 99.95, 999_999.5, 0.0004, -0.0004, 123456789012345680000, 1e21, 1e23, 4.35, 1234.5];
  for (let i = 0; i < 4000; i++) {
    const magnitude = 10 ** Math.floor(rand() * 34 - 10);
    const v = rand() < 0.3 ? Math.round(rand() * 2000) / 200 : rand() * magnitude;
    values.push(rand() < 0.5 ? -v : v);
  }
  const intl = Array.from({ length: 21 }, (_, d) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d }));
  let checked = 0;
  for (const v of values) {
    for (const d of [0, 1, 2, 3, 5, 8, 12, 20]) {
      assert.equal(grouped(v, d), intl[d].format(v), `grouped(${v}, ${d})`);
      checked++;
    }
  }
  assert.equal(checked, values.length * 8);
  assert.equal(grouped(1.005, 2), '1.01', 'the shortest decimal form is rounded, not the binary value (toFixed: 1.00)');
  assert.equal(grouped(9.995, 2), '10', 'a carry into a new integer digit drops the zero fraction');
  assert.equal(formatInteger(46_702_792_704), '46,702,792,704');
  assert.equal(formatSig(1234.5), '1,235');
  assert.equal(formatSig(0.01234), '0.0123');
});

test('CO₂ in the unit that reads: grams below 1 kg, kilograms below 1 t, tonnes above', () => {
  const kg: Array<[number, string]> = [
    [0.0462, '46.2 g CO₂'], [0.0000914, '0.0914 g CO₂'], [1.7857, '1.79 kg CO₂'], [568.22, '568 kg CO₂'],
    [1133.74, '1.13 t CO₂'], [31223.8, '31.2 t CO₂'], [2.5e7, '25,000 t CO₂'], [0, '0 kg CO₂'],
  ];
  for (const [x, text] of kg) assert.equal(formatCO2(x), text, String(x));
  // The unit follows the rounded figure: never "1,000 g" or "1,000 kg".
  assert.equal(formatCO2(0.99996), '1 kg CO₂');
  assert.equal(formatCO2(999.97), '1 t CO₂');
  assert.equal(formatCO2(Number.NaN), 'NaN kg CO₂');
});
