// Python training scripts and notebooks: each construct LIM Lens reads, checked against published figures (GPT-2's
// 124,439,808 parameters, Llama-2-7B's 6,738,415,616 and PEFT's 4,194,304 trainable for r = 8 on q_proj/v_proj,
// nanoGPT's shakespeare-char model), with the exact place each value is read; syntax errors, values from the
// command line, hostile notebooks and the incremental reparse.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { analyzeConfig, parseConfigText, type ConfigDiagnostic } from '../../../src/core/configs';
import { analyzeDocumentSync, type DocumentAnalysis } from '../../../src/core/estimate';
import { pythonParser, registerPythonParser } from '../../../src/core/python/syntax';
import { cellAt, readNotebookJson } from '../../../src/core/python/notebook';
import { editBetween, loadPythonParser } from '../../../src/node/pythonParser';
import { estimatePaths } from '../../../src/cli/commands/estimate';
import { HOSTILE_STRINGS } from '../../hostileStrings';
import { linkTargets, renderMarkdown, shownText } from '../../markdownView';

const FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'python');
const fixture = (name: string) => join(FIXTURES, name);
const read = (name: string) => readFileSync(fixture(name), 'utf8');

/** Reads siblings from disk, relative to the analysed file, as the CLI does. */
const siblings = (file: string) => (rel: string) => {
  try {
    return readFileSync(resolve(dirname(file), rel), 'utf8');
  } catch {
    return undefined;
  }
};

function estimate(name: string, text = read(name)): DocumentAnalysis {
  return analyzeDocumentSync({ path: fixture(name), text }, { readSibling: siblings(fixture(name)) });
}

/** The text a field's location points at. */
const at = (text: string, f: { offset: number; length: number }) => text.slice(f.offset, f.offset + f.length);

const diag = (ds: ConfigDiagnostic[], code: string) => ds.find((d) => d.code === code);

before(async () => {
  assert.ok(await loadPythonParser(), 'tree-sitter and its Python grammar load from node_modules');
});

