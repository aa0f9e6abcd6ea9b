/**
 * The common small create body (`{ model, input: "text", stream, ... }`: a few fields, each a string, a
 * boolean or a number) checked by hand. The full check (`checkSchema` in request-validation.ts) walks the
 * body for its depth, copies it to apply the liberal readings and runs the spec's validator over it: on a
 * small JSON turn that is a share of the kit's own work, for a body none of those steps can change or
 * refuse. Anything else (another field, a null, an array, an object, a value out of range) gets null
 * here and goes through the full check, so what is accepted, refused and how is decided there.
 */

import type { JsonRecord } from "../../internal/guards.js";

/** The longest `input` string the schema allows (its `maxLength`, in code points; a UTF-16 length this short is always within it). */
const MAX_INPUT_LENGTH = 10_485_760;

/** The fields taken here, each with the check the schema (`CreateResponseBody`) makes of it. */
const FIELDS = new Map<string, (value: unknown) => boolean>([
  ["model", isString],
  ["input", (value) => typeof value === "string" && value.length <= MAX_INPUT_LENGTH],
  ["instructions", isString],
  ["previous_response_id", isString],
  ["stream", isBoolean],
  ["store", isBoolean],
  // The validator's `integer` and `minimum: 16`.
  ["max_output_tokens", (value) => typeof value === "number" && Number.isInteger(value) && value >= 16],
  // The validator's `number`: finite.
  ["temperature", isFiniteNumber],
  ["top_p", isFiniteNumber],
]);

/**
 * `{ ok: true, body }` with the copy of `json` that the full check would give (no liberal reading applies
 * to these fields, and the schema accepts them), or null when the full check must decide.
 */
export function plainCreateBody(json: unknown): { ok: true; body: JsonRecord } | null {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  // The copy the full check makes, checked rather than `json`: what is checked is what is kept.
  const body: JsonRecord = { ...(json as JsonRecord) };
  let fields = 0;
  for (const key in body) {
    const check = FIELDS.get(key);
    if (check === undefined || !check(body[key])) return null;
    fields++;
  }
  return fields === 0 ? null : { ok: true, body };
}

function isString(value: unknown): boolean {
  return typeof value === "string";
}

function isBoolean(value: unknown): boolean {
  return typeof value === "boolean";
}

function isFiniteNumber(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value);
}
