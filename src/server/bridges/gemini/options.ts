/** The options of `geminiModel()`: where the Gemini API is, how to authenticate, and the request defaults. */

import type { UpstreamOptions } from "../upstream.js";

export interface GeminiModelOptions extends UpstreamOptions {
  /**
   * The API root including its version, default `https://generativelanguage.googleapis.com/v1beta`;
   * requests go to `{baseURL}/models/{model}:streamGenerateContent?alt=sse`.
   */
  baseURL?: string;
  /** Sent as `x-goog-api-key`. */
  apiKey?: string | null | undefined;
  /** The model sent upstream whatever the request names (a `models/` prefix is dropped); default the request's. */
  model?: string;
  /**
   * How `reasoning.effort` is sent: `"budget"` (default) as `thinkingConfig.thinkingBudget`, `"level"` as
   * `thinkingConfig.thinkingLevel` (Gemini 3 models).
   */
  thinking?: "budget" | "level";
  /** Thinking budgets (tokens) per effort for `thinking: "budget"`. Default 1024 / 8192 / 24576 / 32768. */
  thinkingBudgets?: Partial<Record<"low" | "medium" | "high" | "xhigh", number>>;
}
