/**
 * Be liberal in what you accept: turns what mainstream clients send into the specification's request
 * shape before the schema check, without changing what the request means.
 *
 * - An input item with a `role` but no `type` is a `message` (the schema's default for `type`).
 * - `null` where the schema has no null means "not set": the field is dropped (`tools[].strict: null`,
 *   `include: null`, `text.verbosity: null`, ...). Only nulls the schema would refuse are touched, so a
 *   null the schema allows (and an item the kit itself emitted) stays exactly as it came.
 * - `reasoning.effort: "minimal"` (OpenAI's name for the lowest non-zero effort, which the spec
 *   describes but does not list) becomes `"low"`, the spec's lowest non-zero effort.
 *
 * `text.format: { type: "json_object" }` is accepted too (see `withJsonObjectAsText`).
 *
 * Reasoning items the kit emitted carry their `content`, which `ReasoningItemParam` types as null: that
 * is handled by `schemaView`, which hides it from the schema check only, so the context keeps it.
 */

import { isRecord, type JsonRecord } from "../../internal/guards.js";
import { validate } from "../../spec/index.js";

/** Rounds of "drop the nulls the schema refused, check again"; each round removes every null it reports. */
const MAX_NULL_ROUNDS = 8;

/**
 * A copy of `json` with the liberal readings applied (`json` itself is not changed), and whether its
 * `schemaView` already passed the schema check, so a valid request is validated once.
 */
export function normaliseRequest(
  schema: "CreateResponseBody" | "CompactResponseMethodPublicBody",
  json: JsonRecord,
): { body: JsonRecord; valid: boolean } {
  const body: JsonRecord = { ...json };
  if (Array.isArray(body.input)) body.input = body.input.map(typedItem);
  if (isRecord(body.reasoning) && body.reasoning.effort === "minimal") {
    body.reasoning = { ...body.reasoning, effort: "low" };
  }
  return dropRefusedNulls(schema, body);
}

/**
 * What the schema check sees: reasoning items keep their `content` in the body, but the check reads
 * them without it (a reasoning item's text is the kit's own output coming back, rule I5).
 */
export function schemaView(body: JsonRecord): JsonRecord {
  return withoutPrefixedInputItems(withoutReasoningContent(withJsonObjectAsText(body)));
}

/**
 * `text.format: { type: "json_object" }` (JSON mode, which OpenAI's clients send) is not a request
 * format of the spec, but the response side has it (`JsonObjectResponseFormat`) and the built-in model
 * answers it, so it is accepted: checked as `text`, echoed as `json_object`.
 */
function withJsonObjectAsText(body: JsonRecord): JsonRecord {
  const text = body.text;
  if (!isRecord(text) || !isRecord(text.format) || text.format.type !== "json_object") return body;
  const { type: _type, ...rest } = text.format;
  if (Object.keys(rest).length > 0) return body;
  return { ...body, text: { ...text, format: { type: "text" } } };
}

function withoutReasoningContent(body: JsonRecord): JsonRecord {
  const input = body.input;
  if (!Array.isArray(input) || !input.some(isReasoningWithContent)) return body;
  return {
    ...body,
    input: input.map((item) => {
      if (!isReasoningWithContent(item)) return item;
      const { content: _content, ...rest } = item;
      return rest;
    }),
  };
}

/**
 * X1/X2: a provider-prefixed item (`acme:trace`) that a server emitted must be accepted back as input,
 * kept as it came. `ItemParam` is a closed union, so such items are left out of the schema check only;
 * un-prefixed unknown types are still refused.
 */
function withoutPrefixedInputItems(json: JsonRecord): JsonRecord {
  const input = json.input;
  if (!Array.isArray(input) || !input.some(isPrefixedItem)) return json;
  // Indexes in error paths must still point into the body as sent, so masked items become references.
  return {
    ...json,
    input: input.map((item) => (isPrefixedItem(item) ? { type: "item_reference", id: "x" } : item)),
  };
}

function isPrefixedItem(item: unknown): boolean {
  if (!isRecord(item) || typeof item.type !== "string") return false;
  const colon = item.type.indexOf(":");
  return colon > 0 && colon < item.type.length - 1;
}

function typedItem(item: unknown): unknown {
  if (!isRecord(item) || (item.type !== undefined && item.type !== null)) return item;
  if (typeof item.role !== "string") return item;
  return { ...item, type: "message" };
}

function isReasoningWithContent(item: unknown): item is JsonRecord {
  return isRecord(item) && item.type === "reasoning" && Array.isArray(item.content);
}

/**
 * Drops each null the schema refuses (an issue "expected ..., got null" at a property path). Validation
 * runs only on a body that is not already valid, so a well-formed request costs one check.
 */
function dropRefusedNulls(
  schema: "CreateResponseBody" | "CompactResponseMethodPublicBody",
  body: JsonRecord,
): { body: JsonRecord; valid: boolean } {
  let current = body;
  for (let round = 0; round < MAX_NULL_ROUNDS; round++) {
    const result = validate(schema, schemaView(current));
    if (result.valid) return { body: current, valid: true };
    const paths = result.errors
      .filter((issue) => issue.message.endsWith("got null"))
      .map((issue) => parsePath(issue.path))
      .filter((path): path is Array<string | number> => path !== null && path.length > 0);
    let changed = false;
    for (const path of paths) {
      const next = withoutNullAt(current, path);
      if (next !== current) {
        current = next;
        changed = true;
      }
    }
    if (!changed) return { body: current, valid: false };
  }
  return { body: current, valid: false };
}

/** `input[0].content[2].logprobs` → `["input", 0, "content", 2, "logprobs"]`; null when unreadable. */
function parsePath(path: string): Array<string | number> | null {
  const parts: Array<string | number> = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]/g;
  let consumed = 0;
  for (const match of path.matchAll(pattern)) {
    if (match.index === undefined) return null;
    const gap = path.slice(consumed, match.index);
    if (gap !== "" && gap !== ".") return null;
    parts.push(match[2] !== undefined ? Number(match[2]) : (match[1] as string));
    consumed = match.index + match[0].length;
  }
  return consumed === path.length ? parts : null;
}

/** A copy of `root` without the null property at `path` (copying only the objects on the way). */
function withoutNullAt(root: JsonRecord, path: Array<string | number>): JsonRecord {
  const copy = (value: unknown, depth: number): unknown => {
    const key = path[depth];
    if (depth === path.length - 1) {
      if (typeof key !== "string" || !isRecord(value) || value[key] !== null) return value;
      const { [key]: _dropped, ...rest } = value;
      return rest;
    }
    if (typeof key === "number" && Array.isArray(value) && key < value.length) {
      const inner = copy(value[key], depth + 1);
      if (inner === value[key]) return value;
      const list = value.slice();
      list[key] = inner;
      return list;
    }
    if (typeof key === "string" && isRecord(value) && Object.hasOwn(value, key)) {
      const inner = copy(value[key], depth + 1);
      return inner === value[key] ? value : { ...value, [key]: inner };
    }
    return value;
  };
  return copy(root, 0) as JsonRecord;
}
