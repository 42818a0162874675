// A value read from a notebook is shown and linked as the notebook shows it: "cell 3, line 2", whether the notebook
// was read from its .ipynb JSON (the workspace scan, the CLI, an .ipynb open as text) or from the notebook editor's
// cells joined into one Python text.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocumentSync } from '../../../src/core/estimate';
import { fileOffset, joinCells, joinedOffsetOfFile, placeInCells, placeInNotebookFile, readNotebookJson } from '../../../src/core/python/notebook';
import { loadPythonParser } from '../../../src/node/pythonParser';
import { linkTargets, renderMarkdown, shownText } from '../../markdownView';

const cell = (source: string | string[], type = 'code') => ({ cell_type: type, metadata: {}, source, ...(type === 'code' ? { outputs: [], execution_count: null } : {}) });
const notebook = (cells: unknown[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }, null, 1);

// Cell 1 is Markdown, as the notebook editor numbers it; the LoRA rank is on line 2 of cell 3.
const CELLS = [
  cell('# LoRA fine-tune', 'markdown'),
  cell(['from transformers import AutoModelForCausalLM, TrainingArguments\n', 'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")\n']),
  cell(['from peft import LoraConfig, get_peft_model\n', 'cfg = LoraConfig(r=8, target_modules=["q_proj", "v_proj"], note="tab\\there")\n', 'model = get_peft_model(model, cfg)\n']),
  cell('Some text with "quotes" and \\ backslashes', 'markdown'),
  cell(['args = TrainingArguments(output_dir="o", per_device_train_batch_size=4,\n', '    gradient_accumulation_steps=8, max_steps=100, bf16=True)']),
];
const TEXT = notebook(CELLS);
const SOURCES = CELLS.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));

