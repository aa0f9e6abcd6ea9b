/**
 * The common small create body checked by hand: a few fields, each a string, a boolean or a number, and
 * an `input` that is a string or a list of text messages (`{ role, content: "text" }`, as the OpenAI
 * SDK's users write them). The full check (`checkSchema` in request-validation.ts) walks the body for
 * its depth, copies it to apply the liberal readings and runs the spec's validator over it: on a small
 * JSON turn that is a share of the kit's own work, for a body none of those steps can refuse and whose
 * only reading (a message without `type` is a `message`) is made here the same way. Anything else
 * (another field, a null, an object, another kind of item, a value out of range) gets null here and goes
 * through the full check, so what is refused, and how, is decided there.
 */

import type { JsonRecord } from "../../internal/guards.js";

/**
 * The longest text the schema allows for `input` and a message's `content` (its `maxLength`, in code
 * points; a UTF-16 length this short is always within it).
 */
const MAX_TEXT_LENGTH = 10_485_760;

/** The fields taken here, each with the check the schema (`CreateResponseBody`) makes of it. */
const FIELDS = new Map<string, (value: unknown) => boolean>([
  ["model", isString],
  ["input", (value) => isText(value) || isTextMessages(value)],
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

/** The roles whose message items (`*MessageItemParam`) all take a string `content`. */
const ROLES = new Set(["user", "system", "developer", "assistant"]);

/**
 * `{ ok: true, body }` with the body the full check would give (a copy of `json`, with `type: "message"`
 * added to the messages that have none, as normalise-request.ts does), or null when the full check must
 * decide.
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
  if (fields === 0) return null;
  if (Array.isArray(body.input)) body.input = body.input.map(typedMessage);
  return { ok: true, body };
}

function isTextMessages(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  // Indexes, not `every`: a hole (an array made in code) is an item the full check refuses.
  for (let i = 0; i < value.length; i++) if (!isTextMessage(value[i])) return false;
  return true;
}

/** `{ role, content }` or `{ type: "message", role, content }`, the content a string: nothing else. */
function isTextMessage(item: unknown): boolean {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return false;
  const record = item as JsonRecord;
  for (const key in record) if (key !== "type" && key !== "role" && key !== "content") return false;
  const type = record.type;
  return (
    (type === undefined || type === "message") &&
    typeof record.role === "string" &&
    ROLES.has(record.role) &&
    isText(record.content)
  );
}

/**
 * normalise-request.ts's reading of a message without `type`: a copy with `type: "message"` after its
 * fields, in their order (`{ ...item, type }`, which costs about a microsecond an item on Node 20, as a
 * literal of the two orders an untyped text message can have).
 */
function typedMessage(item: JsonRecord): JsonRecord {
  if (item.type !== undefined) return item;
  for (const key in item) {
    return key === "role"
      ? { role: item.role, content: item.content, type: "message" }
      : { content: item.content, role: item.role, type: "message" };
  }
  return item;
}

function isText(value: unknown): boolean {
  return typeof value === "string" && value.length <= MAX_TEXT_LENGTH;
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
