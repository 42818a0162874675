/**
 * The checks of the real-config corpus that LIM Lens does not pass yet: what the issue on real configs from real
 * repositories is to fix (fine-tunes sized as pretraining, NeMo interpolations, missing families, Megatron's vocabulary
 * and MoE flags, checkpoint folders). Each is reported as a to-do, not a failure; a listed check that starts to pass
 * fails the stage until it is taken off this list, so the list stays true.
 */
export const KNOWN_GAPS: ReadonlyArray<readonly [file: string, check: string]> = [
  // Here the corpus, not the engine, is behind: its bound for this DPO recipe (1,000 steps × batch 4 × accumulation 8
  // pairs × 2 × 1,024 tokens = 65,536,000) is for one device, but the recipe's header launches it on two (`tune run
  // --nnodes 1 --nproc_per_node 2 lora_dpo_distributed`; torchtune's batch_size is per device), so the file's own bound
  // is 131,072,000. Off this list once expected-runs.json says so.
  ['torchtune/pytorch__torchtune__recipes__configs__llama3_1__8B_lora_dpo.yaml', 'tokens under the file’s bound'],
];