/** The cell (0-based), 1-based line and column of the first occurrence of `needle` in the notebook's cells. */
function expectedPlace(needle: string) {
  for (let index = 0; index < SOURCES.length; index++) {
    const i = CELLS[index].cell_type === 'code' ? SOURCES[index].indexOf(needle) : -1;
    if (i < 0) continue;
    const before = SOURCES[index].slice(0, i);
    return { index, line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
  }
  throw new Error(`${needle} is in no code cell`);
}

before(async () => {
  assert.ok(await loadPythonParser(), 'tree-sitter and its Python grammar load from node_modules');
});

describe('notebook places', () => {
  test('an offset of the JSON text maps back to the joined code and to its cell, line and column (the inverse of fileOffset)', () => {
    const nb = readNotebookJson(TEXT);
    assert.ok(nb.ok);
    for (let o = 0; o < nb.joined.code.length; o++) {
      // The newline the joining adds after a cell that does not end in one is written nowhere in the file.
      const f = fileOffset(nb.joined, TEXT, o);
      const back = joinedOffsetOfFile(nb.joined, TEXT, f);
      if (back !== o) assert.equal(nb.joined.code[o], '\n', `offset ${o} (${JSON.stringify(nb.joined.code.slice(o, o + 10))}) came back as ${back}`);
    }
    assert.deepEqual(placeInNotebookFile(TEXT, TEXT.indexOf('r=8')), expectedPlace('r=8'));
    assert.deepEqual(expectedPlace('r=8'), { index: 2, line: 2, column: 18 });
    assert.deepEqual(placeInNotebookFile(TEXT, TEXT.indexOf('max_steps')), expectedPlace('max_steps'));
    // After an escaped tab (two characters in the JSON, one in the cell) the column still counts the cell's characters.
    assert.deepEqual(placeInNotebookFile(TEXT, TEXT.indexOf('here\\"')), expectedPlace('here"'));
    assert.equal(placeInNotebookFile(TEXT, TEXT.indexOf('Some text')), undefined, 'a Markdown cell is no code cell');
    assert.equal(placeInNotebookFile(TEXT, TEXT.indexOf('"nbformat"')), undefined, 'metadata is in no cell');
    assert.equal(placeInNotebookFile('{not json', 3), undefined);
  });

  test('every field read from the .ipynb on disk and from the editor’s joined cells is at the same cell, line and column', () => {
    const onDisk = analyzeDocumentSync({ path: '/w/tune.ipynb', text: TEXT });
    const joined = joinCells(CELLS.map((c, index) => ({ index, source: SOURCES[index], code: c.cell_type === 'code' })).filter((c) => c.code));
    const inEditor = analyzeDocumentSync({ path: '/w/tune.ipynb', text: joined.code });
    assert.equal(onDisk.report?.params.trained, 4_194_304);
    assert.equal(inEditor.report?.params.trained, 4_194_304);
    assert.ok(onDisk.fields.length >= 5, `fields read: ${onDisk.fields.map((f) => f.field).join(', ')}`);
    for (const f of onDisk.fields) {
      const g = inEditor.fields.find((x) => x.field === f.field);
      assert.ok(g, f.field);
      assert.deepEqual(placeInNotebookFile(TEXT, f.offset), placeInCells(joined, g.offset), f.field);
    }
    const r = onDisk.fields.find((f) => f.field === 'lora_r')!;
    assert.deepEqual(placeInNotebookFile(TEXT, r.offset), { index: 2, line: 2, column: 18 });
  });

  test('the Training Runs view’s definition of a notebook (a JSON position) opens the cell that loads the model', async () => {
    const { runFigures } = await import('../../../src/worker/summarize');
    const figures = runFigures(analyzeDocumentSync({ path: '/w/tune.ipynb', text: TEXT }));
    assert.ok(figures);
    const lines = TEXT.split('\n');
    const offset = lines.slice(0, figures.definition.line).reduce((n, l) => n + l.length + 1, 0) + figures.definition.character;
    const place = placeInNotebookFile(TEXT, offset);
    assert.ok(place, `definition ${JSON.stringify(figures.definition)} is in a code cell`);
    assert.equal(place.index, 1, 'cell 2, the one with from_pretrained');
    assert.match(SOURCES[1].split('\n')[place.line - 1], /from_pretrained/);
  });

  test('the hover says "cell 3, line 2" and its read links open the cell at that line', async () => {
    await import('../estimate/vscodeStub');
    const { hoverMarkdown } = await import('../../../src/extension/hoverMarkdown');
    const uri = { path: '/w/tune.ipynb', with: () => uri, toString: () => 'file:///w/tune.ipynb' };
    const check = (label: string, text: string, locate: (file: string, offset: number) => ReturnType<typeof placeInCells>) => {
      const a = analyzeDocumentSync({ path: '/w/tune.ipynb', text });
      const field = a.fields.find((f) => f.field === 'lora_r')!;
      const html = renderMarkdown((hoverMarkdown(a, uri as never, 'run', field, undefined, locate) as unknown as { value: string }).value);
      const shown = shownText(html);
      assert.match(shown, /lora_r = 8 \(tune\.ipynb, cell 3, line 2\)/, `${label}: ${shown.slice(0, 400)}`);
      assert.doesNotMatch(shown, /tune\.ipynb:\d/, `${label}: no line of the joined code or of the JSON`);
      // The precision is read from bf16=True, on line 2 of cell 5.
      assert.match(html, /read from tune\.ipynb, cell 5, line 2 \(bf16\)/, `${label}: the read link's title names the cell`);
      const reveals = linkTargets(html).filter((t) => t.startsWith('command:limLens.revealSource?'));
      assert.ok(reveals.length > 0, `${label}: a read link`);
      for (const t of reveals) {
        const [target, line, character, index] = JSON.parse(decodeURIComponent(t.slice(t.indexOf('?') + 1))) as [string, number, number, number];
        assert.equal(target, 'file:///w/tune.ipynb');
        const src = SOURCES[index];
        assert.equal(CELLS[index].cell_type, 'code', `${label}: a code cell`);
        const lineText = src.split('\n')[line];
        assert.ok(lineText !== undefined && character <= lineText.length, `${label}: line ${line}, character ${character} in cell ${index + 1}`);
        // Each read value is a keyword argument: the link lands on its name.
        assert.match(lineText.slice(character), /^[A-Za-z_][A-Za-z_0-9]*\s*=/, `${label}: lands on ${JSON.stringify(lineText.slice(character, character + 30))}`);
      }
    };
    check('.ipynb on disk', TEXT, (file, offset) => (file === '/w/tune.ipynb' ? placeInNotebookFile(TEXT, offset) : undefined));
    const joined = joinCells(CELLS.flatMap((c, index) => (c.cell_type === 'code' ? [{ index, source: SOURCES[index] }] : [])));
    check('notebook editor', joined.code, (file, offset) => (file === '/w/tune.ipynb' ? placeInCells(joined, offset) : undefined));
  });

  test('without a locator (a script) the hover keeps file:line', async () => {
    await import('../estimate/vscodeStub');
    const { hoverMarkdown } = await import('../../../src/extension/hoverMarkdown');
    const text = SOURCES.filter((_, i) => CELLS[i].cell_type === 'code').join('');
    const a = analyzeDocumentSync({ path: '/w/tune.py', text });
    const field = a.fields.find((f) => f.field === 'lora_r')!;
    const uri = { path: '/w/tune.py', with: () => uri, toString: () => 'file:///w/tune.py' };
    const shown = shownText(renderMarkdown((hoverMarkdown(a, uri as never, 'run', field) as unknown as { value: string }).value));
    assert.match(shown, /lora_r = 8 \(tune\.py:4\)/, shown.slice(0, 300));
  });
});
