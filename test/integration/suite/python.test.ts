// Python in the real editor: a notebook's cells are read with the rest of the notebook, so a hover on
// `LoraConfig(r=...)` in a cell shows the run's trainable parameters and energy; a training script's hover too.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, hoverTexts, screenshot, waitFor } from './helpers';

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
        'from peft import LoraConfig, get_peft_model\nfrom trl import SFTConfig\nconfig = LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"])\nmodel = get_peft_model(model, config)\nargs = SFTConfig(output_dir="out", per_device_train_batch_size=4, gradient_accumulation_steps=4, max_steps=500, max_length=512)\n',
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
});
