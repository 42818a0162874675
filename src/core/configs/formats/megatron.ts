import { COUNT, DIMENSION, FieldReader, LAYER_COUNT, VOCAB, type NumberRule } from '../reader';
import type { Sourced } from '../types';
import type { FinetuneFacts, ModelFacts, RunFacts } from '../facts';
import type { ParsedDoc } from '../parse';
import { countBert } from '../encoders';
import { modelFromHfConfig } from './hfModel';
import { computed, finishFacts, precisionFlags, product, type FormatContext } from './context';
import { atLeastDevices, timesNodes } from './nemo';
import { assumedVocab, biases, gptShape, padVocab, tokenizerVocab, vocabFromTokenizerPath } from './gpt';
import { decoderSpec, type DecoderSpec, type MoeSpec } from '../decoder';

const S = { allowString: true } as const;
const rule = (r: NumberRule): NumberRule => Object.assign({}, r, S);

/**
 * Megatron-LM and Megatron-DeepSpeed launch scripts: `pretrain_gpt.py --num-layers 32 --hidden-size 4096 …`.
 * Dense and MoE GPTs (Megatron-LM's --moe-layer-freq / --moe-router-topk, Megatron-DeepSpeed's --expert-interval /
 * --topk and per-layer --num-experts lists), grouped-query attention, multi-latent attention (counted as the
 * deepseek_v2 family), BERT (pretrain_bert.py); hybrid Mamba models are reported as unsupported.
 */
export function readMegatron(r: FieldReader, ctx: FormatContext): RunFacts {
  const seq = r.num(['--seq-length'], rule({ integer: true, max: 1e8 })) ?? r.num(['--encoder-seq-length'], rule({ integer: true, max: 1e8 }));
  const seqName = r.has(['--seq-length']) ? '--seq-length' : '--encoder-seq-length';
  let model: RunFacts['model'];
  const hybrid = r.first([['--hybrid-override-pattern'], ['--hybrid-layer-pattern'], ['--hybrid-attention-ratio'], ['--mamba-state-dim'], ['--is-hybrid-model']]);
  if (hybrid || /pretrain_(mamba|hybrid)\.py/.test(r.doc.text)) {
    r.report(hybrid ?? [], 'unsupported-model', 'Megatron hybrid Mamba model (Mamba and attention layers): this family is not supported by LIM Lens, so its parameters are not counted; give params: in a *.lim.yaml run file', 'warning');
  } else if (/pretrain_(t5|vision\w*|ict|retro|vlm)\.py/.test(r.doc.text)) {
    const script = /pretrain_(t5|vision\w*|ict|retro|vlm)\.py/.exec(r.doc.text)![0];
    r.report([], 'unsupported-model', `Megatron ${script}: this model family is not supported by LIM Lens (GPT, MoE and BERT are)`, 'warning');
  } else if (/pretrain_bert\.py/.test(r.doc.text) || r.has(['--bert-no-binary-head']) || r.has(['--bert-binary-head'])) model = megatronBert(r, ctx, seq?.value);
  else if (r.has(['--multi-latent-attention'])) model = megatronMla(r, ctx);
  else model = megatronGpt(r, ctx, seq?.value);

  const gbs = r.num(['--global-batch-size'], rule(COUNT));
  const iters = r.num(['--train-iters'], rule({ integer: true, max: 1e10 }));
  const samples = r.num(['--train-samples'], rule({ integer: true, max: 1e13 }));
  const trainTokens = r.num(['--train-tokens'], rule({ integer: true, max: 1e16 }));
  let tokens: Sourced<number> | undefined;
  if (samples && seq) tokens = product([[samples, '--train-samples'], [seq, seqName]]);
  else if (iters && gbs && seq) tokens = product([[iters, '--train-iters'], [gbs, '--global-batch-size'], [seq, seqName]]);
  else if (iters && !gbs && !r.has(['--global-batch-size'])) r.report(['--train-iters'], 'incomplete-run', 'D needs --global-batch-size with --train-iters (D = train_iters × global_batch × seq_length)', 'warning');
  // Megatron-DeepSpeed stops at --train-tokens or --train-iters, whichever comes first.
  if (trainTokens && (!tokens || trainTokens.value <= tokens.value)) {
    tokens = tokens ? computed(trainTokens.value, `--train-tokens (${trainTokens.value}), reached before ${tokens.source.kind === 'computed' ? tokens.source.formula : 'the iteration limit'} = ${tokens.value}`) : trainTokens;
  }

  const devices = launchDevices(r);
  // A fine-tune (--finetune, finetune_*.py) is sized by its own iterations, never by the pretraining rule.
  const script = /\b(finetune\w*|\w*_finetune\w*)\.py\b/.exec(r.doc.text)?.[0];
  const finetune: FinetuneFacts | undefined =
    r.has(['--finetune']) || script
      ? {
          evidence: r.has(['--finetune']) ? `--finetune${script ? ` (${script})` : ''}` : script!,
          objective: 'sft',
          pairs: false,
          datasets: [],
          lengthCap: seq,
          sizeHint: '--train-iters with --global-batch-size (or --train-samples)',
        }
      : undefined;
  if (finetune) r.record(['--finetune'], true);

  return finishFacts({
    file: r.file,
    format: 'megatron',
    model,
    tokens,
    sequenceLength: seq,
    precisionBits: precisionFlags(r, [[['--fp8-format'], 8], [['--bf16'], 16], [['--fp16'], 16]]),
    devices,
    finetune,
  });
}

