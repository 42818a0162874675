// Python in the real editor: a notebook's cells are read with the rest of the notebook, so a hover on
// `LoraConfig(r=...)` in a cell shows the run's trainable parameters and energy; a training script's hover too.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { revealNotebookFilePosition } from '../../../src/extension/notebookCells';
import { activateExtension, EXTENSION_ID, fixtureUri, hoverTexts, limHover, screenshot, setSetting, sleep, waitFor, waitForPosted, waitForRender, waitForWebviewReady, workspaceRoot } from './helpers';
import type { RunSummary } from '../../../src/protocol/runs';

/** The arguments of the first limLens.revealSource link of a hover whose link title says `title`. */
function revealLink(md: string, title: RegExp): unknown[] {
  for (const m of md.matchAll(/\(command:limLens\.revealSource\?([^ )]+) "([^"]*)"\)/g)) {
    // The title is Markdown-escaped (a backslash before each parenthesis): compared as the text it shows.
    if (title.test(m[2].replace(/\\([!-/:-@[-`{-~])/g, '$1'))) return JSON.parse(decodeURIComponent(m[1])) as unknown[];
  }
  assert.fail(`no read link titled ${title} in ${md.slice(0, 600)}`);
}

/** Waits until the active editor is a cell of `notebook` with the cursor on the line of that cell holding `text`. */
async function cursorOn(notebook: vscode.NotebookDocument, index: number, text: string): Promise<vscode.TextEditor> {
  return waitFor(`the cursor on ${text} in cell ${index + 1}`, () => {
    const e = vscode.window.activeTextEditor;
    const cell = notebook.cellAt(index).document;
    if (e?.document.uri.toString() !== cell.uri.toString()) return undefined;
    return e.document.lineAt(e.selection.active.line).text.includes(text) ? e : undefined;
  }, 20_000, 100);
}

/** The position of `text` (plus an offset into it) in a cell's document. */
function at(doc: vscode.TextDocument, text: string, into = 1): vscode.Position {
  const i = doc.getText().indexOf(text);
  assert.ok(i >= 0, `${text} not in the cell`);
  return doc.positionAt(i + into);
}

suite('Python scripts and notebooks', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('a hover on LoraConfig(r=...) in a notebook cell shows the run: trainable parameters and energy', async () => {
    // An untitled Jupyter notebook: the model in one cell, the LoRA adapters and the trainer in the next.
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# LoRA fine-tune of Llama-2-7B', 'markdown'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'from transformers import AutoModelForCausalLM\nmodel_id = "meta-llama/Llama-2-7b-hf"\nmodel = AutoModelForCausalLM.from_pretrained(model_id)\n', 'python'),
      new vscode.NotebookCellData(
        vscode.NotebookCellKind.Code,
        'from peft import LoraConfig, get_peft_model\nfrom trl import SFTConfig\nconfig = LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"])\nmodel = get_peft_model(model, config)\nargs = SFTConfig(output_dir="out", per_device_train_batch_size=4, gradient_accumulation_steps=4, max_steps=500, max_length=512,\n    bf16=True)\n',
        'python',
      ),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(2).document;
    assert.equal(cell.languageId, 'python');
    assert.equal(cell.uri.scheme, 'vscode-notebook-cell');
    // The worker loads the parser on the first Python document: the first hover may wait for it.
    const md = await waitFor('a LIM Lens hover on r=8', async () => (await hoverTexts(cell.uri, at(cell, 'r=8'))).find((t) => t.includes('**LIM Lens**')), 60_000, 500);
    // PEFT's trainable count for r = 8 on q_proj and v_proj of Llama-2-7B, and the energy of the run.
    assert.match(md, /4,194,304|4\.19M/, md);
    assert.match(md, /6\.74B/, md);
    assert.match(md, /\d(\.\d+)? (J|kJ|MJ|GJ|Wh|kWh|MWh)/, md);
    assert.match(md, /lora\\?_r\*\* = 8/, md);
    // Where it was read, as the notebook shows it: cell 3 (the Markdown cell is cell 1), line 3 of that cell.
    assert.match(md, /lora\\?_r\*\* = 8 \(Untitled-\d+\.ipynb, cell 3, line 3\)/, md);
    // The precision's "read" link opens cell 3 at bf16=True, line 6 of the cell.
    const args = revealLink(md, /read from .*cell 3, line 6 \(bf16\)/);
    assert.equal(args[0], notebook.uri.toString());
    assert.equal(args[3], 2);
    await vscode.commands.executeCommand('limLens.revealSource', ...args);
    const e = await cursorOn(notebook, 2, 'bf16=True');
    assert.equal(e.selection.active.line, 5);
    assert.equal(e.selection.active.character, cell.lineAt(5).text.indexOf('bf16'));
    await screenshot('integration-notebook-lora-hover');
    // The model's line in the other cell anchors the same run.
    const first = notebook.cellAt(1).document;
    const onModel = (await hoverTexts(first.uri, at(first, 'from_pretrained'))).find((t) => t.includes('**LIM Lens**'));
    assert.ok(onModel && /6\.74B/.test(onModel), onModel);
    // The CodeLens sits in the cell that defines the model, on its from_pretrained line, and in no other cell.
    const lenses = await waitFor('the CodeLens of the notebook’s run', async () => {
      const l = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', first.uri, 10)) ?? [];
      return l.length > 0 ? l : undefined;
    }, 30_000, 500);
    assert.match(lenses[0].command?.title ?? '', /≈ .*(Wh|J)/, lenses[0].command?.title);
    assert.equal(lenses[0].range.start.line, at(first, 'from_pretrained').line);
    const none = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', cell.uri, 10)) ?? [];
    assert.equal(none.length, 0, 'no lens in the LoRA cell');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a CodeCarbon emissions.csv beside a training script: the hover and the Training Runs view show what was measured beside the estimate', async () => {
    // A scratch folder the scan reads (so the Training Runs view lists the run), two levels down so that it reads no
    // config.json of the workspace root; removed at the end, and the index with it.
    const folder = vscode.Uri.joinPath(workspaceRoot(), 'measured-python', 'run');
    const { index } = await activateExtension();
    const fixtures = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures');
    const script = vscode.Uri.joinPath(folder, 'train.py');
    const text = readFileSync(join(fixtures, 'python', 'sft_lora.py'), 'utf8');
    try {
      await vscode.workspace.fs.writeFile(script, Buffer.from(text));
      // CodeCarbon's record of one run in two cumulative snapshots: the last is the run, 7.5 kWh in 3 h on 8 A100s.
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'emissions.csv'), readFileSync(join(fixtures, 'measured', 'run', 'emissions.csv')));
      const doc = await vscode.workspace.openTextDocument(script);
      await vscode.window.showTextDocument(doc, { preview: false });
      // The hover on LoraConfig(r=8): the estimate first (the run's energy, Llama-2-7B's 6.74B parameters, PEFT's
      // 4,194,304 trainable), the measured record beside it with the estimate's error.
      const pos = doc.positionAt(text.indexOf('r=8') + 1);
      const md = await waitFor('a hover with the measured record', async () => {
        const t = await limHover(script, pos).catch(() => '');
        return /measured/.test(t) ? t : undefined;
      }, 60_000, 500);
      assert.match(md, /6\.74B/, md);
      assert.match(md, /4,194,304|4\.19M/, md);
      // On the hover's first line, Markdown-escaped: "≈ 123 Wh · … · measured: 7.5 kWh in 3 h (estimate −98 %)".
      assert.match(md.split('\n')[0], /\*\*≈ \d[\d.]* (Wh|kWh)\*\* .* measured\\?: 7\.5 kWh in 3 h \\?\(estimate [−-]\d+ %\\?\)/, md);
      assert.match(md, /lora\\?_r\*\* = 8/, md);
      await screenshot('integration-python-measured-hover');
      // The Training Runs view: the index lists the script's run with the record joined, and the view is sent it.
      await vscode.commands.executeCommand('limLens.runs.focus');
      await waitForWebviewReady('sidebar', { since: 0 });
      await index.ensureScanned();
      const run = await waitFor('the run with its record in the index', () => {
        const r = index.get(script.toString());
        return r?.measuredLabel !== undefined ? r : undefined;
      }, 30_000, 200);
      assert.deepEqual([run.measuredLabel, run.measuredEnergyJ, run.measuredHours], ['CodeCarbon run 66666666', 7.5 * 3.6e6, 3]);
      assert.equal(run.paramsTotal, 6_738_415_616);
      assert.ok(run.energyJ !== undefined && run.energyJ > 0, 'the estimate beside the measurement');
      // The record joined this run, so it is no entry of its own.
      assert.equal(index.list().filter((r) => r.uri.startsWith(vscode.Uri.joinPath(folder, 'emissions.csv').toString())).length, 0);
      const posted = await waitForPosted('sidebar', 'state', {
        since: 0,
        accept: (m) => ((m as unknown as { runs: RunSummary[] }).runs ?? []).some((r) => r.id === run.id && r.measuredEnergyJ === 27e6 && r.energyJ === run.energyJ),
      });
      await waitForRender('sidebar', { since: posted.at });
      await screenshot('integration-python-measured-sidebar');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '..'), { recursive: true });
      await waitFor('the index to drop the scratch run', () => !index.list().some((r) => r.uri.startsWith(vscode.Uri.joinPath(folder, '..').toString())), 30_000, 200);
    }
  });

  test('an .ipynb on disk: the hover on its JSON text names the cell; the read link and the run definition open that cell', async () => {
    // In a folder the workspace scan excludes (.ipynb_checkpoints), so the Training Runs of other suites stay as they are;
    // one level further down, so that it reads no config.json of the workspace root, which a later suite rewrites.
    const uri = fixtureUri('.ipynb_checkpoints/provenance/provenance.ipynb');
    mkdirSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true });
    const cell = (source: string[], type = 'code') => ({ cell_type: type, metadata: {}, source, ...(type === 'code' ? { outputs: [], execution_count: null } : {}) });
    const json = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
      cell(['# LoRA'], 'markdown'),
      cell(['from transformers import AutoModelForCausalLM, TrainingArguments\n', 'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")\n']),
      cell(['from peft import LoraConfig, get_peft_model\n', 'model = get_peft_model(model, LoraConfig(r=8, target_modules=["q_proj", "v_proj"]))\n', 'args = TrainingArguments(output_dir="o", max_steps=100,\n', '    per_device_train_batch_size=2, bf16=True)\n']),
    ] }, null, 1);
    writeFileSync(uri.fsPath, json);
    try {
      // Opened as text, the notebook is its JSON; the hover still says where the value is in the notebook.
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      const pos = doc.positionAt(json.indexOf('r=8') + 1);
      const md = await waitFor('a LIM Lens hover on r=8 in the JSON', async () => (await hoverTexts(uri, pos)).find((t) => t.includes('**LIM Lens**')), 60_000, 500);
      assert.match(md, /lora\\?_r\*\* = 8 \(provenance\.ipynb, cell 3, line 2\)/, md);
      const args = revealLink(md, /read from provenance\.ipynb, cell 3, line 4 \(bf16\)/);
      await vscode.commands.executeCommand('limLens.revealSource', ...args);
      const notebook = await waitFor('the notebook in the notebook editor', () => vscode.window.activeNotebookEditor?.notebook.uri.toString() === uri.toString() ? vscode.window.activeNotebookEditor.notebook : undefined);
      await cursorOn(notebook, 2, 'bf16=True');
      // The Training Runs view's "open at definition" gets the model's position in the JSON: it opens cell 2 there.
      const anchor = doc.positionAt(json.indexOf('from_pretrained'));
      assert.ok(await revealNotebookFilePosition(uri, json, anchor.line, anchor.character));
      await cursorOn(notebook, 1, 'from_pretrained');
      // A position in no code cell (the Markdown cell) is not one to open a cell at.
      const md1 = doc.positionAt(json.indexOf('# LoRA'));
      assert.equal(await revealNotebookFilePosition(uri, json, md1.line, md1.character), false);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true, force: true });
    }
  });

  test('the Hugging Face cache: a Hub model no table knows is counted from it only when the user setting allows it', async () => {
    // A cache laid out as huggingface_hub lays it out: refs/main names the snapshot, whose config.json links to a blob.
    const root = mkdtempSync(join(tmpdir(), 'lim-hub-'));
    const rev = 'fedcba9876543210fedcba9876543210fedcba98';
    const model = join(root, 'models--acme-research--cached-model');
    mkdirSync(join(model, 'refs'), { recursive: true });
    mkdirSync(join(model, 'blobs'), { recursive: true });
    mkdirSync(join(model, 'snapshots', rev), { recursive: true });
    writeFileSync(join(model, 'refs', 'main'), rev);
    // Llama-2-7B's published shape: 6,738,415,616 parameters.
    writeFileSync(join(model, 'blobs', 'b1'), JSON.stringify({ model_type: 'llama', vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 4096 }));
    symlinkSync(join('..', '..', 'blobs', 'b1'), join(model, 'snapshots', rev, 'config.json'));
    // In a folder the workspace scan excludes, so the Training Runs of other suites stay as they are, and one level
    // further down, so that it reads no config.json of the workspace root (a later suite rewrites one, and VS Code keeps a
    // closed document, which the problems then analyse again with every change of what it read).
    const uri = fixtureUri('__pycache__/hub/hub_cached.py');
    mkdirSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true });
    const text = 'from transformers import AutoModelForCausalLM, TrainingArguments\nmodel = AutoModelForCausalLM.from_pretrained("acme-research/cached-model")\nargs = TrainingArguments(output_dir="o", per_device_train_batch_size=4, max_steps=100)\n';
    writeFileSync(uri.fsPath, text);
    const restore: Array<() => Promise<void>> = [];
    const config = () => vscode.workspace.getConfiguration('limLens');
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      const pos = doc.positionAt(text.indexOf('per_device_train_batch_size') + 2);
      const hover = () => waitFor('a LIM Lens hover on per_device_train_batch_size', async () => (await hoverTexts(uri, pos)).find((t) => t.includes('LIM Lens')), 60_000, 500);
      // Off (the default): the model is unknown.
      assert.doesNotMatch(await hover(), /6\.74B/);
      // A workspace's settings cannot turn it on, nor point it at a folder.
      await config().update('huggingFaceCache.enabled', true, vscode.ConfigurationTarget.Workspace);
      await config().update('huggingFaceCache.path', root, vscode.ConfigurationTarget.Workspace);
      restore.push(async () => {
        await config().update('huggingFaceCache.enabled', undefined, vscode.ConfigurationTarget.Workspace);
        await config().update('huggingFaceCache.path', undefined, vscode.ConfigurationTarget.Workspace);
      });
      await sleep(500);
      assert.doesNotMatch(await hover(), /6\.74B/, 'enabled by the workspace only: not read');
      // The user's own settings do.
      restore.push(await setSetting('huggingFaceCache.path', root));
      restore.push(await setSetting('huggingFaceCache.enabled', true));
      const md = await waitFor('the hover to count the cached model', async () => {
        const t = await limHover(uri, pos).catch(() => '');
        return /6\.74B/.test(t) ? t : undefined;
      }, 30_000, 500);
      assert.match(md, /6\.74B/);
    } finally {
      for (const r of restore.reverse()) await r();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
