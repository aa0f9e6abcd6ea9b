/**
 * The public types of `llamaCppModel`. They name no type of `node-llama-cpp`, an optional package: the
 * declarations of `openresponses/server` must type-check for users who never install it.
 */

import type { Model } from "../model.js";

/** Where inference runs: a GPU backend, `"auto"` (the best one found, else the CPU), or `false` (CPU). */
export type LlamaCppGpu = "auto" | "cuda" | "vulkan" | "metal" | false;

/** The options of `llamaCppModel()`: the file, and how much memory and CPU it may take. */
export interface LlamaCppModelOptions {
  /** The `.gguf` file to load. */
  modelPath: string;
  /**
   * The context window of one request, in tokens: its input and output together. Default: the model's
   * trained context, at most 4096. A request whose input does not fit is refused (400
   * `context_length_exceeded`) unless it sets `truncation: "auto"`.
   */
  contextSize?: number;
  /**
   * How many requests generate at once, each in its own sequence of the one loaded context (memory
   * grows with `sequences × contextSize`); further requests wait for a free one. Default 2.
   */
  sequences?: number;
  /**
   * CPU threads for inference. Default: one per core that does math. On a machine other work keeps
   * busy, fewer threads than cores are much faster: llama.cpp's threads spin while they wait.
   */
  threads?: number;
  /** Default `"auto"`. */
  gpu?: LlamaCppGpu;
  /** Layers to offload to the GPU: a number, `"max"`, or `"auto"` (default: as many as fit). */
  gpuLayers?: number | "auto" | "max";
  /** The `model` reported in responses when a request names none. Default: the file's name without `.gguf`. */
  name?: string;
  /** The most tokens one response may generate, whatever the request asks. Default: no cap but the window. */
  maxOutputTokens?: number;
  /** Seeds sampling, so the same request at the same temperature gives the same answer. Default: random. */
  seed?: number;
}

/** What `load()` reports about the loaded model. */
export interface LlamaCppModelInfo {
  /** The name reported in responses (see `LlamaCppModelOptions.name`). */
  name: string;
  /** The file loaded. */
  modelPath: string;
  /** The file's size in bytes. */
  fileBytes: number;
  /** The context window of one request, in tokens. */
  contextSize: number;
  /** The context the model was trained with, in tokens. */
  trainContextSize: number;
  /** How many requests generate at once. */
  sequences: number;
  /** CPU threads for inference. */
  threads: number;
  /** The GPU backend in use, or `false` for the CPU. */
  gpu: Exclude<LlamaCppGpu, "auto">;
  /** Layers offloaded to the GPU. */
  gpuLayers: number;
  /** The chat format node-llama-cpp chose from the model's template (e.g. `JinjaTemplate`, `Llama3_1`). */
  chatFormat: string;
  /** Whether that chat format lets the model call several tools in one turn. */
  parallelToolCalls: boolean;
  /** Whether the model's chat format has thinking segments (reported as reasoning). */
  reasoning: boolean;
}

/** A `Model` backed by a GGUF file, loaded on first use (or by `load()`) and kept until `close()`. */
export interface LlamaCppModel extends Model {
  /** Loads the model now (the first request otherwise does), and reports what was loaded. */
  load(): Promise<LlamaCppModelInfo>;
  /** Stops every generation in flight and frees the model's memory; a later request loads it again. */
  close(): Promise<void>;
}
