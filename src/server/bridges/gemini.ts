/** The Gemini bridge's public names (`openresponses/server` re-exports them). */

export { geminiModel } from "./gemini/model.js";
export type { GeminiModelOptions } from "./gemini/options.js";
