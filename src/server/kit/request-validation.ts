/**
 * Turns an untrusted JSON value into a typed request body, or into a spec error (rule E1) that names the
 * offending field in `param`. Schema checks come from the spec validator; the checks here are the ones a
 * schema cannot express (a named tool must exist, features this kit does not offer).
 */

import type { CompactResponseMethodPublicBody, CreateResponseBody } from "../../spec/index.js";
import { MAX_BODY_DEPTH, pathDeeperThan } from "./depth.js";
import { invalidRequest, type KitError } from "./kit-error.js";
import { normaliseRequest, schemaView } from "./normalise-request.js";
import { plainCreateBody } from "./plain-body.js";
import { firstSchemaIssue } from "./schema-check.js";
import { unknownToolChoiceNames } from "./tool-policy.js";

export { MAX_BODY_DEPTH };

export type ParseResult<T> = { ok: true; body: T } | { ok: false; error: KitError };

export function parseCreateBody(json: unknown): ParseResult<CreateResponseBody> {
  const shape = plainCreateBody(json) ?? checkSchema("CreateResponseBody", json);
  if (!shape.ok) return shape;
  const body = shape.body as unknown as CreateResponseBody;
  if (body.background === true) {
    return fail(
      "`background: true` is not supported by this server: responses run while the request is open. Omit `background` or send false.",
      "background",
      "unsupported_parameter",
    );
  }
  const duplicate = firstDuplicateName(body.tools ?? []);
  if (duplicate !== undefined)
    return fail(
      `The tool name '${duplicate}' is used more than once in \`tools\`; give each tool a unique name.`,
      "tools",
      "duplicate_tool",
    );
  const unknown = unknownToolChoiceNames(body);
  if (unknown.length > 0) {
    return fail(
      `tool_choice names a tool that is not in \`tools\`: ${unknown.join(", ")}. Name one of the tools ` +
        `in \`tools\` (${toolNames(body)}), or add it there.`,
      "tool_choice",
      "unknown_tool",
    );
  }
  return { ok: true, body };
}

export function parseCompactBody(json: unknown): ParseResult<CompactResponseMethodPublicBody> {
  if (isObject(json) && (json.model === undefined || json.model === null || json.model === "")) {
    // H2: compaction names its model; report it plainly rather than as a generic schema issue.
    return fail(
      "The `model` field is required: name the model that compacts (a string, as in `POST /responses`).",
      "model",
      "missing_required_parameter",
    );
  }
  const shape = checkSchema("CompactResponseMethodPublicBody", json);
  if (!shape.ok) return shape;
  return { ok: true, body: shape.body as unknown as CompactResponseMethodPublicBody };
}

/**
 * The body as the kit reads it (see `normalise-request.ts`), or the first reason it is refused. Exported
 * for the test that holds `plainCreateBody` to it.
 */
export function checkSchema(
  schema: "CreateResponseBody" | "CompactResponseMethodPublicBody",
  json: unknown,
): ParseResult<Record<string, unknown>> {
  const refused = (error: KitError) => ({ ok: false as const, error });
  if (!isObject(json))
    return refused(invalidRequest("The request body must be a JSON object.", null, "invalid_body"));
  // Checked first: a few kilobytes of `[[[[...` would otherwise overflow the stack of the recursive
  // code after it (validation, structuredClone of the snapshot) and answer 500, or cut an SSE stream.
  const tooDeep = pathDeeperThan(json, MAX_BODY_DEPTH);
  if (tooDeep !== null) {
    return refused(
      invalidRequest(
        `The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`,
        tooDeep,
        "nesting_too_deep",
      ),
    );
  }
  const { body, valid } = normaliseRequest(schema, json);
  const issue = valid ? null : firstSchemaIssue(schema, schemaView(body));
  if (issue)
    return refused(invalidRequest(`Invalid request body: ${issue.message}`, issue.param, "invalid_type"));
  return { ok: true, body };
}

/** O(n): a Set, not `indexOf` per tool (150k tools took seconds). */
function firstDuplicateName(tools: ReadonlyArray<{ name: string }>): string | undefined {
  if (tools.length < 2) return undefined;
  const seen = new Set<string>();
  for (const { name } of tools) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function toolNames(body: CreateResponseBody): string {
  const names = (body.tools ?? [])
    .map((tool) => (tool as { name?: unknown }).name)
    .filter((name) => typeof name === "string");
  return names.length === 0 ? "there are none" : names.join(", ");
}

function fail(message: string, param: string, code: string): { ok: false; error: KitError } {
  return { ok: false, error: invalidRequest(message, param, code) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
