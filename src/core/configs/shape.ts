/** What the engine knows about a model's architecture once its config has been read. */

export type Architecture = 'decoder' | 'encoder' | 'encoder-decoder' | 'vision-transformer' | 'cnn';

/** A linear layer repeated in every transformer block: what LoRA adapters attach to. */
export interface LinearShape {
  name: string;
  inFeatures: number;
  outFeatures: number;
  /** Copies per block (experts, or 2 for T5 decoder self + cross attention). */
  copies: number;
}

export interface ParamCount {
  total: number;
  /** Parameters touched per token: equals total except for mixture-of-experts. */
  active: number;
  /** Token, position and output embeddings (what Kaplan's "non-embedding" count leaves out). */
  embedding: number;
}

export interface ModelShape {
  family: string;
  /** `model_type` as written, or the family for formats without one. */
  modelType: string;
  architecture: Architecture;
  params: ParamCount;
  /** Which counting convention `params` follows. */
  convention: string;
  /** The formula used, in the notation of docs/configs.md. */
  formula: string;
  layers: number;
  hidden: number;
  heads: number;
  headDim: number;
  vocab: number;
  maxPositions?: number;
  experts?: { total: number; perToken: number };
  /** Per-block linear layers, for LoRA adapter sizes. */
  linears: LinearShape[];
  /** Vision models: forward multiply-adds per sample at `imageSize`, for compute = 2·3·MACs·samples. */
  forwardMacsPerSample?: number;
  imageSize?: number;
}

export const NUM_PARAMETERS_CONVENTION = 'model.num_parameters() (tied weights counted once, no buffers)';