/** Launchers' own flags: torchrun / torch.distributed.launch, then the DeepSpeed launcher. */
const LAUNCHERS: ReadonlyArray<{ perNode: string[]; nodes: string[] }> = [
  { perNode: ['--nproc_per_node', '--nproc-per-node'], nodes: ['--nnodes'] },
  { perNode: ['--num_gpus', '--num-gpus'], nodes: ['--num_nodes', '--num-nodes'] },
];
/** Variables launch scripts set for the launcher, and those Slurm sets from #SBATCH lines (src/core/configs/shellArgs.ts). */
const TOTAL_VARIABLES = ['NUM_GPUS', 'WORLD_SIZE', 'TOTAL_GPUS', 'N_GPUS', 'NGPUS'];
const PER_NODE_VARIABLES = ['GPUS_PER_NODE', 'NUM_GPUS_PER_NODE', 'NPROC_PER_NODE', 'SLURM_GPUS_PER_NODE', 'SLURM_GPUS_ON_NODE', 'SLURM_NTASKS_PER_NODE'];
const NODE_VARIABLES = ['NNODES', 'NUM_NODES', 'N_NODES', 'NODES', 'SLURM_NNODES', 'SLURM_JOB_NUM_NODES'];

/**
 * The device count a launch script states, most direct first: the launcher's flags (`torchrun --nproc_per_node 8
 * --nnodes 2`, `deepspeed --num_nodes 2 --num_gpus 8`), a total in a variable (`NUM_GPUS=64`, `WORLD_SIZE`), GPUs
 * per node × nodes in variables (`GPUS_PER_NODE`, `NNODES`, Slurm's), and last the lower bound TP × PP × CP of the
 * model-parallel flags. A variable counts only when it holds a plain whole number (GPUS="0,1,2,3" lists ids).
 */
