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
  let sum = 0;
  // Loops rather than `reduce` and `Object.entries`: no closure or pair per entry on every turn.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) sum += countContextCharacters(value[i], depth + 1);
    return sum;
  }
  if (typeof value !== "object" || value === null) return 0;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    // Ids, types and statuses are bookkeeping, not text the model reads.
    if (key === "id" || key === "type" || key === "status" || key === "call_id" || key === "role") continue;
    sum += countContextCharacters(record[key], depth + 1);
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

/**
 * Merges a model's `usage` part into what it reported before: a field `next` has (its own, as a spread
 * would copy it) wins. Only the fields `buildUsage` reads are kept. Written out rather than spread
 * (`{ ...previous, ...next, details }`): V8 (Node 20) keeps such an object alive through young-generation
 * collections after it is dead.
 */
export function mergeUsage(previous: Partial<Usage> | undefined, next: Partial<Usage>): Partial<Usage> {
  return {
    input_tokens: later(previous, next, "input_tokens"),
    output_tokens: later(previous, next, "output_tokens"),
    total_tokens: later(previous, next, "total_tokens"),
    input_tokens_details: {
      cached_tokens: later(previous?.input_tokens_details, next.input_tokens_details, "cached_tokens"),
    } as Usage["input_tokens_details"],
    output_tokens_details: {
      reasoning_tokens: later(
        previous?.output_tokens_details,
        next.output_tokens_details,
        "reasoning_tokens",
      ),
    } as Usage["output_tokens_details"],
  };
}

const ownEnumerable = Object.prototype.propertyIsEnumerable;

/** `{ ...earlier, ...next }[key]`, without making the merged object. */
function later(earlier: unknown, next: unknown, key: string): number | undefined {
  const from = hasOwn(next, key) ? next : hasOwn(earlier, key) ? earlier : undefined;
  return (from as Record<string, number | undefined> | undefined)?.[key];
}

function hasOwn(value: unknown, key: string): boolean {
  return value !== null && value !== undefined && ownEnumerable.call(value, key);
}
