/** The Gemini bridge's public names (`openresponses/server` re-exports them). */

export { type GeminiModelOptions, geminiModel } from "./gemini/model.js";
