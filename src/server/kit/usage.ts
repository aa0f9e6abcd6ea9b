/**
 * Approximate token accounting. A model that knows its real counts yields a `usage` part; otherwise the
 * kit estimates one token per four characters, which is what clients need to show a plausible figure.
 */

import type { Usage } from "../../spec/index.js";

const CHARS_PER_TOKEN = 4;

export function estimateTokens(characters: number): number {
  return characters <= 0 ? 0 : Math.ceil(characters / CHARS_PER_TOKEN);
}

/** Counts the characters of the text a model would read in a context (text, arguments, outputs). */
export function countContextCharacters(value: unknown, depth = 0): number {
  // The depth bound keeps a hostile, deeply nested input from exhausting the stack.
  if (depth > 32) return 0;
  if (typeof value === "string") return value.length;
  if (Array.isArray(value))
    return value.reduce((sum: number, entry) => sum + countContextCharacters(entry, depth + 1), 0);
  if (typeof value !== "object" || value === null) return 0;
  let sum = 0;
  for (const [key, entry] of Object.entries(value)) {
    // Ids, types and statuses are bookkeeping, not text the model reads.
    if (key === "id" || key === "type" || key === "status" || key === "call_id" || key === "role") continue;
    sum += countContextCharacters(entry, depth + 1);
  }
  return sum;
}

export function buildUsage(
  counts: { inputChars: number; outputChars: number; reasoningChars: number },
  reported: Partial<Usage> | undefined,
): Usage {
  const input = reported?.input_tokens ?? estimateTokens(counts.inputChars);
  const reasoning =
    reported?.output_tokens_details?.reasoning_tokens ?? estimateTokens(counts.reasoningChars);
  const output = reported?.output_tokens ?? estimateTokens(counts.outputChars) + reasoning;
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: reported?.total_tokens ?? input + output,
    input_tokens_details: { cached_tokens: reported?.input_tokens_details?.cached_tokens ?? 0 },
    output_tokens_details: { reasoning_tokens: reasoning },
  };
}

/** Merges a model's `usage` part into what it reported before (later fields win). */
export function mergeUsage(previous: Partial<Usage> | undefined, next: Partial<Usage>): Partial<Usage> {
  return {
    ...previous,
    ...next,
    input_tokens_details: {
      ...previous?.input_tokens_details,
      ...next.input_tokens_details,
    } as Usage["input_tokens_details"],
    output_tokens_details: {
      ...previous?.output_tokens_details,
      ...next.output_tokens_details,
    } as Usage["output_tokens_details"],
  };
}
