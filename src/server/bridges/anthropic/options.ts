/** The options of `anthropicModel()`: where Anthropic is, how to authenticate, and the request defaults. */

import type { UpstreamOptions } from "../upstream.js";

export interface AnthropicModelOptions extends UpstreamOptions {
  /** Default `https://api.anthropic.com`; requests go to `{baseURL}/v1/messages`. */
  baseURL?: string;
  /** Sent as `x-api-key`. */
  apiKey?: string | null | undefined;
  /** The model sent upstream whatever the request names; default the request's `model`. */
  model?: string;
  /** The `anthropic-version` header. Default `2023-06-01`. */
  anthropicVersion?: string;
  /** `max_tokens` when the request sets no `max_output_tokens` (Messages requires one). Default 8192. */
  maxTokens?: number;
  /**
   * How `reasoning.effort` is sent: `"budget"` (default) as `thinking: { type: "enabled", budget_tokens }`,
   * `"adaptive"` as `thinking: { type: "adaptive" }` plus `output_config.effort` (newer models).
   */
  thinking?: "budget" | "adaptive";
  /** Thinking budgets (tokens) per effort for `thinking: "budget"`. Default 2048 / 8192 / 16384 / 32768. */
  thinkingBudgets?: Partial<Record<"low" | "medium" | "high" | "xhigh", number>>;
}
