/**
 * Reads environment variables without assuming Node: browsers and some edge runtimes have no `process`,
 * and Deno throws on `process.env` access without permission, so every step is guarded.
 */
export function readEnv(name: string): string | undefined {
  try {
    const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
    const value = proc?.env?.[name];
    if (typeof value !== "string") return undefined;
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  } catch {
    return undefined;
  }
}