function launchDevices(r: FieldReader): Sourced<number> | undefined {
  const count = (paths: string[]) => {
    const path = paths.map((p) => [p]).find((p) => r.has(p));
    return path && { n: r.num(path, rule(COUNT)), name: path[0] };
  };
  for (const launcher of LAUNCHERS) {
    const perNode = count(launcher.perNode);
    if (!perNode?.n) continue;
    const nodes = count(launcher.nodes);
    return timesNodes(perNode.n, perNode.name, nodes?.n, nodes?.name ?? '');
  }
  const variable = (names: string[]) => {
    const name = names.find((v) => /^\d+$/.test(String(r.raw([`$${v}`]) ?? '')) && Number(r.raw([`$${v}`])) >= 1);
    return name === undefined ? undefined : { n: r.num([`$${name}`], rule(COUNT)), name: `$${name}` };
  };
  const total = variable(TOTAL_VARIABLES);
  if (total?.n) return total.n;
  const perNode = variable(PER_NODE_VARIABLES);
  if (perNode?.n) {
    const nodes = variable(NODE_VARIABLES);
    return timesNodes(perNode.n, perNode.name, nodes?.n, nodes?.name ?? '');
  }
  return atLeastDevices(r, [[['--tensor-model-parallel-size'], 'TP'], [['--pipeline-model-parallel-size'], 'PP'], [['--context-parallel-size'], 'CP']], rule(COUNT));
}

const n = (r: FieldReader, flag: string, fallback: number, rl: NumberRule = rule(DIMENSION)) => (r.has([flag]) ? (r.num([flag], rl)?.value ?? fallback) : fallback);
const on = (r: FieldReader, flag: string) => r.has([flag]) && r.raw([flag]) !== 'false' && (r.record([flag], r.raw([flag])), true);

function dims(r: FieldReader, what: string) {
  // Launch scripts often take the model's flags from another file (`source model.sh`, a launcher that completes
  // the command): a missing one is LIM Lens's limit on this file, a warning.
  const hint = '; it may be set in a file this script sources or a launcher adds, which LIM Lens does not follow';
  const L = r.need(['--num-layers'], rule(LAYER_COUNT), what, 'warning', hint);
  const d = r.need(['--hidden-size'], rule(DIMENSION), what, 'warning', hint);
  const H = r.need(['--num-attention-heads'], rule(DIMENSION), what, 'warning', hint);
  return L && d && H ? { L: L.value, d: d.value, H: H.value } : undefined;
}

function megatronGpt(r: FieldReader, ctx: FormatContext, seq: number | undefined): ModelFacts | undefined {
  const x = dims(r, 'Megatron-LM GPT model');
  if (!x) return undefined;
  const { L, d, H } = x;
  const swiglu = on(r, '--swiglu');
  const ffn = n(r, '--ffn-hidden-size', swiglu ? Math.floor((4 * d * 2) / 3 / 64) * 64 : 4 * d);
  // Megatron-LM groups queries only with --group-query-attention; Megatron-DeepSpeed names --num-key-value-heads.
  const K = r.has(['--num-key-value-heads']) ? n(r, '--num-key-value-heads', H) : on(r, '--group-query-attention') ? n(r, '--num-query-groups', H) : H;
  const vocab = megatronVocab(r, ctx, { L, d, H, f: ffn, gated: swiglu });
  const positionType = typeof r.raw(['--position-embedding-type']) === 'string' ? String(r.raw(['--position-embedding-type'])) : on(r, '--use-rotary-position-embeddings') ? 'rope' : on(r, '--no-position-embedding') ? 'none' : 'learned_absolute';
  if (r.has(['--position-embedding-type'])) r.record(['--position-embedding-type'], positionType);
  const maxPositions = n(r, '--max-position-embeddings', seq ?? 0, rule({ integer: true, max: 1e8 }));
  const norm = /rms/i.test(String(r.raw(['--normalization']) ?? '')) ? 'rms' : 'layer';
  if (r.has(['--normalization'])) r.record(['--normalization'], r.raw(['--normalization']));
  const spec = decoderSpec(
    { V: vocab.value, d, L, H, f: ffn },
    Object.assign(
      {
        kvHeads: K,
        headDim: n(r, '--kv-channels', d / H),
        gated: swiglu,
        norm,
        tied: !on(r, '--untie-embeddings-and-output-weights'),
        learnedPositions: positionType === 'learned_absolute' ? maxPositions : 0,
        // Megatron-DeepSpeed's --embed-layernorm (BLOOM) normalises the embeddings.
        embeddingNorm: on(r, '--embed-layernorm'),
      } satisfies Partial<DecoderSpec>,
      biases(!on(r, '--disable-bias-linear')),
    ),
  );
  const moe = megatronMoe(r, L, ffn);
  if (moe) spec.moe = moe.spec;
  const shape = gptShape('megatron-gpt', spec, maxPositions || undefined);
  if (moe?.residual) {
    // DeepSpeed's residual MoE mixes the dense MLP and the experts with a Linear(d, 2) per MoE layer.
    shape.params.total += moe.moeLayers * (2 * d + 2);
    shape.params.active += moe.moeLayers * (2 * d + 2);
  }
  const moeText = moe ? `; ${moe.text}` : '';
  return { shape, source: { kind: 'computed', formula: `Megatron GPT from --num-layers, --hidden-size, --num-attention-heads; vocabulary ${vocab.value} after Megatron's padding${moeText}` }, anchor: r.locate(['--num-layers']) };
}

