/**
 * Schema checks with the tolerance the specification grants (X1–X4): provider-prefixed items, content
 * and events are valid, and extra fields are allowed. An item or content part whose type is neither
 * standard nor prefixed is reported once under X1 and kept out of the schema findings, so one break
 * gives one rule.
 */

import type { JsonRecord } from "../../internal/guards.js";
import { isExtensionType, type SchemaName, schemaNames, validate } from "../../spec/index.js";
import { schemas } from "../../spec/schemas.gen.js";
import type { FindingList } from "./findings.js";

export const STANDARD_ITEM_TYPES: ReadonlySet<string> = new Set([
  "message",
  "function_call",
  "function_call_output",
  "reasoning",
  "compaction",
]);

export function isPrefixed(type: string): boolean {
  const colon = type.indexOf(":");
  return colon > 0 && colon < type.length - 1;
}

/** Rule X1 for an item, content or event type: `fail` un-prefixed unknown, `warn` a hosted-tool name, or null. */
export function x1Severity(type: string, standard: (type: string) => boolean): "fail" | "warn" | null {
  if (standard(type) || isPrefixed(type)) return null;
  // Hosted-tool names without a slug (`web_search_call`) break X1 but are "observed in the wild" and
  // accepted by clients: a warning, not a failure.
  return isExtensionType(type) ? "warn" : "fail";
}

type SchemaTable = Record<string, { properties?: { type?: { enum?: unknown[] } } }>;

/** The `type` value of each schema whose name matches, e.g. every `*StreamingEvent` → its event type. */
function typeValues(matches: (name: string) => boolean): Map<string, SchemaName> {
  const table = schemas as unknown as SchemaTable;
  const out = new Map<string, SchemaName>();
  for (const name of schemaNames) {
    if (!matches(name)) continue;
    const value = table[name]?.properties?.type?.enum?.[0];
    if (typeof value === "string") out.set(value, name);
  }
  return out;
}

let eventSchemas: Map<string, SchemaName> | undefined;
let contentTypes: ReadonlySet<string> | undefined;

/** The schema of a standard event type (`response.output_text.delta` → its *StreamingEvent schema). */
export function eventSchemaFor(type: string): SchemaName | undefined {
  eventSchemas ??= typeValues((name) => name.endsWith("StreamingEvent"));
  return eventSchemas.get(type);
}

function isStandardContent(type: string): boolean {
  contentTypes ??= new Set(typeValues((name) => name.endsWith("Content")).keys());
  return contentTypes.has(type);
}

type Kind = "item" | "content";

/** Where items and content parts live in responses and events. */
function kindOf(key: string, parent: Kind | undefined): Kind | undefined {
  if (key === "output" || key === "item") return "item";
  if (key === "part") return "content";
  if ((key === "content" || key === "summary") && parent === "item") return "content";
  return undefined;
}

function childPath(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/**
 * Reports X1 for every item and content part of `value` whose type is not standard and not prefixed,
 * and returns their paths (so schema issues under them are left to X1).
 */
function unknownTypes(findings: FindingList, value: unknown, what: string): string[] {
  const paths: string[] = [];
  const visit = (node: unknown, path: string, kind: Kind | undefined, depth: number): void => {
    if (depth > 8 || node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        visit(child, childPath(path, index), kind, depth + 1);
      });
      return;
    }
    const record = node as JsonRecord;
    if (kind !== undefined && typeof record.type === "string") {
      const severity = x1Severity(
        record.type,
        kind === "item" ? (t) => STANDARD_ITEM_TYPES.has(t) : isStandardContent,
      );
      if (severity === "fail") {
        findings.fail(
          "X1",
          `${what}: ${kind === "item" ? "item" : "content"} type "${record.type}" is not a standard type and has no provider prefix (slug:name).`,
          record,
        );
        paths.push(path);
        return;
      }
      if (severity === "warn") {
        findings.warn(
          "X1",
          `${what}: hosted-tool ${kind} type "${record.type}" has no provider prefix (observed in the wild; clients accept it).`,
          record,
        );
        return;
      }
    }
    for (const [key, child] of Object.entries(record)) {
      const childKind = kindOf(key, kind);
      // Inside an item, only its content and summary hold typed parts; elsewhere, only output/item/part.
      if (childKind !== undefined || (kind === undefined && key === "response")) {
        visit(child, childPath(path, key), childKind, depth + 1);
      }
    }
  };
  visit(value, "", undefined, 0);
  return paths;
}

/**
 * Validates `value` against `schema` with extensions allowed and reports each issue under `rule`, after
 * reporting X1 for unknown item and content types (whose own schema issues are then left out).
 */
export function checkSchema(
  findings: FindingList,
  rule: string,
  schema: SchemaName,
  value: unknown,
  what: string,
): boolean {
  const skipped = unknownTypes(findings, value, what);
  const result = validate(schema, value, { extensions: true });
  if (result.valid) return true;
  const under = (issuePath: string, path: string) =>
    issuePath === path || issuePath.startsWith(`${path}.`) || issuePath.startsWith(`${path}[`);
  const parents = new Set(skipped.map((path) => path.replace(/(\[\d+\]|\.[^.[\]]+)$/, "")));
  const meaningful = result.errors.filter(
    (issue) =>
      !skipped.some((path) => under(issue.path, path)) &&
      // A union mismatch reported at the list or field holding a skipped part is the same X1 break.
      !parents.has(issue.path),
  );
  for (const issue of meaningful) {
    findings.fail(
      rule,
      `${what} does not match ${schema} at ${issue.path || "(root)"}: ${issue.message}`,
      valueAt(value, issue.path),
    );
  }
  return meaningful.length === 0;
}

/** The value at a validator path (`output[0].content`, `text.format.schema`), for evidence. */
function valueAt(root: unknown, path: string): unknown {
  let current = root;
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    const key = match[1] ?? match[2] ?? match[3];
    if (key === undefined || current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
