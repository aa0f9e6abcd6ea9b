/**
 * A bound on how deeply a request's JSON may nest. The kit's later steps (validation, structuredClone of
 * snapshots, JSON.stringify of a context) are recursive, so a few kilobytes of `[[[[...` could otherwise
 * overflow the stack: a 500, or an SSE stream cut before its terminal event.
 */

/** Deepest nesting of arrays and objects accepted; real requests (tool schemas included) stay far below. */
export const MAX_BODY_DEPTH = 128;

/**
 * The path of the first value nested deeper than `limit` (its first levels only, to keep `param`
 * short), or null. Iterative, so it cannot overflow the stack itself.
 */
export function pathDeeperThan(root: object, limit: number): string | null {
  const shown = 8;
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: root, depth: 0, path: "" }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (depth >= limit) return path;
    const entries: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((entry, index) => [`[${index}]`, entry])
      : Object.entries(value as Record<string, unknown>).map(([key, entry]) => [
          path ? `.${key}` : key,
          entry,
        ]);
    for (const [step, entry] of entries) {
      if (typeof entry !== "object" || entry === null) continue;
      stack.push({ value: entry, depth: depth + 1, path: depth < shown ? path + step : path });
    }
  }
  return null;
}
