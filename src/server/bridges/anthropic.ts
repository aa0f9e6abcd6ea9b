/** The Anthropic bridge's public names (`openresponses/server` re-exports them). */

export { type AnthropicModelOptions, anthropicModel } from "./anthropic/model.js";