/**
 * Mixture of experts. Megatron-LM: --num-experts E in every --moe-layer-freq-th layer (an int, default 1, or a
 * list such as `([0]+[1]*26)`), --moe-router-topk k (default 2), --moe-ffn-hidden-size, shared experts of
 * --moe-shared-expert-intermediate-size. Megatron-DeepSpeed: experts in every --expert-interval-th layer (default
 * 2), --topk (default 1), and --num-experts may list one count per MoE layer.
 */
function megatronMoe(r: FieldReader, L: number, ffn: number): { spec: MoeSpec; text: string; moeLayers: number; residual: boolean } | undefined {
  const raw = r.raw(['--num-experts']);
  if (raw === undefined || raw === true) return undefined;
  // `--num-experts 64`, a list (`--num-experts 64 64 128`, `"[128, 64, 32, 16]"`, or a variable holding one).
  let text = String(raw).trim();
  const loc = r.doc.locate(['--num-experts']);
  const more = loc && /^\d+$/.test(text) ? /^(?:[ \t]+\d+)+(?=\s)/.exec(r.doc.text.slice(loc.offset + loc.length)) : null;
  if (more) text += more[0];
  const counts = text.replace(/^\[|\]$/g, '').trim().split(/[\s,]+/).map(Number);
  if (counts.length === 0 || counts.some((c) => !Number.isInteger(c) || c < 1)) {
    r.num(['--num-experts'], rule(COUNT));
    return undefined;
  }
  r.record(['--num-experts'], raw);
  const deepspeed = r.first([['--expert-interval'], ['--topk'], ['--moe-expert-parallel-size'], ['--moe-train-capacity-factor'], ['--moe-loss-coeff'], ['--deepspeed'], ['--deepspeed_config']]) !== undefined;
  let moeLayers: boolean[];
  let how: string;
  if (deepspeed) {
    const interval = n(r, '--expert-interval', 2, rule(COUNT));
    moeLayers = Array.from({ length: L }, (_, i) => (i + 1) % interval === 0);
    how = `experts in every ${interval}${r.has(['--expert-interval']) ? '' : ' (Megatron-DeepSpeed’s default --expert-interval)'}th layer`;
  } else {
    const freq = layerFreq(r, L);
    moeLayers = freq.layers;
    how = freq.text;
  }
  const nMoe = moeLayers.filter(Boolean).length;
  if (nMoe === 0 || Math.max(...counts) <= 1) return undefined;
  // Per-layer expert counts (Megatron-DeepSpeed's pyramid MoE) are averaged: the count is linear in E.
  const perLayer = counts.length === 1 ? counts[0] : undefined;
  if (counts.length > 1 && counts.length !== nMoe) {
    r.report(['--num-experts'], 'bad-value', `--num-experts lists ${counts.length} counts for ${nMoe} MoE layers`, 'warning');
    return undefined;
  }
  const experts = perLayer ?? counts.reduce((a, b) => a + b, 0) / counts.length;
  const k = deepspeed ? n(r, '--topk', 1, rule(COUNT)) : n(r, '--moe-router-topk', 2, rule(COUNT));
  const shared = n(r, '--moe-shared-expert-intermediate-size', 0);
  const spec: MoeSpec = {
    experts,
    perToken: k,
    expertFfn: n(r, '--moe-ffn-hidden-size', ffn),
    // PR-MoE (--mlp-type residual): a dense MLP beside the experts in every MoE layer, always on.
    sharedFfn: shared + (deepspeed && r.raw(['--mlp-type']) === 'residual' ? ffn : 0),
    sharedGate: on(r, '--moe-shared-expert-gate'),
    routerBias: false,
    denseLayers: L - nMoe,
  };
  const residual = deepspeed && r.raw(['--mlp-type']) === 'residual';
  if (residual) r.record(['--mlp-type'], 'residual');
  return { spec, moeLayers: nMoe, residual, text: `${residual ? 'PR-MoE (residual MLP and its 2-way coefficient beside the experts), ' : ''}${counts.length === 1 ? counts[0] : counts.join('/')} experts, top-${k}${(deepspeed ? r.has(['--topk']) : r.has(['--moe-router-topk'])) ? '' : ' (the framework’s default)'}, ${how}: ${nMoe} of ${L} layers` };
}