describe('Python training scripts', () => {
  test('from_pretrained with a name bound to a literal, LoraConfig + get_peft_model, SFTConfig arithmetic, load_dataset', () => {
    const text = read('sft_lora.py');
    const a = estimate('sft_lora.py', text);
    assert.equal(a.format, 'python');
    const r = a.report!;
    assert.ok(r, a.diagnostics.map((d) => d.message).join('\n'));
    // Llama-2-7B as Meta publishes it, and PEFT's "trainable params: 4,194,304" for r = 8 on q_proj and v_proj.
    assert.equal(r.params.total, 6_738_415_616);
    assert.equal(r.params.trained, 4_194_304);
    assert.equal(r.run.lora?.method, 'qlora', 'BitsAndBytesConfig(load_in_4bit=True): a 4-bit base');
    assert.equal(r.run.lora?.rank.value, 8);
    // tokens = max_steps × per-device batch × accumulation × devices (1) × max_length = 1,000 × 4 × 4 × 512
    assert.equal(r.tokens, 1_000 * 4 * 4 * 512);
    assert.equal(r.precisionBits, 16, 'bf16=True');
    // Each value is located where it is written: the model at the call's argument, `2 * 2` evaluated.
    const model = a.fields.find((f) => f.field === 'model_name_or_path')!;
    assert.equal(at(text, model), 'model_id');
    assert.equal(model.value, 'meta-llama/Llama-2-7b-hf');
    assert.equal(model.line, 11);
    const accum = a.fields.find((f) => f.field === 'gradient_accumulation_steps')!;
    assert.equal(at(text, accum), 'gradient_accumulation_steps=2 * 2');
    assert.equal(accum.value, 4);
    const rank = a.fields.find((f) => f.field === 'lora_r')!;
    assert.equal(at(text, rank), 'r=8');
    assert.equal(a.modelAnchor?.line, 11, 'the CodeLens sits on the from_pretrained line');
    // The dataset of the table: a fine-tune sized by steps here, the dataset still named.
    const facts = analyzeConfig({ path: fixture('sft_lora.py'), text }).facts!;
    assert.equal(facts.finetune?.datasets[0]?.name.value, 'tatsu-lab/alpaca');
    assert.equal(facts.finetune?.datasets[0]?.split, 'train');
  });

  test('DPOConfig is a preference run: pairs of chosen and rejected sequences', () => {
    const r = estimate('dpo.py').report!;
    assert.equal(r.run.finetune?.objective, 'preference');
    assert.equal(r.params.total, 494_032_768, "Qwen2-0.5B's published count");
    assert.equal(r.tokens, 100 * 2 * 8 * 1024 * 2);
    assert.equal(r.precisionBits, 16, 'torch_dtype=torch.bfloat16, the training arguments setting no precision');
  });

  test('a *Config(...) constructor is counted as its config.json: GPT2Config gives GPT-2 small, pretrained from scratch', () => {
    const a = estimate('gpt2_config.py');
    const r = a.report!;
    assert.equal(r.params.total, 124_439_808, "GPT-2 small, as Hugging Face's num_parameters() gives it");
    assert.equal(r.run.finetune, undefined, 'random weights: pretraining');
    assert.equal(r.tokens, 10_000 * 8 * 1024, 'max_steps × batch × the model context (n_positions), the context an assumption');
  });

  test('Lightning Trainer: steps, accumulation, precision and devices × nodes', () => {
    const a = analyzeConfig({ path: fixture('lightning_trainer.py'), text: read('lightning_trainer.py') });
    const f = a.facts!;
    assert.equal(f.model?.shape.params.total, 162_322_944, 'Pythia-160M');
    assert.equal(f.batch?.steps.value, 500);
    assert.equal(f.precisionBits?.value, 16);
    assert.equal(f.devices?.value, 8);
    assert.ok(a.fields.some((x) => x.field === 'gradient_accumulation_steps' && x.value === 4));
  });

  test("Lightning's demo Transformer is counted from its constructor, and ModelParallelStrategy gives the devices", () => {
    const text = read('lightning_demo.py');
    const a = estimate('lightning_demo.py', text);
    const r = a.report!;
    assert.ok(r, a.diagnostics.map((d) => d.message).join('\n'));
    // lightning.pytorch.demos.Transformer(nlayers=4), the rest its defaults: V 33,278, d 200, 2 heads, feed-forward 200.
    // torch's modules, parameter by parameter: nn.MultiheadAttention is in_proj (3d·d + 3d) and out_proj (d·d + d),
    // nn.LayerNorm 2d, nn.Linear in·out + out.
    const [V, d, f, L] = [33_278, 200, 200, 4];
    const attention = 3 * d * d + 3 * d + d * d + d;
    const feedForward = d * f + f + f * d + d;
    const encoderLayer = attention + feedForward + 2 * (2 * d);
    const decoderLayer = 2 * attention + feedForward + 3 * (2 * d);
    const expected = V * d + L * encoderLayer + L * decoderLayer + 2 * (2 * d) + (d * V + V);
    assert.equal(expected, 15_926_078);
    assert.equal(r.params.total, expected);
    assert.equal(r.run.finetune, undefined, 'random weights: pretraining');
    // The vocabulary is WikiText2's, known when the script runs: the class's default 33,278, said.
    assert.match(r.assumptions.find((x) => x.name === 'vocab_size')?.reason ?? '', /33,278.*WikiText2/);
    // data_parallel_size 2 × tensor_parallel_size 2 = 4 GPUs; the batch is per data-parallel rank, so the tokens are
    // steps (10) × batch (2) × data-parallel ranks (2) × WikiText2's block_size (64), not × 4 devices.
    assert.equal(r.accelerator.devices, 4);
    assert.equal(r.tokens, 10 * 2 * 2 * 64);
    const nlayers = a.fields.find((x) => x.field === 'lightning_demo.nlayers')!;
    assert.equal(at(text, nlayers), 'nlayers=4');
    assert.equal(at(text, a.fields.find((x) => x.field === 'lightning.data_parallel_size')!), 'data_parallel_size=2');
    assert.equal(at(text, a.modelAnchor!), 'Transformer(vocab_size=self.vocab_size, nlayers=4)');
  });

  test('ModelParallelStrategy with a size left "auto" gives no device count, and says so; a Transformer not from the demos is not counted', () => {
    const base = read('lightning_demo.py');
    const auto = estimate('lightning_demo.py', base.replace('data_parallel_size=2, tensor_parallel_size=2', 'data_parallel_size=2'));
    assert.match(diag(auto.diagnostics, 'devices-auto')?.message ?? '', /tensor_parallel_size is "auto"/);
    assert.equal(auto.report!.accelerator.devices, 1, 'the default device count, listed as an assumption');
    assert.ok(auto.report!.assumptions.some((x) => x.name === 'devices'));
    const other = estimate('lightning_demo.py', base.replace('from lightning.pytorch.demos import Transformer, WikiText2', 'from torch.nn import Transformer\nfrom lightning.pytorch.demos import WikiText2'));
    assert.equal(other.report, undefined);
    assert.ok(diag(other.diagnostics, 'no-model'));
  });

  test("the demo Transformer with its defaults, in a Fabric script: 14,635,678 parameters, Fabric's devices", () => {
    const text = 'import lightning as L\nfrom lightning.pytorch.demos import Transformer, WikiText2\n\nfabric = L.Fabric(devices=2, precision="bf16-mixed")\ndataset = WikiText2()\nmodel = Transformer(vocab_size=dataset.vocab_size)\n';
    const r = estimate('fabric_demo.py', text).report!;
    // V 33,278, d 200, 2 heads, feed-forward 200, 2 + 2 layers: the layer sums of the test above.
    const [V, d, f, L] = [33_278, 200, 200, 2];
    const layer = 4 * d * d + 4 * d + 2 * d * f + f + d + 4 * d;
    assert.equal(r.params.total, V * d + L * layer + L * (layer + 4 * d * d + 4 * d + 2 * d) + 4 * d + d * V + V);
    assert.equal(r.params.total, 14_635_678);
    assert.equal(r.accelerator.devices, 2);
  });

  test('embed_tokens and lm_head as LoRA targets: Unsloth trains them in full, PEFT adapts them; counted and said with their size', () => {
    const unsloth = 'from unsloth import FastLanguageModel\nmodel, tokenizer = FastLanguageModel.from_pretrained(model_name="unsloth/mistral-7b-v0.3", load_in_4bit=True)\nmodel = FastLanguageModel.get_peft_model(model, r=128, target_modules=["q_proj", "v_proj", "embed_tokens", "lm_head"])\n';
    const a = estimate('unsloth_cpt.py', unsloth);
    // Mistral-7B-v0.3: a vocabulary of 32,768 and a width of 4,096, input and output embeddings untied.
    assert.equal(a.report?.params.total, 7_248_023_552);
    // Adapters on q_proj (4,096 → 4,096) and v_proj (4,096 → 1,024) of 32 layers: 32 × 128 × (8,192 + 5,120).
    const adapters = 32 * 128 * (4096 + 4096 + 4096 + 1024);
    assert.equal(a.report?.run.lora?.adapterParams.value, adapters);
    assert.equal(a.report?.run.lora?.embeddingParams?.value, 268_435_456, '2 × 32,768 × 4,096');
    assert.equal(a.report?.params.trained, adapters + 268_435_456);
    assert.match(diag(a.diagnostics, 'lora-embeddings')?.message ?? '', /Unsloth trains embed_tokens and lm_head in full: 268,435,456 trainable parameters besides the adapters/);
    const peft = unsloth.replace('FastLanguageModel.get_peft_model(model, r=128,', 'get_peft_model(model, LoraConfig(r=128,').replace('"lm_head"])', '"lm_head"]))');
    const b = estimate('peft_cpt.py', peft);
    // rank × (vocabulary + width) for each of the two: 2 × 128 × (32,768 + 4,096) = 9,437,184.
    assert.equal(b.report?.run.lora?.embeddingParams?.value, 9_437_184);
    assert.equal(b.report?.params.trained, adapters + 9_437_184);
    assert.match(diag(b.diagnostics, 'lora-embeddings')?.message ?? '', /PEFT adds LoRA to embed_tokens and lm_head: 9,437,184 trainable parameters/);
    // PEFT's modules_to_save trains them in full, as Unsloth does.
    const saved = peft.replace('"embed_tokens", "lm_head"]', '], modules_to_save=["embed_tokens", "lm_head"]');
    assert.equal(estimate('peft_saved.py', saved).report?.params.trained, adapters + 268_435_456);
    // A tied model (Llama-3.2-1B: vocabulary 128,256, width 2,048) trains one matrix for the two.
    const tied = unsloth.replace('unsloth/mistral-7b-v0.3', 'meta-llama/Llama-3.2-1B');
    assert.equal(estimate('unsloth_tied.py', tied).report?.run.lora?.embeddingParams?.value, 262_668_288, 'one matrix of 128,256 × 2,048: tied');
    assert.equal(diag(estimate('sft_lora.py').diagnostics, 'lora-embeddings'), undefined, 'q_proj and v_proj only: nothing to say');
    assert.equal(estimate('sft_lora.py').report?.run.lora?.embeddingParams, undefined);
  });

  test('hostile sizes for the demo Transformer and ModelParallelStrategy give messages naming the field, never a count', () => {
    const base = read('lightning_demo.py');
    const huge = estimate('lightning_demo.py', base.replace('nlayers=4', 'nlayers=4, ninp=10**12'));
    assert.equal(huge.report, undefined);
    assert.match(diag(huge.diagnostics, 'too-large')?.message ?? '', /lightning_demo\.ninp/);
    const heads = estimate('lightning_demo.py', base.replace('nlayers=4', 'nlayers=4, ninp=1000, nhead=3'));
    assert.equal(heads.report, undefined);
    assert.match(diag(heads.diagnostics, 'bad-value')?.message ?? '', /ninp \(1000\) must be divisible by nhead \(3\)/);
    const text = base.replace('nlayers=4', 'nlayers="4; rm -rf /"');
    const typed = estimate('lightning_demo.py', text);
    assert.equal(typed.report, undefined);
    assert.match(diag(typed.diagnostics, 'wrong-type')?.message ?? '', /lightning_demo\.nlayers must be a number/);
    const negative = estimate('lightning_demo.py', base.replace('data_parallel_size=2', 'data_parallel_size=-2'));
    assert.match(diag(negative.diagnostics, 'bad-value')?.message ?? '', /lightning\.data_parallel_size must be greater than 0, got -2/);
    assert.equal(diag(negative.diagnostics, 'devices-auto'), undefined, 'a wrong number is not "auto"');
    assert.equal(negative.report, undefined, 'an error in the file: no estimate from it');
  });

  test('values from argparse and the environment are assumptions that say so, with their defaults', () => {
    const a = analyzeConfig({ path: fixture('argv.py'), text: read('argv.py') });
    const as = a.facts!.assumptions!;
    const model = as.find((x) => x.name === 'model_name_or_path')!;
    assert.equal(model.value, 'gpt2');
    assert.match(model.reason, /from the command line \(default "gpt2" in the argparse option\)/);
    assert.match(as.find((x) => x.name === 'per_device_train_batch_size')!.reason, /command line \(default 8/);
    assert.match(as.find((x) => x.name === 'num_train_epochs')!.reason, /epochs: from the command line, with no default/);
    assert.match(as.find((x) => x.name === 'max_steps')!.reason, /environment variable MAX_STEPS \(default 200\)/);
    // The defaults are used, never silently: the model is GPT-2.
    assert.equal(a.facts!.model?.shape.params.total, 124_439_808);
  });

  test('a half-typed call is a syntax error, and the arguments written so far are still read', () => {
    const text = read('half_typed.py');
    const a = estimate('half_typed.py', text);
    const syntax = diag(a.diagnostics, 'python-syntax');
    assert.ok(syntax, 'the syntax error is reported');
    assert.equal(syntax.severity, 'info');
    assert.equal(a.report?.run.lora?.rank.value, 16);
    assert.equal(a.report?.params.trained, 8_388_608, 'r = 16 on q_proj and v_proj of Llama-2-7B: twice PEFT’s 4,194,304');
    assert.equal(at(text, a.fields.find((f) => f.field === 'lora_r')!), 'r=16');
  });

  test('a Python file that defines no run is skipped in a scan and "not a config" when named', () => {
    const parsed = parseConfigText(fixture('unrelated.py'), read('unrelated.py'));
    assert.equal(parsed.data, undefined);
    assert.deepEqual(parsed.diagnostics, []);
    const named = analyzeConfig({ path: fixture('unrelated.py'), text: read('unrelated.py') }, { explicit: true });
    assert.equal(named.diagnostics[0]?.code, 'not-a-config');
    const scan = estimatePaths([FIXTURES], {});
    assert.ok(!scan.analyses.some((x) => x.file.endsWith('unrelated.py')), 'skipped in a scan');
    assert.ok(scan.analyses.some((x) => x.file.endsWith('sft_lora.py') && x.report), 'the training scripts are found');
  });

  test('hostile scripts: deep nesting, long attribute chains, names that refer to each other give messages, not crashes', () => {
    const cases: Record<string, string> = {
      parens: `n = ${'('.repeat(20_000)}1${')'.repeat(20_000)}\nm = AutoModelForCausalLM.from_pretrained(n)\n`,
      attributes: `m = ${'a.'.repeat(20_000)}from_pretrained("gpt2")\nargs = TrainingArguments(max_steps=1)\n`,
      cycle: 'a = b\nb = a\nm = AutoModelForCausalLM.from_pretrained(a)\nargs = TrainingArguments(max_steps=a)\n',
      sum: `x = ${'1 + '.repeat(5_000)}1\nm = AutoModelForCausalLM.from_pretrained("gpt2")\nargs = TrainingArguments(max_steps=x, per_device_train_batch_size=1)\n`,
    };
    for (const [name, text] of Object.entries(cases)) {
      const a = analyzeDocumentSync({ path: `/w/${name}.py`, text });
      assert.equal(a.format, 'python', name);
      assert.ok(a.report || a.diagnostics.some((d) => d.severity === 'warning'), `${name}: an estimate or a warning that says why not`);
    }
    const cycle = analyzeDocumentSync({ path: '/w/cycle.py', text: cases.cycle });
    assert.match(cycle.diagnostics.find((d) => d.code === 'no-model')!.message, /refers to itself|too deeply nested|not assigned/);
  });

  test('without the parser loaded, a script says so instead of failing', () => {
    const parse = pythonParser();
    registerPythonParser(undefined);
    try {
      const a = analyzeConfig({ path: fixture('sft_lora.py'), text: read('sft_lora.py') });
      assert.equal(a.format, undefined);
      assert.equal(a.diagnostics[0]?.code, 'python-parser-unavailable');
    } finally {
      registerPythonParser(parse);
    }
  });
});

describe('plain loops, LitGPT and raw tensors', () => {
  test("a plain loop's variables in main() are the run's; a preprocessing function's batch_size is another variable", () => {
    const text = read('plain_loop.py');
    const a = analyzeConfig({ path: fixture('plain_loop.py'), text });
    const f = a.facts!;
    assert.equal(f.model?.shape.params.total, 559_214_592, 'BLOOM-560m');
    assert.equal(f.lora?.rank.value, 4);
    assert.deepEqual(f.lora?.targets, ['query_key_value'], "PEFT's default targets for BLOOM");
    assert.equal(f.finetune?.epochs?.value, 4);
    assert.equal(f.sequenceLength?.value, 96);
    assert.equal(at(text, a.fields.find((x) => x.field === 'per_device_train_batch_size')!), 'batch_size = 8');
    // tokens ≤ 4 epochs × 52,002 alpaca rows × 96 tokens (the cap bounds each row)
    assert.equal(estimate('plain_loop.py', text).report?.tokens, 4 * 52_002 * 96);
  });

  test("LitGPT's Config.from_file(lora_r=…) is LoRA on the switched-on targets; setup()'s parameters come from its caller", () => {
    const a = analyzeConfig({ path: fixture('litgpt_lora.py'), text: read('litgpt_lora.py') });
    const f = a.facts!;
    assert.equal(f.lora?.rank.value, 16);
    assert.deepEqual(f.lora?.targets, ['q_proj', 'v_proj', 'gate_proj', 'up_proj', 'down_proj']);
    assert.match(f.assumptions!.find((x) => x.name === 'checkpoint_dir')!.reason, /caller of setup\(\).*command line/);
    assert.equal(diag(a.diagnostics, 'model-from-command-line')?.severity, 'warning');
    assert.equal(f.devices?.value, 1);
    assert.equal(f.precisionBits?.value, 16);
  });

  test('a model of raw tensors is counted as their sum: makemore’s MLP, 11,897 parameters', () => {
    const a = estimate('raw_tensors.py');
    assert.equal(a.report?.params.total, 27 * 10 + 30 * 200 + 200 + 200 * 27 + 27);
    assert.equal(a.report?.params.total, 11_897);
  });
});

describe('nanoGPT', () => {
  test("train.py's globals: GPT-2 small without biases, 50,304 tokens, 40 × 12 × 1,024 tokens per step for 600,001 steps", () => {
    const r = estimate('nanogpt/train.py').report!;
    // nanoGPT prints 123.59M (get_num_params leaves out the 1,024 × 768 position embedding).
    assert.equal(r.params.total, 123_587_328 + 1024 * 768);
    assert.equal(r.tokens, 600_001 * 40 * 12 * 1024);
    // dtype = 'bfloat16' if the GPU supports it else 'float16': 16 bits either way, said.
    assert.equal(r.precisionBits, 16);
    assert.match(String(r.assumptions.find((x) => x.name === 'dtype')?.reason), /"bfloat16" or "float16".*16 bits either way/);
  });

  test("a config/*.py is read over the train.py of its parent folder; the shakespeare-char model's 65-token vocabulary", () => {
    const a = estimate('nanogpt/config/train_shakespeare_char.py');
    // nanoGPT's README: "10.65M parameters" (without the 256 × 384 position embedding).
    assert.equal(a.report!.params.total, 10_745_088);
    assert.equal(a.report!.tokens, 5_001 * 64 * 256);
    assert.ok(a.report!.assumptions.some((x) => x.name === 'vocab_size' && x.value === 65));
  });

  test('a config that sets only the batch takes the model from ../train.py, each value read where it is written', () => {
    const a = estimate('nanogpt/config/small_batch.py');
    assert.equal(a.report!.params.total, 124_373_760);
    assert.equal(a.report!.tokens, 100 * 4 * 2 * 1024);
    const fromParent = a.report!.run.model!.source;
    assert.equal(fromParent.kind, 'read');
    assert.match((fromParent as { file: string }).file, /nanogpt\/train\.py$/);
    assert.ok(!a.report!.assumptions.some((x) => x.name === 'train.py'), 'no "train.py not found" assumption');
  });

  test("without train.py beside it, a config takes nanoGPT's defaults and says so", () => {
    const a = analyzeDocumentSync({ path: '/nowhere/config/small_batch.py', text: read('nanogpt/config/small_batch.py') }, { readSibling: () => undefined });
    assert.equal(a.report!.params.total, 124_373_760);
    assert.ok(a.report!.assumptions.some((x) => x.name === 'train.py' && /defaults/.test(String(x.reason))));
  });
});

describe('notebooks', () => {
  const cell = (source: string | string[], type = 'code') => ({ cell_type: type, metadata: {}, source, ...(type === 'code' ? { outputs: [], execution_count: null } : {}) });
  const notebook = (cells: unknown[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }, null, 1);

  test('code cells are joined, markdown and magics left out; every value is located in the .ipynb JSON', () => {
    const text = notebook([
      cell(['!pip install peft\n', '%%capture\n']),
      cell('# Fine-tune', 'markdown'),
      cell(['from peft import LoraConfig, get_peft_model\n', 'from transformers import AutoModelForCausalLM\n', 'name = "meta-llama/Llama-2-7b-hf"\n']),
      cell(['model = AutoModelForCausalLM.from_pretrained(name)\n', 'cfg = LoraConfig(r=8, target_modules=["q_proj", "v_proj"], lora_alpha=16)\n', 'model = get_peft_model(model, cfg)']),
    ]);
    const a = analyzeDocumentSync({ path: '/w/tune.ipynb', text });
    assert.equal(a.format, 'notebook');
    assert.equal(a.report?.params.trained, 4_194_304);
    const rank = a.fields.find((f) => f.field === 'lora_r')!;
    assert.equal(at(text, rank), 'r=8', 'located in the JSON text of the notebook');
    const target = a.fields.find((f) => f.field === 'lora_target_modules')!;
    assert.equal(at(text, target), 'target_modules=[\\"q_proj\\", \\"v_proj\\"]', 'escaped quotes counted one character each');
    assert.equal(a.diagnostics.find((d) => d.code === 'python-syntax'), undefined, 'magics are not syntax errors');
  });

  test('the cell map sends an offset of the joined code back to its cell', () => {
    const nb = readNotebookJson(notebook([cell('a = 1\n'), cell('x', 'markdown'), cell(['b = 2\n', 'c = 3'])]));
    assert.ok(nb.ok);
    const j = nb.joined;
    assert.equal(j.code, 'a = 1\nb = 2\nc = 3\n');
    const hit = cellAt(j, j.code.indexOf('c = 3'))!;
    assert.equal(hit.cell.index, 2, 'notebook index, markdown cells counted');
    assert.equal(hit.offset, 6);
  });

  test('a notebook with 100 MB of outputs: the outputs are skipped, the code read', () => {
    const blob = 'x'.repeat(1024 * 1024);
    const outputs = Array.from({ length: 100 }, () => ({ output_type: 'stream', name: 'stdout', text: [blob] }));
    const code = cell(['from peft import LoraConfig\n', 'from transformers import AutoModelForCausalLM\n', 'm = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")\n', 'c = LoraConfig(r=4)']);
    const text = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ ...code, outputs }] });
    assert.ok(text.length > 100 * 1024 * 1024);
    const t0 = performance.now();
    const a = analyzeDocumentSync({ path: '/w/big.ipynb', text });
    const ms = performance.now() - t0;
    assert.equal(a.report?.run.lora?.rank.value, 4);
    assert.equal(at(text, a.fields.find((f) => f.field === 'lora_r')!), 'r=4');
    assert.ok(ms < 5000, `analysed in ${ms.toFixed(0)} ms`);
  });

  test('invalid JSON and a notebook without cells get a clear message; a binary file is refused before parsing', () => {
    const broken = analyzeConfig({ path: '/w/broken.ipynb', text: '{"cells": [{"cell_type": "code", "source": "from_pretrained(' }, { explicit: true });
    assert.equal(broken.diagnostics[0]?.code, 'notebook-json');
    assert.match(broken.diagnostics[0]!.message, /not a readable notebook: invalid JSON/);
    const nocells = analyzeConfig({ path: '/w/nocells.ipynb', text: '{"worksheets": "from_pretrained"}' }, { explicit: true });
    assert.equal(nocells.diagnostics[0]?.code, 'notebook-format');
    const dir = mkdtempSync(join(tmpdir(), 'lim-nb-'));
    try {
      const bin = join(dir, 'binary.ipynb');
      writeFileSync(bin, Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x66, 0x72, 0x6f, 0x6d]));
      const r = estimatePaths([bin], {});
      assert.equal(r.analyses[0]?.diagnostics[0]?.code, 'binary');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a model folder and a run name crafted as Markdown show in the hover as the text they are, never as links', async () => {
    await import('../estimate/vscodeStub');
    const { hoverMarkdown } = await import('../../../src/extension/hoverMarkdown');
    const folder = `./${HOSTILE_STRINGS.commandLink}`;
    const text = notebook([
      cell(['from transformers import AutoModelForCausalLM, TrainingArguments\n', `m = AutoModelForCausalLM.from_pretrained(${JSON.stringify(folder)})\n`]),
      cell([`args = TrainingArguments(output_dir="o", run_name=${JSON.stringify(HOSTILE_STRINGS.emphasis + ' ' + HOSTILE_STRINGS.rawHtml)}, max_steps=10, per_device_train_batch_size=1, max_seq_length=128)\n`]),
    ]);
    const llama = JSON.stringify({ model_type: 'llama', vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 4096 });
    const a = analyzeDocumentSync({ path: '/w/evil.ipynb', text }, { readSibling: (rel) => (rel.endsWith('config.json') ? llama : undefined) });
    assert.equal(a.report?.params.total, 6_738_415_616, 'the crafted folder is read as the folder it names');
    const html = renderMarkdown((hoverMarkdown(a, { path: '/w/evil.ipynb', with: () => undefined, toString: () => 'file:///w/evil.ipynb' } as never, 'run') as unknown as { value: string }).value);
    for (const target of linkTargets(html)) assert.match(target, /^command:(limLens\.[A-Za-z]+|workbench\.action\.openSettings)(\?|$)/, target);
    assert.ok(!linkTargets(html).some((t) => t.includes('pwned') || t.includes('exportReport?%5B%22csv')), 'the crafted link is not a link');
    assert.ok(!/<img|<b>/.test(html), 'no raw HTML');
    const shown = shownText(html);
    assert.ok(shown.includes('**bold**'), `the crafted run name is shown as written: ${shown.slice(0, 300)}`);
  });

  test('a model name crafted as Markdown reaches messages as the text it is', () => {
    const evil = '[Export report](command:limLens.exportReport?%5B%22csv%22%5D) **bold** <img src=x>';
    const text = notebook([cell(['from transformers import AutoModelForCausalLM\n', `m = AutoModelForCausalLM.from_pretrained(${JSON.stringify(evil)})\n`, 'from peft import LoraConfig\n', 'c = LoraConfig(r=8)'])]);
    const a = analyzeDocumentSync({ path: '/w/evil.ipynb', text });
    const unknown = diag(a.diagnostics, 'unknown-model');
    assert.ok(unknown, 'the unknown model is reported');
    assert.ok(unknown.message.includes(JSON.stringify(evil)), 'quoted as written, escaped later by the surface that shows it');
  });
});

