import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GLOSSARY, GLOSSARY_TITLE, glossaryLine, glossaryMarkdown, termTitle, UI_TERMS, type GlossaryKey } from '../../../src/core/glossary';
import { ANALOG_HEADER_TERMS, BOUND_ROWS, BOUNDS_HEADER, CHART_TITLES, ENERGY_FACTS } from '../../../webview/dashboard/labels';

const root = join(__dirname, '../../..');

describe('glossary', () => {
  test('has every term the brief names, each with a one-line plain definition', () => {
    const terms: string[] = Object.values(GLOSSARY).map((e) => e.term);
    for (const t of ['LIM bound', 'Landauer bound (E_L)', 'E_neq (non-equilibrium term)', 'Static-barrier bound (E_static)', '× E_L', 'U (updates per parameter)', 'The three walls', 'Memory wall', 'Update wall', 'Consolidation wall', 'Orders of magnitude above the LIM bound', '[paper]', '[model]', '[data]', 'read', 'defaulted', 'computed', 'measured', 'known shape', 'Active parameters', 'Training tokens D', 'Device-hours', 'PUE', 'Utilisation (MFU)', 'Grid intensity', 'Analog SGD', 'Tiki-Taka', 'Asymptotic error', 'τ (dynamic range)', 'Pulsed update', 'Expected update']) {
      assert.ok(terms.includes(t), `no glossary entry for ${t}`);
    }
    for (const [key, e] of Object.entries(GLOSSARY)) {
      assert.ok(e.definition.length > 20 && e.definition.length < 240, `${key}: one line`);
      assert.doesNotMatch(e.definition, /\n|spec 0|docs\/|§|\.md\b/, `${key}: plain words, no internal references`);
    }
    assert.match(GLOSSARY.limBound.definition, /physical floor/);
    assert.match(GLOSSARY.limBound.definition, /not an estimate of your run/);
  });

  test('every label the dashboard shows as a glossary term has an entry, and its tooltip is the glossary line', () => {
    const labels = [...BOUNDS_HEADER, ...Object.values(BOUND_ROWS), ...Object.values(ENERGY_FACTS), ...Object.values(CHART_TITLES), ...ANALOG_HEADER_TERMS, '[model]', '[data]', '[paper]', 'Analog SGD', 'Tiki-Taka', 'τ (dynamic range)', 'Update mode'];
    for (const label of labels) {
      const key = UI_TERMS[label];
      assert.ok(key && key in GLOSSARY, `no glossary entry for the label "${label}"`);
      assert.equal(termTitle(label), glossaryLine(key as GlossaryKey));
    }
    assert.equal(termTitle('toString'), undefined, 'only own labels');
    assert.equal(termTitle('series'), undefined);
  });

  test('the page starts with its title, then the LIM bound, and lists every term once', () => {
    const md = glossaryMarkdown();
    assert.ok(md.startsWith(`# ${GLOSSARY_TITLE}\n`));
    assert.match(md, /physical floors/);
    for (const e of Object.values(GLOSSARY)) assert.equal(md.split(`**${e.term}** — `).length, 2, e.term);
    assert.ok(md.indexOf('**LIM bound** — ') < md.indexOf('**Landauer bound (E_L)** — '));
  });
});

/** Every .ts file under a folder. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The code without its comments (line comments are cut at "//" unless it follows a ":" as in a URL). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

describe('no internal document references in UI text', () => {
  test('no string in src/ or webview/ cites "spec 0…", a docs/ page or a "§" section', () => {
    const found: string[] = [];
    for (const file of [...walk(join(root, 'src')), ...walk(join(root, 'webview'))]) {
      const lines = withoutComments(readFileSync(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (/spec 0\d|docs\/|theory\.md|analog\.md|configs\.md|§/.test(line)) found.push(`${file.slice(root.length + 1)}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(found, []);
  });
});