/** Megatron-LM's --moe-layer-freq: every k-th layer, or a Python list expression `[0]*3+[1]*29`. */
function layerFreq(r: FieldReader, L: number): { layers: boolean[]; text: string } {
  const raw = r.raw(['--moe-layer-freq']);
  if (raw === undefined || raw === true) return { layers: Array<boolean>(L).fill(true), text: 'experts in every layer' };
  r.record(['--moe-layer-freq'], raw);
  const text = String(raw).replace(/\s+/g, '');
  if (/^\d+$/.test(text)) {
    const k = Number(text);
    return { layers: Array.from({ length: L }, (_, i) => k > 0 && i % k === 0), text: `experts in every ${k}th layer (--moe-layer-freq)` };
  }
  const out: boolean[] = [];
  // The shell reader stops a value at ")", so `([0]+[1]*26)` arrives as `([0]+[1]*26`.
  for (const term of text.replace(/^\(/, '').replace(/\)$/, '').split('+')) {
    const m = /^\[([\d,]*)\](?:\*(\d+))?$/.exec(term);
    if (!m) {
      r.report(['--moe-layer-freq'], 'bad-value', `--moe-layer-freq ${String(raw)}: not a list LIM Lens can read; experts counted in every layer`, 'warning');
      return { layers: Array<boolean>(L).fill(true), text: 'experts in every layer (assumed)' };
    }
    const items = m[1] === '' ? [] : m[1].split(',').map((x) => x === '1');
    for (let i = 0; i < Number(m[2] ?? 1); i++) out.push(...items);
  }
  if (out.length !== L) r.report(['--moe-layer-freq'], 'bad-value', `--moe-layer-freq lists ${out.length} layers, --num-layers is ${L}`, 'warning');
  return { layers: out.slice(0, L), text: `experts where --moe-layer-freq has 1` };
}

