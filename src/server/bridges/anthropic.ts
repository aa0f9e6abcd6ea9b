/** The Anthropic bridge's public names (`openresponses/server` re-exports them). */

export { anthropicModel } from "./anthropic/model.js";
export type { AnthropicModelOptions } from "./anthropic/options.js";
