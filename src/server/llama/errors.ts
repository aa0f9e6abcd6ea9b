/**
 * The error of a missing `node-llama-cpp`, in a file of its own (no Node import), so that both builds
 * of `openresponses/server` export the one class.
 */

/**
 * Thrown when `node-llama-cpp`, the optional package that runs GGUF models, is not installed where
 * `openresponses` can import it. `code` is `"llama_cpp_unavailable"`.
 */
export class LlamaCppUnavailableError extends Error {
  override readonly name = "LlamaCppUnavailableError";
  /** The error's code, also in the E1 body when it reaches a client. */
  readonly code = "llama_cpp_unavailable";
}