/** Multi-latent attention (DeepSeek-V2/V3 in Megatron-LM): counted as the deepseek_v2 family from the same options. */
function megatronMla(r: FieldReader, ctx: FormatContext): ModelFacts | undefined {
  const x = dims(r, 'Megatron-LM multi-latent-attention model');
  if (!x) return undefined;
  const { L, d, H } = x;
  const ffn = n(r, '--ffn-hidden-size', 4 * d);
  const vocab = megatronVocab(r, ctx, { L, d, H, f: ffn });
  const experts = n(r, '--num-experts', 0, rule(COUNT));
  const fe = n(r, '--moe-ffn-hidden-size', ffn);
  const shared = n(r, '--moe-shared-expert-intermediate-size', 0);
  const freq = experts > 1 ? layerFreq(r, L).layers : Array<boolean>(L).fill(false);
  const firstDense = freq.indexOf(true) === -1 ? L : freq.indexOf(true);
  if (freq.slice(firstDense).some((v) => !v)) r.report(['--moe-layer-freq'], 'bad-value', 'MoE layers after the first dense ones are interleaved with dense layers; counted as if all later layers were MoE', 'warning');
  const config: Record<string, unknown> = {
    model_type: 'deepseek_v2',
    vocab_size: vocab.value,
    hidden_size: d,
    num_hidden_layers: L,
    num_attention_heads: H,
    intermediate_size: ffn,
    kv_lora_rank: n(r, '--kv-lora-rank', 512),
    q_lora_rank: r.has(['--q-lora-rank']) ? n(r, '--q-lora-rank', 0) : null,
    qk_nope_head_dim: n(r, '--qk-head-dim', 128),
    qk_rope_head_dim: n(r, '--qk-pos-emb-head-dim', 64),
    v_head_dim: n(r, '--v-head-dim', 128),
    n_routed_experts: Math.max(experts, 1),
    num_experts_per_tok: n(r, '--moe-router-topk', 2, rule(COUNT)),
    moe_intermediate_size: fe,
    n_shared_experts: shared > 0 && fe > 0 ? shared / fe : 0,
    first_k_dense_replace: firstDense,
    tie_word_embeddings: !on(r, '--untie-embeddings-and-output-weights'),
  };
  const doc: ParsedDoc = { file: r.file, syntax: 'json', text: '', data: config, diagnostics: [], locate: () => undefined };
  const sub = new FieldReader(doc);
  const hf = modelFromHfConfig(sub);
  for (const dgn of sub.diagnostics) r.report(['--multi-latent-attention'], dgn.code, `as a deepseek_v2 model: ${dgn.message}`, 'warning');
  if (!hf) return undefined;
  return {
    shape: hf.shape,
    source: { kind: 'computed', formula: `Megatron multi-latent attention counted as the deepseek_v2 family (--kv-lora-rank, --qk-head-dim, --qk-pos-emb-head-dim, --v-head-dim, ${experts} experts, top-${String(config.num_experts_per_tok)}, ${firstDense} dense layers first); vocabulary ${vocab.value}` },
    anchor: r.locate(['--num-layers']),
  };
}

/** pretrain_bert.py: a BERT encoder with Megatron's dimensions (the bert family's formula). */
function megatronBert(r: FieldReader, ctx: FormatContext, seq: number | undefined): ModelFacts | undefined {
  const x = dims(r, 'Megatron-LM BERT model');
  if (!x) return undefined;
  const { L, d, H } = x;
  const f = n(r, '--ffn-hidden-size', 4 * d);
  const P = n(r, '--max-position-embeddings', seq ?? 512, rule({ integer: true, max: 1e8 }));
  const vocab = megatronVocab(r, ctx, { L, d, H, f }, { vocab: 30522, why: 'BERT WordPiece vocabulary of bert-large-uncased (30,522), the vocabulary Megatron’s BERT examples use' });
  const doc: ParsedDoc = {
    file: r.file, syntax: 'json', text: '', diagnostics: [], locate: () => undefined,
    data: { model_type: 'bert', vocab_size: vocab.value, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, intermediate_size: f, max_position_embeddings: P, type_vocab_size: 2 },
  };
  const shape = countBert(new FieldReader(doc), [], 'megatron-bert');
  if (!shape) return undefined;
  return { shape, source: { kind: 'computed', formula: `Megatron BERT as a BERT encoder (${shape.formula}; the LM and binary heads not counted); vocabulary ${vocab.value}` }, anchor: r.locate(['--num-layers']) };
}

