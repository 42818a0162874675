import type { FieldLocation } from '../configs/types';
import { bitsFromPrecision } from '../configs/facts';
import { Evaluator, fmt, type Evaluated } from './evaluate';
import { stringText, type CallSite, type Extracted } from './extract';
import type { PySyntaxNode } from './syntax';

/**
 * A Python script turned into the data a config file would hold, each value with where it is written: the
 * Trainer's keywords under their own names (so the TrainingArguments reader reads them as it reads a YAML file),
 * the model a from_pretrained call names under `model_name_or_path`, LoRA's `r` as `lora_r`, a model config
 * constructor under `model_config`, nanoGPT-style globals under `globals`.
 */
export interface PythonView {
  data: Record<string, unknown>;
  locations: Map<string, FieldLocation>;
  /** Values that only the command line, the environment or running the script decide. */
  assumptions: Array<{ name: string; value: unknown; reason: string }>;
  /** The script form, when it is one LIM Lens knows by its globals. */
  form?: 'nanogpt' | 'nanogpt-config' | 'llama2c' | 'lit-loop';
  /** The class of the training arguments (TrainingArguments, SFTConfig, DPOConfig …). */
  argsClass?: string;
  /** The model is built from a config (`from_config`, `init="random"`): trained from scratch. */
  fromScratch?: boolean;
  /** from_pretrained loads a checkpoint the command line names: a fine-tune of a model the file does not fix. */
  pretrainedFromCli?: boolean;
  /** The from_pretrained class when it adds a task head (ForSequenceClassification …), without its Auto prefix. */
  modelClass?: string;
  /** LoRA through Unsloth's get_peft_model, which trains embed_tokens and lm_head in full when they are targets. */
  unslothLora?: boolean;
  /** The model is named by lit-llama's or LitGPT's own size names (`LLaMA.from_name("7B")`). */
  litName?: boolean;
  /** Every module-level name bound to a literal (for a nanoGPT config resolved against its train.py). */
  globals?: Record<string, unknown>;
}

/** Trainer arguments with no bearing on the estimate: a value of theirs that cannot be read is not worth a line. */
const NO_BEARING = /^(output_dir|logging_dir|run_name|report_to|hub_\w+|push_to_hub|model_init_kwargs|trackio_\w+|logging_\w+|save_\w+|eval_\w+|evaluation_strategy|metric_for_best_model|seed|data_seed|optim|lr_scheduler_type|warmup_\w+|weight_decay|learning_rate|dataloader_\w+|remove_unused_columns|label_names|fsdp\w*|ddp_\w+|disable_tqdm|load_best_model_at_end|greater_is_better|group_by_length|per_device_eval_batch_size|lora_alpha|lora_dropout|task_type|bias|modules_to_save|dataset_text_field|formatting_func|callbacks|tokenizer|processing_class|data_collator|train_dataset|eval_dataset)$/;

/**
 * The number a variable holds, when the file says it unambiguously: every assignment of it in one scope (the module
 * first, else the only function whose assignments are all numbers) gives the same number. Scopes whose assignments
 * are computed at run time (`batch_size = len(examples)` in a preprocessing function) are other variables.
 */
function consistentNumber(x: Extracted, ev: Evaluator, name: string): { value: number; node: PySyntaxNode } | undefined {
  const byScope = new Map<unknown, Array<{ node: PySyntaxNode; v: Evaluated }>>();
  for (const { scope, binding } of x.allBindingsOf(name)) {
    const list = byScope.get(scope) ?? [];
    list.push({ node: binding.node, v: ev.eval(binding.value) });
    byScope.set(scope, list);
  }
  const numbers = (list: Array<{ node: PySyntaxNode; v: Evaluated }>) => {
    const vals = list.map((e) => (e.v.ok && typeof e.v.value === 'number' ? e.v.value : undefined));
    return vals.every((v) => v !== undefined) && new Set(vals).size === 1 ? { value: vals[0] as number, node: list[0].node } : undefined;
  };
  const module = byScope.get(x.module);
  if (module) return numbers(module);
  const found = [...byScope.values()].map(numbers).filter((f): f is { value: number; node: PySyntaxNode } => f !== undefined);
  return found.length === 1 ? found[0] : undefined;
}

/** The shape of a tensor made by torch.randn / zeros / ones / rand / empty with literal sizes, bound last before `at`. */
function tensorShape(x: Extracted, ev: Evaluator, id: PySyntaxNode): number[] | undefined {
  const before = x.bindingsOf(x.module, id.text).filter((b) => b.at < id.startIndex);
  const value = before[before.length - 1]?.value;
  if (!value || value.type !== 'call') return undefined;
  const fn = value.childForFieldName('function')?.text ?? '';
  if (!/^torch\.(randn|zeros|ones|rand|empty)$/.test(fn)) return undefined;
  const args = value.childForFieldName('arguments');
  const positional = (args?.namedChildren ?? []).filter((c): c is PySyntaxNode => c !== null && c.type !== 'keyword_argument' && c.type !== 'comment');
  const dims: number[] = [];
  for (const p of positional) {
    const v = ev.eval(p);
    const parts = v.ok ? (Array.isArray(v.value) ? v.value : [v.value]) : [];
    if (!v.ok || parts.length === 0 || !parts.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) return undefined;
    dims.push(...(parts as number[]));
  }
  return dims.length > 0 ? dims : undefined;
}

/** A plain loop's variables and the Trainer's names for them. */
const PLAIN_LOOP: Array<[string[], string]> = [
  [['batch_size', 'per_device_train_batch_size', 'train_batch_size'], 'per_device_train_batch_size'],
  [['num_epochs', 'num_train_epochs', 'epochs', 'n_epochs'], 'num_train_epochs'],
  [['gradient_accumulation_steps'], 'gradient_accumulation_steps'],
];