describe('the worker', () => {
  test('a scan of scripts and notebooks gives the Training Runs view its figures: label, kind, energy; unrelated files are not runs', async () => {
    const { analyzeDocuments, pythonReady } = await import('../../../src/worker/analysisJobs');
    const docs = [
      { path: fixture('sft_lora.py'), text: read('sft_lora.py') },
      { path: fixture('unrelated.py'), text: read('unrelated.py') },
      { path: fixture('nanogpt/train.py'), text: read('nanogpt/train.py') },
    ];
    await pythonReady(docs.map((d) => d.path));
    const out = analyzeDocuments({ docs, files: {}, assumptions: {}, detail: 'figures' });
    assert.deepEqual(out.map((d) => d.recognised), [true, false, true]);
    const lora = out[0].figures!;
    assert.equal(lora.kind, 'finetune');
    assert.equal(lora.format, 'Python training script');
    assert.ok((lora.energyJ ?? 0) > 0);
    assert.equal(out[2].figures!.kind, 'pretrain');
  });
});

describe('incremental reparsing', () => {
  test('an edit reparses from the kept tree and gives the same analysis as a fresh parse', () => {
    const text = read('sft_lora.py');
    const key = '/w/incremental.py';
    const first = analyzeDocumentSync({ path: key, text });
    const edited = text.replace('r=8', 'r=16');
    const again = analyzeDocumentSync({ path: key, text: edited });
    const fresh = analyzeDocumentSync({ path: '/w/fresh.py', text: edited });
    assert.equal(first.report?.run.lora?.rank.value, 8);
    assert.equal(again.report?.run.lora?.rank.value, 16);
    assert.deepEqual(again.fields.map((f) => [f.field, f.offset, f.value]), fresh.fields.map((f) => [f.field, f.offset, f.value]));
  });

  test('the edit between two texts is their differing middle, with rows and columns', () => {
    const e = editBetween('ab\ncd\nef', 'ab\ncXd\nef');
    assert.deepEqual([e.startIndex, e.oldEndIndex, e.newEndIndex], [4, 4, 5]);
    assert.deepEqual(e.startPosition, { row: 1, column: 1 });
    assert.deepEqual(e.newEndPosition, { row: 1, column: 2 });
  });
});