const VOCAB_VARIABLES = ['TOKENIZER_MODEL', 'TOKENIZER', 'TOKENIZER_PATH', 'HF_MODEL_CKPT', 'HF_MODEL', 'MODEL_NAME'];

function megatronVocab(r: FieldReader, ctx: FormatContext, shape: { L: number; d: number; H: number; f: number; gated?: boolean }, fallback?: { vocab: number; why: string }): Sourced<number> {
  const multiple = n(r, '--make-vocab-size-divisible-by', 128, rule(COUNT)) * n(r, '--tensor-model-parallel-size', 1, rule(COUNT));
  // Megatron-DeepSpeed's --pad-vocab-size-to is the padded size itself (BLOOM: 250880).
  const padded = r.num(['--pad-vocab-size-to'], rule(VOCAB));
  if (padded) return padded;
  const given = r.num(['--vocab-size'], rule(VOCAB));
  if (given) return { value: padVocab(given.value, multiple), source: given.source };
  // The tokenizer's model (a Hub id or a folder named after it), then its class, then a vocabulary file's name.
  for (const flag of ['--tokenizer-model', '--tokenizer-name-or-path', '--tokenizer-type', '--vocab-file']) {
    const v = r.raw([flag]);
    if (typeof v !== 'string') continue;
    const hit = tokenizerVocab(v) ?? (/gpt2-vocab\.json$/i.test(v) ? { vocab: 50257, from: 'GPT-2' } : undefined);
    if (hit) {
      r.record([flag], v);
      return { value: padVocab(hit.vocab, multiple), source: r.source([flag]) };
    }
    // A tokenizer in the workspace: the config.json of its folder.
    const local = flag !== '--tokenizer-type' ? vocabFromTokenizerPath(v, ctx) : undefined;
    if (local) {
      r.record([flag], v);
      return { value: padVocab(local.value, multiple), source: local.source };
    }
  }
  // Snippets that the launcher completes (`--tokenizer-model ${TOKENIZER_MODEL}`) set the model in a variable.
  for (const name of VOCAB_VARIABLES) {
    const v = r.doc.shell?.vars[name];
    const local = v ? vocabFromTokenizerPath(v, ctx) : undefined;
    if (local) return { value: padVocab(local.value, multiple), source: local.source };
    const hit = v ? tokenizerVocab(v) : undefined;
    if (hit) {
      const reason = `${name}=${v}: the tokenizer of ${hit.from} (${hit.vocab})`;
      r.assume('vocabulary', hit.vocab, reason);
      return { value: padVocab(hit.vocab, multiple), source: { kind: 'default', name: 'vocabulary', reason } };
    }
  }
  const type = r.raw(['--tokenizer-type']);
  const why = `${typeof type === 'string' ? `--tokenizer-type ${type} with no model LIM Lens knows` : 'no --vocab-size and no tokenizer LIM Lens knows'}`;
  if (fallback) {
    const reason = `${why}: the ${fallback.why}`;
    r.assume('vocabulary', fallback.vocab, reason);
    r.report(r.has(['--tokenizer-type']) ? ['--tokenizer-type'] : ['--num-layers'], 'vocab-assumed', `${reason}; give --vocab-size for an exact count`, 'warning');
    return { value: padVocab(fallback.vocab, multiple), source: { kind: 'default', name: 'vocabulary', reason } };
  }
  const library = typeof type === 'string' && /sentencepiece|llama/i.test(type) ? 'sentencepiece' : undefined;
  const a = assumedVocab(r, r.has(['--tokenizer-type']) ? ['--tokenizer-type'] : ['--num-layers'], { ...shape, library }, why);
  return { value: padVocab(a.vocab, multiple), source: { kind: 'default', name: 'vocabulary', reason: a.reason } };
}
