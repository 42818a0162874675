// Measured runs: reading CodeCarbon files (the shared corpus's real ones where present, and a 5 MB file, larger than
// the 3 MB Ambroise012/BERT-Pruning's emissions.csv grows to), the cost of joining a record to a config's estimate, and the
// simulator's CSV dataset reader on the bundled digits.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocumentSync } from '../src/core/estimate';
import { readCodeCarbon } from '../src/core/measured';
import { parseCsvDataset } from '../src/core/analog';
import { bundledDigitsPath, readCsvText } from '../src/node/data';
import { percentile, record, timeCalls } from './harness';

const SHARED = process.env.LIM_SHARED_DIR ?? join(__dirname, '..', '..', 'shared');
const REAL = join(SHARED, 'data', 'realworld-python', 'measured');

if (existsSync(REAL)) {
  for (const f of readdirSync(REAL).filter((n) => n.endsWith('.csv')).sort()) {
    const text = readFileSync(join(REAL, f), 'utf8');
    const cc = readCodeCarbon(f, text);
    const t = timeCalls(() => readCodeCarbon(f, text), 200, 50);
    record({ name: `CodeCarbon ${f.split('__').slice(0, 2).join('/')} (${cc.rows} rows → ${cc.runs.length} runs)`, value: percentile(t, 50), unit: 'ms (p50)', p50Ms: percentile(t, 50), p99Ms: percentile(t, 99), samples: t.length });
  }
} else console.log(`the shared corpus is not at ${REAL}: real CodeCarbon files not timed`);

// A 5 MB file in the 2.4 layout (12,000 separate runs of 31 columns), larger than the 3 MB BERT-Pruning grows to.
const header = 'timestamp,project_name,run_id,duration,emissions,emissions_rate,cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,country_name,country_iso_code,region,cloud_provider,cloud_region,os,python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,latitude,ram_total_size,tracking_mode,on_cloud,pue';
const row = (i: number) =>
  `2024-07-24T14:08:18,paper,ef38bcc2-edc0-4b84-99ed-${String(i).padStart(12, '0')},3795.186516284943,0.0663607778463435,1.748551159780763e-05,99.7453480854865,95.777319440967,70.27894020080566,0.0847592643259683,0.208993764139322,0.0740638071406,0.3678168356058902,Denmark,DNK,,,,Linux-3.10.0-1062.18.1.el7.x86_64-x86_64-with-glibc2.17,3.9.19,2.4.2,24,Intel(R) Xeon(R) Gold 6136 CPU @ 3.00GHz,1,1 x Tesla V100-PCIE-32GB,12.0564,55.7123,187.41050720214844,machine,N,1.0`;
const big = [header, ...Array.from({ length: 12_000 }, (_, i) => row(i))].join('\n');
const tb = timeCalls(() => readCodeCarbon('big.csv', big), 10, 3);
record({ name: `CodeCarbon ${(big.length / 1e6).toFixed(1)} MB, 12,000 runs (2.4 layout)`, value: percentile(tb, 50), unit: 'ms (p50)', p50Ms: percentile(tb, 50), p99Ms: percentile(tb, 99), samples: tb.length });

// The join: a config.json analysed with and without a CodeCarbon record beside it (the record's parse is cached per
// text, as it is across the editor's keystrokes).
const FIX = join(__dirname, '..', 'test', 'fixtures', 'measured', 'joined');
const config = readFileSync(join(FIX, 'config.json'), 'utf8');
const csv = readFileSync(join(FIX, 'emissions.csv'), 'utf8');
const doc = { path: '/w/run/config.json', text: config };
const none = timeCalls(() => analyzeDocumentSync(doc, { readSibling: () => undefined }), 2000, 300);
const joined = timeCalls(() => analyzeDocumentSync(doc, { readSibling: (p) => (p === 'emissions.csv' ? csv : undefined) }), 2000, 300);
record({ name: 'config.json estimate, no record beside it', value: percentile(none, 50), unit: 'ms (p50)', p50Ms: percentile(none, 50), p99Ms: percentile(none, 99), samples: none.length });
record({ name: 'config.json estimate joined to its emissions.csv', value: percentile(joined, 50), unit: 'ms (p50)', p50Ms: percentile(joined, 50), p99Ms: percentile(joined, 99), samples: joined.length });

const digits = readCsvText(bundledDigitsPath());
const td = timeCalls(() => parseCsvDataset(digits), 30, 5);
record({ name: 'parseCsvDataset: bundled UCI digits (1,797 × 65)', value: percentile(td, 50), unit: 'ms (p50)', p50Ms: percentile(td, 50), p99Ms: percentile(td, 99), samples: td.length });
