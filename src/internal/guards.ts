/**
 * Type guards every part needs. One home, so "a plain object" means the same thing in the client, the
 * streaming engine, the server kit and the CLI. Private: no entry re-exports this folder.
 */

/** A JSON object as it came off the wire: keys are data, values are unchecked. */
export type JsonRecord = Record<string, unknown>;

/** True for a non-null, non-array object: what `JSON.parse` gives for `{...}`. */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value when it is a string, else `undefined` (for reading optional wire fields). */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
