/**
 * Turns an untrusted JSON value into a typed request body, or into a spec error (rule E1) that names the
 * offending field in `param`. Schema checks come from the spec validator; the checks here are the ones a
 * schema cannot express (a named tool must exist, features this kit does not offer).
 */

import type { CompactResponseMethodPublicBody, CreateResponseBody } from "../../spec/index.js";
import { MAX_BODY_DEPTH, pathDeeperThan } from "./depth.js";
import { firstSchemaIssue } from "./schema-check.js";
import { invalidRequest, type KitError } from "./spec-error.js";
import { unknownToolChoiceNames } from "./tool-policy.js";

export { MAX_BODY_DEPTH };

export type ParseResult<T> = { ok: true; body: T } | { ok: false; error: KitError };

export function parseCreateBody(json: unknown): ParseResult<CreateResponseBody> {
  const shape = checkSchema("CreateResponseBody", json);
  if (shape) return { ok: false, error: shape };
  const body = json as CreateResponseBody;
  if (body.background === true) {
    return fail(
      "Background mode is not supported by this server; omit `background`.",
      "background",
      "unsupported_parameter",
    );
  }
  const duplicate = firstDuplicateName(body.tools ?? []);
  if (duplicate !== undefined)
    return fail(`The tool name '${duplicate}' is used more than once.`, "tools", "duplicate_tool");
  const unknown = unknownToolChoiceNames(body);
  if (unknown.length > 0) {
    return fail(
      `tool_choice names a tool that is not in \`tools\`: ${unknown.join(", ")}.`,
      "tool_choice",
      "unknown_tool",
    );
  }
  return { ok: true, body };
}

export function parseCompactBody(json: unknown): ParseResult<CompactResponseMethodPublicBody> {
  if (isObject(json) && (json.model === undefined || json.model === null || json.model === "")) {
    // H2: compaction names its model; report it plainly rather than as a generic schema issue.
    return fail("The `model` field is required.", "model", "missing_required_parameter");
  }
  const shape = checkSchema("CompactResponseMethodPublicBody", json);
  if (shape) return { ok: false, error: shape };
  return { ok: true, body: json as CompactResponseMethodPublicBody };
}

function checkSchema(
  schema: "CreateResponseBody" | "CompactResponseMethodPublicBody",
  json: unknown,
): KitError | null {
  if (!isObject(json)) return invalidRequest("The request body must be a JSON object.", null, "invalid_body");
  // Checked first: a few kilobytes of `[[[[...` would otherwise overflow the stack of the recursive
  // code after it (validation, structuredClone of the snapshot) and answer 500, or cut an SSE stream.
  const tooDeep = pathDeeperThan(json, MAX_BODY_DEPTH);
  if (tooDeep !== null) {
    return invalidRequest(
      `The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`,
      tooDeep,
      "nesting_too_deep",
    );
  }
  const issue = firstSchemaIssue(schema, withoutPrefixedInputItems(json));
  return issue ? invalidRequest(`Invalid request body: ${issue.message}`, issue.param, "invalid_type") : null;
}

/**
 * X1/X2: a provider-prefixed item (`acme:trace`) that a server emitted must be accepted back as input,
 * kept as it came. `ItemParam` is a closed union, so such items are left out of the schema check only;
 * un-prefixed unknown types are still refused.
 */
function withoutPrefixedInputItems(json: Record<string, unknown>): Record<string, unknown> {
  const input = json.input;
  if (!Array.isArray(input) || !input.some(isPrefixedItem)) return json;
  // Indexes in error paths must still point into the body as sent, so masked items become references.
  return {
    ...json,
    input: input.map((item) => (isPrefixedItem(item) ? { type: "item_reference", id: "x" } : item)),
  };
}

function isPrefixedItem(item: unknown): boolean {
  if (!isObject(item) || typeof item.type !== "string") return false;
  const colon = item.type.indexOf(":");
  return colon > 0 && colon < item.type.length - 1;
}

/** O(n): a Set, not `indexOf` per tool (150k tools took seconds). */
function firstDuplicateName(tools: ReadonlyArray<{ name: string }>): string | undefined {
  const seen = new Set<string>();
  for (const { name } of tools) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function fail(message: string, param: string, code: string): { ok: false; error: KitError } {
  return { ok: false, error: invalidRequest(message, param, code) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