const lightning0 = (x: Extracted) => x.calls.some((c) => (c.name === 'Trainer' && !c.keywords.has('args')) || c.name === 'Fabric');

/** Where the TrainingArguments reader looks for the row length, and module globals that name it. */
const SEQ_KEYS = ['max_seq_length', 'cutoff_len', 'max_length', 'block_size', 'model_max_length'];
const SEQ_GLOBALS = ['max_seq_length', 'block_size', 'max_length', 'cutoff_len', 'seq_len', 'max_seq_len', 'seq_length', 'context_length'];

export const TRAINING_CLASSES = new Set([
  'TrainingArguments', 'Seq2SeqTrainingArguments', 'SFTConfig', 'DPOConfig', 'ORPOConfig', 'KTOConfig', 'CPOConfig', 'RewardConfig',
  'PPOConfig', 'GRPOConfig', 'OnlineDPOConfig', 'UnslothTrainingArguments', 'GKDConfig', 'BCOConfig', 'PRMConfig',
]);
export const PREFERENCE_CLASSES = new Set(['DPOConfig', 'ORPOConfig', 'KTOConfig', 'CPOConfig', 'RewardConfig', 'OnlineDPOConfig', 'BCOConfig']);

/** What sizes a later training stage: its steps, batch, accumulation and length. */
const STAGE_KEYS = ['max_steps', 'num_train_epochs', 'per_device_train_batch_size', 'gradient_accumulation_steps', 'max_seq_length', 'max_length'];

/** Config classes that are not model shapes. */
const NOT_MODEL_CONFIGS = /^(LoraConfig|PeftConfig|PrefixTuningConfig|PromptTuningConfig|IA3Config|BitsAndBytesConfig|GenerationConfig|DataCollator\w*|Deepspeed\w*|Accelerator\w*|\w*TrainingConfig|ModelConfig|ScriptArguments|GPTQConfig|AwqConfig|QuantoConfig|TorchAoConfig|ParallelismConfig|TokenizerArgs|CheckpointsArgs|LoggingArgs|OptimizerArgs|DatasetStageArgs|ModelArgs|GeneralArgs|AdamWOptimizerArgs|LRSchedulerArgs|RandomInit|DataArgs|PretrainDatasetsArgs)$/;
const MODEL_SHAPE_KEYS = ['hidden_size', 'num_hidden_layers', 'n_embd', 'n_layer', 'd_model', 'num_attention_heads', 'n_head', 'num_layers'];

/** `LlamaConfig` → llama, `GPT2Config` → gpt2, `GPTNeoXConfig` → gpt_neox. */
const CONFIG_MODEL_TYPES: Record<string, string> = {
  GPT2: 'gpt2', GPTNeoX: 'gpt_neox', GPTNeo: 'gpt_neo', GPTJ: 'gptj', GPTBigCode: 'gpt_bigcode', Qwen2: 'qwen2', Qwen3: 'qwen3', Qwen2Moe: 'qwen2_moe',
  Qwen3Moe: 'qwen3_moe', Gemma2: 'gemma2', Gemma3Text: 'gemma3_text', Phi3: 'phi3', DistilBert: 'distilbert', XLMRoberta: 'xlm-roberta', DebertaV2: 'deberta-v2',
  DeepseekV2: 'deepseek_v2', DeepseekV3: 'deepseek_v3', Starcoder2: 'starcoder2', Llama4Text: 'llama4_text',
};

export function modelTypeOfConfigClass(cls: string): string {
  const base = cls.replace(/Config$/, '');
  return CONFIG_MODEL_TYPES[base] ?? base.toLowerCase();
}

/** The Python classes and calls that load a model's weights (not a tokenizer, a processor or a config). */
function isModelLoader(site: CallSite): boolean {
  if (site.name !== 'from_pretrained') return false;
  const r = site.receiver.split('.').pop() ?? '';
  if (/Tokenizer|Processor|FeatureExtractor|Config$|PeftModel|Pipeline/.test(r)) return false;
  return /Model|LM$|For[A-Z]|Llama|Mistral|GPT|Bert|T5|Gemma|Qwen|Phi|Falcon|Bloom|OPT/.test(r);
}

const NANOGPT_GLOBALS = new Set([
  'batch_size', 'block_size', 'gradient_accumulation_steps', 'max_iters', 'init_from', 'n_layer', 'n_head', 'n_embd', 'eval_interval', 'eval_iters',
  'dataset', 'out_dir', 'lr_decay_iters', 'learning_rate', 'wandb_log', 'dropout', 'bias', 'always_save_checkpoint', 'decay_lr', 'min_lr', 'warmup_iters',
]);

