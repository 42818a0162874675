// The configs of test/fixtures/workspace, in the order the Training Runs view lists them (workspace-relative
// paths). One list for every suite that opens that workspace: the integration tests (sidebar, commands) and the
// webview tests' fixed data.
export const FIXTURE_CONFIGS: readonly string[] = [
  'axolotl/qlora.yml',
  'finetune/training_args.json',
  'models/llama-2-7b/config.json',
  'models/mixtral-8x7b/config.json',
  'pretrain/pretrain_gpt_1.3b.sh',
  'runs/llama-2-7b-pretrain.lim.yaml',
  'runs/mixtral-what-if.lim.yaml',
];