export function buildView(x: Extracted, text: string, locOf: (start: number, end: number, path: string[]) => FieldLocation): PythonView {
  const ev = new Evaluator(x, text);
  const data: Record<string, unknown> = {};
  const locations = new Map<string, FieldLocation>();
  const assumptions: PythonView['assumptions'] = [];
  const view: PythonView = { data, locations, assumptions };

  const assume = (name: string, value: unknown, reason: string) => {
    if (!assumptions.some((a) => a.name === name)) assumptions.push({ name, value, reason });
  };
  const put = (path: string[], value: unknown, node: PySyntaxNode) => {
    let o = data;
    for (const p of path.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[path[path.length - 1]] = value;
    locations.set(path.join('\u0000'), locOf(node.startIndex, node.endIndex, path));
  };
  /** Evaluates an argument and stores it; a value from the command line is stored as its default and listed. */
  const take = (path: string[], value: PySyntaxNode, at: PySyntaxNode, label = path[path.length - 1]): Evaluated => {
    const v = ev.eval(value);
    const said = (reason: string) => (reason.startsWith(`${label}:`) ? reason : `${label}: ${reason}`);
    if (v.ok) {
      put(path, v.value, at);
      if (v.cli) assume(label, v.value, said(v.cli));
    } else if (v.cli) assume(label, null, said(v.reason));
    else if (!NO_BEARING.test(path[path.length - 1])) assume(label, null, `${said(v.reason)}; not read`);
    return v;
  };

  // The model: the first from_pretrained of a model class (or Unsloth's FastLanguageModel, litgpt's LLM.load).
  // A Trainer given the model by name (TRL's SFTTrainer(model="org/name")) names it too; so does its sequence length.
  const trainerCalls = x.calls.filter((c) => /^(SFT|DPO|ORPO|KTO|CPO|GRPO|Reward|Unsloth|Seq2Seq)?Trainer$/.test(c.name) && c.keywords.has('model'));
  const loaders = x.calls.filter((c) => isModelLoader(c) || c.callee === 'LLM.load' || (c.name === 'from_name' && /LLaMA|Config|GPT|Llama/.test(c.receiver)));
  const modelArg = (c: CallSite) => {
    const kw = c.keywords.get('pretrained_model_name_or_path') ?? c.keywords.get('model_name') ?? c.keywords.get('model') ?? c.keywords.get('model_id');
    return kw ? { arg: kw.value, at: kw.node } : c.positional[0] ? { arg: c.positional[0], at: c.positional[0] } : undefined;
  };
  const named = (c: CallSite) => {
    const m = modelArg(c);
    const v = m ? ev.eval(m.arg) : undefined;
    return v?.ok === true && typeof v.value === 'string' && v.value !== '';
  };
  // The first call that names the model with a value the file fixes; else the first one (its value is then an assumption).
  const loader = loaders.find(named) ?? trainerCalls.find(named) ?? loaders[0];
  if (loader) {
    const m = modelArg(loader);
    if (m && !take(['model_name_or_path'], m.arg, m.at, 'model_name_or_path').ok && loader.name === 'from_pretrained') view.pretrainedFromCli = true;
    if (loader.name === 'from_name') view.litName = true;
    // The task head a from_pretrained class adds (…ForSequenceClassification with num_labels).
    const cls = loader.receiver.split('.').pop() ?? '';
    const head = /For(SequenceClassification|TokenClassification|QuestionAnswering|MaskedLM|MultipleChoice)$/.exec(cls);
    if (head) {
      view.modelClass = head[0];
      const labels = loader.keywords.get('num_labels');
      const lv = labels ? ev.eval(labels.value) : undefined;
      if (labels && lv?.ok && typeof lv.value === 'number') put(['num_labels'], lv.value, labels.node);
      else if (labels) assume('num_labels', 2, `num_labels: ${lv && !lv.ok ? lv.reason : 'not a number'}; counted with the Transformers default of 2 labels`);
    }
    for (const k of ['load_in_4bit', 'load_in_8bit']) {
      const a = loader.keywords.get(k);
      if (a) take([k], a.value, a.node);
    }
    // The weights' dtype (torch_dtype=torch.bfloat16): the precision when the training arguments set none.
    const dtype = loader.keywords.get('torch_dtype') ?? loader.keywords.get('dtype');
    const dv = dtype ? ev.eval(dtype.value) : undefined;
    if (dtype && dv?.ok && typeof dv.value === 'string' && dv.value !== 'auto') put(['torch_dtype'], dv.value, dtype.node);
    const init = loader.keywords.get('init');
    if (init && stringText(init.value) === 'random') view.fromScratch = true;
  }
  // A model built from a config (AutoConfig.from_pretrained("gpt2") then from_config): the shape, random weights.
  if (!loader && x.calls.some((c) => c.name === 'from_config')) {
    const cfg = x.calls.find((c) => c.name === 'from_pretrained' && /Config$/.test(c.receiver));
    const arg = cfg?.keywords.get('pretrained_model_name_or_path')?.value ?? cfg?.positional[0];
    if (cfg && arg) {
      take(['model_name_or_path'], arg, arg, 'model_name_or_path');
      view.fromScratch = true;
    }
  }
  for (const c of [...trainerCalls, ...loaders, ...x.calls.filter((t) => /Trainer$/.test(t.name))]) {
    for (const k of ['max_seq_length', 'packing']) {
      const a = c.keywords.get(k);
      if (a && !(k in data)) take([k], a.value, a.node);
    }
  }
  // Model config constructors with literal sizes: LlamaConfig(hidden_size=…, num_hidden_layers=…).
  const ctor = x.calls.find((c) => /^[A-Z]\w*Config$/.test(c.name) && !NOT_MODEL_CONFIGS.test(c.name) && !TRAINING_CLASSES.has(c.name) && MODEL_SHAPE_KEYS.some((k) => c.keywords.has(k)));
  if (ctor && ctor.name !== 'GPTConfig') {
    put(['model_config', 'model_type'], modelTypeOfConfigClass(ctor.name), ctor.node);
    for (const [k, a] of ctor.keywords) take(['model_config', k], a.value, a.node, `${ctor.name}.${k}`);
  }
  // A model written as raw tensors (`C = torch.randn((27, 10))` …, `parameters = [C, W1, b1]`): the sum of their sizes.
  if (!('model_name_or_path' in data) && !('model_config' in data) && text.includes('requires_grad') && text.includes('parameters')) {
    const lists = x.bindingsOf(x.module, 'parameters');
    const list = lists[lists.length - 1];
    const names = list && list.value.type === 'list' ? list.value.namedChildren.filter((c): c is PySyntaxNode => c !== null && c.type !== 'comment') : [];
    let total = 0;
    const sizes: string[] = [];
    for (const id of names) {
      const shape = id.type === 'identifier' ? tensorShape(x, ev, id) : undefined;
      if (!shape) {
        total = 0;
        break;
      }
      total += shape.reduce((a, b) => a * b, 1);
      sizes.push(`${id.text} ${shape.join('×')}`);
    }
    if (total > 0 && list) {
      put(['tensor_model', 'params'], total, list.node);
      put(['tensor_model', 'tensors'], sizes.join(' + '), list.node);
    }
  }
  // Quantised loading through a BitsAndBytesConfig.
  const bnb = x.calls.find((c) => c.name === 'BitsAndBytesConfig');
  for (const k of ['load_in_4bit', 'load_in_8bit']) {
    const a = bnb?.keywords.get(k);
    if (a && !(k in data)) take([k], a.value, a.node);
  }
  // The training arguments.
  const args = x.calls.find((c) => TRAINING_CLASSES.has(c.name));
  if (args) {
    view.argsClass = args.name;
    for (const [k, a] of args.keywords) {
      if (k === 'output_dir' || k === 'logging_dir') continue;
      take([k], a.value, a.node);
    }
  }
  // Training in stages: each training arguments followed by a trainer's .train() before the next one trains the model
  // once more (Unsloth's continued pretraining, then instruction tuning). The first stage is read above; the size of
  // each later one goes under stages.<n> (counted from 1, as the stages run), for read.ts to add when it takes the
  // same batch and length.
  if (args) {
    const all = x.calls.filter((c) => TRAINING_CLASSES.has(c.name));
    // A trainer's .train() (`trainer.train(resume_from_checkpoint=…)` too), not PyTorch's model.train() mode switch:
    // the receiver is bound to a …Trainer(…) call.
    const isTrainer = (name: string) => x.allBindingsOf(name).some(({ binding }) => binding.value?.type === 'call' && /Trainer$/.test(binding.value.childForFieldName('function')?.text ?? ''));
    const trains = x.callsOf('train').filter((c) => /^\w+$/.test(c.receiver) && isTrainer(c.receiver)).map((c) => c.node.startIndex);
    const stages = all.filter((a, i) => trains.some((t) => t > a.node.startIndex && (i + 1 >= all.length || t < all[i + 1].node.startIndex)));
    if (stages.length > 1 && stages[0] === args) {
      put(['stages', '1', 'train'], true, args.node);
      stages.slice(1).forEach((stage, i) => {
        const at = ['stages', String(i + 2)];
        put([...at, 'train'], true, stage.node);
        for (const k of STAGE_KEYS) {
          const a = stage.keywords.get(k);
          if (a) take([...at, k], a.value, a.node, k);
        }
        // The trainer it is given to may set the length (SFTTrainer / UnslothTrainer(max_seq_length=…)).
        const trainer = stage.node.parent?.parent?.parent;
        const site = trainer?.type === 'call' ? x.calls.find((c) => c.node.startIndex === trainer.startIndex && /Trainer$/.test(c.name)) : undefined;
        const length = site?.keywords.get('max_seq_length');
        if (length && !stage.keywords.has('max_seq_length')) take([...at, 'max_seq_length'], length.value, length.node, 'max_seq_length');
      });
    }
  }
  // A plain training loop (no Trainer, no training arguments): its batch and epochs are variables. A name bound to
  // one literal value (wherever it is assigned) is read under the Trainer's name for it.
  if (!args && !lightning0(x)) {
    for (const [names, key] of PLAIN_LOOP) {
      if (key in data) continue;
      for (const name of names) {
        if (!text.includes(name)) continue;
        const first = consistentNumber(x, ev, name);
        if (!first) continue;
        put([key], first.value, first.node);
        break;
      }
    }
  }
  // A script with no other batch takes it from its DataLoader: DataLoader(dataset, batch_size=1). Several loaders
  // (train and validation) count only when they agree, or when one of them is bound to a name that says train.
  if (!args && !('per_device_train_batch_size' in data) && text.includes('DataLoader')) {
    const loaders = x.callsOf('DataLoader').flatMap((c) => {
      const b = c.keywords.get('batch_size');
      const v = b ? ev.eval(b.value) : undefined;
      const bound = c.node.parent?.type === 'assignment' ? (c.node.parent.childForFieldName('left')?.text ?? '') : '';
      return b && v?.ok && typeof v.value === 'number' && Number.isInteger(v.value) && v.value > 0 ? [{ b, value: v.value, train: /train/i.test(bound) }] : [];
    });
    const train = loaders.filter((l) => l.train);
    const pick = new Set(loaders.map((l) => l.value)).size === 1 ? loaders[0] : train.length === 1 ? train[0] : undefined;
    if (pick) take(['per_device_train_batch_size'], pick.b.value, pick.b.node, 'batch_size');
  }
  // A model of raw tensors trained by hand draws its minibatch inside the loop: `ix = torch.randint(0, n, (32,))`.
  // One such draw of a literal size, bound to a name in a for loop's body, is the batch.
  if ('tensor_model' in data && !args && !('per_device_train_batch_size' in data)) {
    const draws = x.callsOf('randint').flatMap((c) => {
      if (c.callee !== 'torch.randint') return [];
      const size = c.keywords.get('size')?.value ?? (c.positional.length >= 2 ? c.positional[c.positional.length - 1] : undefined);
      const dims = size?.type === 'tuple' ? size.namedChildren.filter((n) => n !== null && n.type !== 'comment') : [];
      const v = dims.length === 1 && dims[0] ? ev.eval(dims[0]) : undefined;
      const assignment = c.node.parent;
      const inLoop = assignment?.type === 'assignment' && assignment.parent?.parent?.type === 'block' && assignment.parent.parent.parent?.type === 'for_statement';
      return inLoop && v?.ok && typeof v.value === 'number' && Number.isInteger(v.value) && v.value > 0 ? [{ value: v.value, node: dims[0]! }] : [];
    });
    if (draws.length > 0 && new Set(draws.map((d) => d.value)).size === 1) put(['per_device_train_batch_size'], draws[0].value, draws[0].node);
  }
  // The row length when the training arguments give none: the tokenizer call that truncates each row
  // (`tokenizer(..., truncation=True, max_length=256)`), else a module global that names it (`block_size = 128`).
  if (!SEQ_KEYS.some((k) => k in data)) {
    const tok = [...x.callsOf('tokenizer'), ...x.callsOf('tokenize')].find((c) => c.keywords.has('max_length') && c.keywords.has('truncation'));
    const truncates = tok ? ev.eval(tok.keywords.get('truncation')!.value) : undefined;
    const length = tok && truncates?.ok && truncates.value === true ? tok.keywords.get('max_length')! : undefined;
    const lv = length ? ev.eval(length.value) : undefined;
    if (length && lv?.ok && typeof lv.value === 'number') take(['max_length'], length.value, length.node, 'max_length');
    else {
      for (const name of SEQ_GLOBALS) {
        if (!text.includes(name)) continue;
        // A module global, else a variable with one literal value in the one function that sets it so (main()).
        const found = consistentNumber(x, ev, name);
        if (!found) continue;
        put([SEQ_KEYS.includes(name) ? name : 'max_seq_length'], found.value, found.node);
        break;
      }
    }
  }
  // LoRA: PEFT's LoraConfig, Unsloth's get_peft_model(model, r=…), lit-llama's `with lora(r=…)`.
  const lora = x.calls.find((c) => c.name === 'LoraConfig') ?? x.calls.find((c) => (c.name === 'get_peft_model' || c.name === 'lora') && c.keywords.has('r'));
  if (lora) {
    if (lora.name === 'get_peft_model' && /^Fast\w*Model$/.test(lora.receiver.split('.').pop() ?? '')) view.unslothLora = true;
    const r = lora.keywords.get('r');
    if (r) take(['lora_r'], r.value, r.node, 'r');
    else {
      put(['lora_r'], 8, lora.node);
      assume('r', 8, "LoraConfig without r: PEFT's default rank 8");
    }
    const t = lora.keywords.get('target_modules');
    if (t) take(['lora_target_modules'], t.value, t.node, 'target_modules');
    // Modules PEFT trains in full beside the adapters (the embeddings among them are counted).
    const save = lora.keywords.get('modules_to_save');
    if (save) take(['lora_modules_to_save'], save.value, save.node, 'modules_to_save');
    else if (lora.name === 'lora') put(['lora_target_modules'], ['q_proj', 'v_proj'], lora.node);
    const dora = lora.keywords.get('use_dora');
    if (dora) take(['use_dora'], dora.value, dora.node);
  } else {
    // LitGPT: Config.from_file(..., lora_r=…, lora_query=True, lora_value=True, …).
    const lit = x.calls.find((c) => c.keywords.has('lora_r'));
    const r = lit?.keywords.get('lora_r');
    if (lit && r) {
      take(['lora_r'], r.value, r.node, 'lora_r');
      // The model is the checkpoint folder's config (`checkpoint_dir / "model_config.yaml"`), named on the command line.
      const file = lit.name === 'from_file' ? lit.positional[0] : undefined;
      const base = file?.type === 'binary_operator' ? file.childForFieldName('left') : file;
      if (file && base?.type === 'identifier' && !('model_name_or_path' in data)) take(['model_name_or_path'], file, file, base.text);
      const targets: string[] = [];
      const parts: Array<[string, string[]]> = [['lora_query', ['q_proj']], ['lora_key', ['k_proj']], ['lora_value', ['v_proj']], ['lora_projection', ['o_proj']], ['lora_mlp', ['gate_proj', 'up_proj', 'down_proj']]];
      for (const [k, names] of parts) {
        const a = lit.keywords.get(k);
        const v = a ? ev.eval(a.value) : undefined;
        if (v?.ok && v.value === true) targets.push(...names);
        if (a && v?.cli) assume(k, v.ok ? v.value : null, v.ok ? v.cli : v.reason);
      }
      put(['lora_target_modules'], targets.length > 0 ? targets : ['q_proj', 'v_proj'], lit.node);
    }
  }
  // The dataset.
  const ds = x.calls.find((c) => c.name === 'load_dataset' && c.positional.length > 0);
  if (ds && !('dataset_name' in data)) {
    const v = ev.eval(ds.positional[0]);
    if (v.ok && typeof v.value === 'string' && !/^(json|csv|parquet|text|arrow)$/.test(v.value)) {
      put(['dataset_name'], v.value, ds.positional[0]);
      if (v.cli) assume('dataset_name', v.value, v.cli);
      const split = ds.keywords.get('split');
      const sv = split ? ev.eval(split.value) : undefined;
      if (split && sv?.ok && typeof sv.value === 'string') put(['dataset_train_split'], sv.value, split.node);
    } else if (!v.ok && v.cli) assume('dataset_name', null, `dataset_name: ${v.reason}`);
    else if (v.ok && typeof v.value === 'string') {
      // A packaged builder over the Hub's parquet conversion of a dataset: data_files={"train": "hf://datasets/
      // <owner>/<name>@refs/convert/parquet/<subset>/train/0000.parquet"} names the dataset's subset and split.
      const files = ds.keywords.get('data_files');
      const dict = files?.value.type === 'dictionary' ? files.value : undefined;
      for (const pair of dict?.namedChildren ?? []) {
        if (pair?.type !== 'pair') continue;
        const k = pair.childForFieldName('key');
        const val = pair.childForFieldName('value');
        const key = k ? ev.eval(k) : undefined;
        const path = val ? ev.eval(val) : undefined;
        if (!val || !key?.ok || key.value !== 'train' || !path?.ok || typeof path.value !== 'string') continue;
        const hub = hubParquetPath(path.value);
        if (hub) {
          put(['dataset_name'], hub.dataset, val);
          put(['dataset_train_split'], hub.split, val);
        }
        break;
      }
    }
  }
  // Lightning Fabric: devices and precision (lit-llama, LitGPT scripts).
  const fabric = x.calls.find((c) => c.name === 'Fabric' && (c.keywords.has('devices') || c.keywords.has('precision')));
  if (fabric) {
    for (const k of ['devices', 'num_nodes', 'precision']) {
      const a = fabric.keywords.get(k);
      if (a) take(['lightning', k], a.value, a.node, k);
    }
  }
  // Lightning's Trainer (not the Hugging Face Trainer, which takes args=).
  const lightning = x.calls.find((c) => c.name === 'Trainer' && !c.keywords.has('args') && ['max_epochs', 'max_steps', 'accelerator', 'devices', 'precision', 'accumulate_grad_batches', 'num_nodes', 'strategy'].some((k) => c.keywords.has(k)));
  if (lightning) {
    const map: Record<string, string[]> = {
      max_steps: ['max_steps'], max_epochs: ['num_train_epochs'], accumulate_grad_batches: ['gradient_accumulation_steps'],
      precision: ['lightning', 'precision'], devices: ['lightning', 'devices'], num_nodes: ['lightning', 'num_nodes'],
    };
    for (const [k, path] of Object.entries(map)) {
      const a = lightning.keywords.get(k);
      if (a && !(path.length === 1 && path[0] in data)) take(path, a.value, a.node, k);
    }
    put(['lightning', 'trainer'], lightning.callee, lightning.node);
    // ModelParallelStrategy(data_parallel_size=…, tensor_parallel_size=…) as the Trainer's strategy (a call, or a
    // name bound to one): the devices it runs on, when the Trainer does not say.
    const s = lightning.keywords.get('strategy');
    const strategy = s && !lightning.keywords.has('devices') ? callBehind(x, s.value, 'ModelParallelStrategy') : undefined;
    if (strategy) {
      for (const k of ['data_parallel_size', 'tensor_parallel_size']) {
        const a = strategy.keywords.get(k);
        if (a) take(['lightning', k], a.value, a.node, k);
      }
    }
  }
  // Lightning's demo Transformer (lightning.pytorch.demos.Transformer, an nn.Transformer language model) and its
  // WikiText2 dataset: the sizes passed (the rest take the class's defaults, in read.ts).
  const demo = text.includes('.demos') ? demoCall(x, 'Transformer') : undefined;
  if (demo) {
    put(['lightning_demo', 'class'], 'Transformer', demo.node);
    for (const k of ['ninp', 'nhead', 'nhid', 'nlayers']) {
      const a = demo.keywords.get(k);
      if (a) take(['lightning_demo', k], a.value, a.node, `Transformer.${k}`);
    }
    const vocab = demo.keywords.get('vocab_size');
    const vv = vocab ? ev.eval(vocab.value) : undefined;
    if (vocab && vv?.ok && typeof vv.value === 'number') put(['lightning_demo', 'vocab_size'], vv.value, vocab.node);
    else {
      const why = vv && !vv.ok ? vv.reason : 'not given';
      assume('vocab_size', DEMO_TRANSFORMER.vocab_size, `vocab_size: ${why}; counted with the demo Transformer's default, 33,278, which Lightning gives as WikiText2's vocabulary (lightning.pytorch.demos.Transformer)`);
    }
    const wiki = demoCall(x, 'WikiText2');
    const block = wiki?.keywords.get('block_size');
    if (block) take(['lightning_demo', 'block_size'], block.value, block.node, 'WikiText2.block_size');
    else if (wiki) {
      put(['lightning_demo', 'wikitext2'], true, wiki.node);
      assume('block_size', DEMO_TRANSFORMER.block_size, `block_size: WikiText2() sets none; each sample is its default of ${DEMO_TRANSFORMER.block_size} tokens (lightning.pytorch.demos.WikiText2)`);
    }
  }
  // nanotron: TokensArgs and ParallelismConfig beside a model config.
  const tokens = x.calls.find((c) => c.name === 'TokensArgs');
  if (tokens) for (const [k, a] of tokens.keywords) take(['nanotron', k], a.value, a.node, `TokensArgs.${k}`);
  const par = x.calls.find((c) => c.name === 'ParallelismConfig' || c.name === 'ParallelismArgs');
  if (par && tokens) for (const k of ['dp', 'pp', 'tp']) {
    const a = par.keywords.get(k);
    if (a) take(['nanotron', k], a.value, a.node, `ParallelismConfig.${k}`);
  }
  // Script forms known by their globals: nanoGPT's train.py and config/*.py, llama2.c's train.py.
  // nanoGPT and llama2.c name their run in module globals; only a text that mentions one is asked for its globals.
  const maybeForm = text.includes('max_iters') || text.includes('init_from') || text.includes('n_layer');
  const names = new Set(maybeForm ? x.moduleAssignments.map((a) => a.name) : []);
  if (names.has('max_iters') && names.has('micro_batch_size') && (text.includes('lit_llama') || text.includes('lit_gpt'))) view.form = 'lit-loop';
  else if (names.has('max_iters') && names.has('dim') && names.has('n_layers')) view.form = 'llama2c';
  else if (names.has('max_iters') && names.has('n_layer') && names.has('n_embd') && names.has('gradient_accumulation_steps') && x.hasFunctions) view.form = 'nanogpt';
  else if (names.size > 0 && !x.hasFunctions && x.calls.every((c) => !TRAINING_CLASSES.has(c.name) && c.name !== 'from_pretrained') && [...names].filter((n) => NANOGPT_GLOBALS.has(n)).length >= 3 && (names.has('batch_size') || names.has('max_iters') || names.has('init_from') || names.has('n_layer'))) view.form = 'nanogpt-config';
  if (view.form === 'lit-loop') {
    const bound = loopBreak(x, 'max_iters');
    if (bound) put(['loop', 'max_iters_runs'], { offset: bound.offset, condition: bound.condition }, bound.node);
  }
  if (view.form) {
    const globals: Record<string, unknown> = {};
    for (const a of x.moduleAssignments) {
      const v = ev.eval(a.value);
      if (v.ok && (typeof v.value === 'number' || typeof v.value === 'string' || typeof v.value === 'boolean')) {
        globals[a.name] = v.value;
        put(['globals', a.name], v.value, a.node);
      } else if (a.name === 'dtype' && !v.ok && v.either) {
        // nanoGPT's `'bfloat16' if …is_bf16_supported() else 'float16'`: 16 bits either way.
        const bits = new Set(v.either.map((e) => (typeof e === 'string' ? bitsFromPrecision(e) : undefined)));
        const only = bits.size === 1 ? [...bits][0] : undefined;
        if (only !== undefined) {
          globals.dtype = only;
          put(['globals', 'dtype'], only, a.node);
          assume('dtype', only, `dtype: ${v.either.map((e) => fmt(e)).join(' or ')} depending on the GPU: ${only} bits either way`);
        } else delete globals[a.name];
      } else delete globals[a.name];
    }
    view.globals = globals;
  }
  // Values parsed from the command line into dataclasses (HfArgumentParser, TrlParser); a tuple of them may be
  // bound to a name first (`dataclass_types = (ScriptArguments, SFTConfig, ModelConfig)`).
  const parsed: Array<{ name: string; parser: string }> = [];
  for (const c of x.parsedClasses) {
    const scope = x.scopeAt(c.node.startIndex);
    const bound = c.node.type === 'identifier' ? [...x.bindingsOf(x.module, c.name), ...(scope === x.module ? [] : x.bindingsOf(scope, c.name))] : undefined;
    const tuple = bound?.[bound.length - 1]?.value;
    if (tuple && (tuple.type === 'tuple' || tuple.type === 'list')) {
      for (const el of tuple.namedChildren) if (el && (el.type === 'identifier' || el.type === 'attribute')) parsed.push({ name: el.text.split('.').pop()!, parser: c.parser });
    } else parsed.push({ name: c.name, parser: c.parser });
  }
  for (const c of parsed) {
    if (TRAINING_CLASSES.has(c.name)) view.argsClass ??= c.name;
    cliClassAssumptions(c.name, c.parser, x, ev, assume);
  }
  return view;
}

/**
 * The defaults of lightning.pytorch.demos.Transformer's constructor (vocab_size 33,278, "default for WikiText2";
 * ninp 200, nhead 2, nhid 200, nlayers 2) and of WikiText2's block_size (35 tokens per sample).
 */
export const DEMO_TRANSFORMER = { vocab_size: 33278, ninp: 200, nhead: 2, nhid: 200, nlayers: 2, block_size: 35 } as const;

/** The first call of `name` when the file imports that name from Lightning's demos (lightning.pytorch.demos). */
function demoCall(x: Extracted, name: string): CallSite | undefined {
  const from = x.importedFrom(name);
  if (from !== 'lightning.pytorch.demos' && from !== 'pytorch_lightning.demos') return undefined;
  return x.callsOf(name).find((c) => c.callee === name);
}

/** The call of `name` an argument is: the call itself, or a name bound to it before the argument in the same scope. */
function callBehind(x: Extracted, value: PySyntaxNode, name: string): CallSite | undefined {
  let node: PySyntaxNode | undefined = value;
  if (value.type === 'identifier') {
    const before = x.bindingsOf(x.scopeAt(value.startIndex), value.text).filter((b) => b.at < value.startIndex);
    node = before[before.length - 1]?.value;
  }
  return node?.type === 'call' ? x.callsOf(name).find((c) => c.node.startIndex === node.startIndex) : undefined;
}

/** Fields of the classes a script parses from argv that decide the estimate, with the defaults their libraries give. */
const LIBRARY_FIELDS: Record<string, Array<[string, unknown, string]>> = {
  TrainingArguments: [
    ['num_train_epochs', 3, 'the Trainer default 3.0'], ['max_steps', -1, 'the Trainer default -1: use num_train_epochs'],
    ['per_device_train_batch_size', 8, 'the Trainer default 8'], ['gradient_accumulation_steps', 1, 'the Trainer default 1'],
    ['bf16', false, 'the Trainer default False'],
  ],
  ModelConfig: [['model_name_or_path', null, 'no default'], ['use_peft', false, "TRL's default False"], ['lora_r', 16, "TRL's default 16"], ['lora_target_modules', null, "TRL's default: PEFT's per-model targets"], ['load_in_4bit', false, "TRL's default False"]],
  ScriptArguments: [['dataset_name', null, 'no default'], ['dataset_train_split', 'train', "TRL's default \"train\""]],
};
for (const c of ['Seq2SeqTrainingArguments', 'SFTConfig', 'DPOConfig', 'ORPOConfig', 'KTOConfig', 'CPOConfig', 'RewardConfig', 'GRPOConfig']) LIBRARY_FIELDS[c] = LIBRARY_FIELDS.TrainingArguments;
LIBRARY_FIELDS.SFTConfig = [...LIBRARY_FIELDS.TrainingArguments, ['max_length', 1024, "TRL's SFTConfig default 1024"], ['packing', false, "TRL's default False"]];
LIBRARY_FIELDS.DPOConfig = [...LIBRARY_FIELDS.TrainingArguments, ['max_length', 1024, "TRL's DPOConfig default 1024"], ['beta', 0.1, "TRL's default 0.1"]];

/** Fields of a script's own argument dataclasses that decide the estimate. */
const RELEVANT_FIELD = /^(mlm_probability|model_name_or_path|model_id|model_name|config_name|model_type|dataset_name|dataset_config_name|train_file|block_size|max_seq_length|max_length|max_train_samples|task_name|use_peft|lora_r|lora_alpha|lora_target_modules|num_train_epochs|max_steps|per_device_train_batch_size|gradient_accumulation_steps)$/;

function cliClassAssumptions(cls: string, parser: string, x: Extracted, ev: Evaluator, assume: (name: string, value: unknown, reason: string) => void): void {
  const own = x.dataclasses.get(cls);
  if (own) {
    for (const [name, f] of own) {
      if (!RELEVANT_FIELD.test(name)) continue;
      const v = f.default ? ev.eval(f.default) : undefined;
      const def = v?.ok && v.value !== null ? ` (default ${fmt(v.value)} in the dataclass ${cls})` : ` (no default in the dataclass ${cls})`;
      assume(name, v?.ok ? v.value : null, `${name}: from the command line${def}, parsed by ${parser}`);
    }
    return;
  }
  const lib = LIBRARY_FIELDS[cls];
  if (!lib) {
    assume(cls, null, `${cls}: every field from the command line (${parser}); LIM Lens does not know this class's defaults`);
    return;
  }
  assume(cls, null, `${cls}: from the command line (${parser}); the estimate-relevant fields below take their defaults`);
  for (const [name, value, why] of lib) assume(name, value, `${name}: from the command line (${cls}, ${parser}); ${why}`);
}

/**
 * The dataset and split of a file of the Hub's parquet conversion, `hf://datasets/<owner>/<name>@refs/convert/parquet/
 * <subset>/<split>/0000.parquet`: the dataset as `<owner>/<name>/<subset>` (the table of known datasets names subsets so).
 */
export function hubParquetPath(path: string): { dataset: string; split: string } | undefined {
  const m = /^hf:\/\/datasets\/([\w.-]+\/[\w.-]+)@refs(?:\/|%2F)convert(?:\/|%2F)parquet\/([\w.-]+)\/([\w.-]+)\/[^/]+\.parquet$/.exec(path);
  return m ? { dataset: `${m[1]}/${m[2]}`, split: m[3] } : undefined;
}

/**
 * How many iterations a loop `for i, batch in enumerate(…)` runs when it ends on `if i > bound: break` (or `>=`,
 * `==`) as the first or the last statement of its body: bound + offset. The counter starts at 0; a check at the end
 * runs the body once more for the index that meets it (`i > max_iters` after the body: max_iters + 2 iterations), a
 * check at the start does not. Undefined when no such loop compares the counter with `bound` (the name).
 */
export function loopBreak(x: Extracted, bound: string): { offset: number; condition: string; node: PySyntaxNode } | undefined {
  for (const call of x.callsOf('enumerate')) {
    const loop = call.node.parent;
    if (loop?.type !== 'for_statement' || loop.childForFieldName('right')?.startIndex !== call.node.startIndex || call.positional.length !== 1 || call.keywords.size > 0) continue;
    const left = loop.childForFieldName('left');
    const counter = left?.type === 'pattern_list' || left?.type === 'tuple_pattern' ? left.namedChildren[0] : undefined;
    const body = loop.childForFieldName('body');
    if (counter?.type !== 'identifier' || !body) continue;
    const statements = body.namedChildren.filter((c): c is PySyntaxNode => c !== null && c.type !== 'comment');
    for (const [at, stmt] of [['start', statements[0]], ['end', statements[statements.length - 1]]] as const) {
      if (stmt?.type !== 'if_statement' || stmt.childForFieldName('alternative')) continue;
      const cons = stmt.childForFieldName('consequence')?.namedChildren.filter((c) => c !== null && c.type !== 'comment');
      if (cons?.length !== 1 || cons[0]?.type !== 'break_statement') continue;
      const cond = stmt.childForFieldName('condition');
      const parts = cond?.type === 'comparison_operator' ? cond.namedChildren : [];
      const [a, b] = parts;
      if (!cond || parts.length !== 2 || !a || !b || a.text !== counter.text || b.type !== 'identifier' || b.text !== bound) continue;
      const op = cond.text.slice(a.endIndex - cond.startIndex, b.startIndex - cond.startIndex).trim();
      // The first index that meets the condition: bound + 1 for `>`, bound for `>=` and `==`.
      const first = op === '>' ? 1 : op === '>=' || op === '==' ? 0 : undefined;
      if (first === undefined) continue;
      return { offset: at === 'end' ? first + 1 : first, condition: cond.text, node: cond };
    }
  }
  return undefined;
}
