/**
 * Schema checks with the tolerance the specification grants (X1–X4): provider-prefixed items, content
 * and events are valid, and extra fields are allowed. An item whose type is neither standard nor
 * prefixed is reported once under X1 and kept out of the schema findings, so one break gives one rule.
 */

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

let eventSchemas: Map<string, SchemaName> | undefined;

/** The schema of a standard event type (`response.output_text.delta` → its *StreamingEvent schema). */
export function eventSchemaFor(type: string): SchemaName | undefined {
  if (!eventSchemas) {
    eventSchemas = new Map();
    const table = schemas as unknown as Record<string, { properties?: { type?: { enum?: unknown[] } } }>;
    for (const name of schemaNames) {
      if (!name.endsWith("StreamingEvent")) continue;
      const value = table[name]?.properties?.type?.enum?.[0];
      if (typeof value === "string") eventSchemas.set(value, name);
    }
  }
  return eventSchemas.get(type);
}

/** Paths (`output[2]`) of items in `list` whose type breaks X1; reported under X1 by the caller. */
function unknownItemPaths(list: unknown, prefix: string): string[] {
  if (!Array.isArray(list)) return [];
  const paths: string[] = [];
  list.forEach((item, index) => {
    const type = (item as { type?: unknown } | null)?.type;
    if (typeof type === "string" && x1Severity(type, (t) => STANDARD_ITEM_TYPES.has(t)) !== null) {
      paths.push(`${prefix}[${index}]`);
    }
  });
  return paths;
}

/** Reports X1 for every item of `list` with an un-prefixed unknown type. */
export function checkItemTypes(findings: FindingList, list: unknown, where: string): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    const type = (item as { type?: unknown } | null)?.type;
    if (typeof type !== "string") continue;
    const severity = x1Severity(type, (t) => STANDARD_ITEM_TYPES.has(t));
    if (severity === null) continue;
    findings.add(
      "X1",
      severity,
      severity === "fail"
        ? `${where}: item type "${type}" is not a standard type and has no provider prefix (slug:name).`
        : `${where}: hosted-tool item type "${type}" has no provider prefix (observed in the wild; clients accept it).`,
      item,
    );
  }
}

/**
 * Validates `value` against `schema` with extensions allowed and reports each issue under `rule`.
 * `itemLists` names where output items live (`output`, `response.output`, `item`) so items that break
 * X1 are left to X1.
 */
export function checkSchema(
  findings: FindingList,
  rule: string,
  schema: SchemaName,
  value: unknown,
  what: string,
  itemLists: Array<{ path: string; value: unknown }> = [],
): boolean {
  const result = validate(schema, value, { extensions: true });
  if (result.valid) return true;
  const skipped: string[] = [];
  for (const list of itemLists) {
    if (list.path === "item" || list.path.endsWith(".item")) {
      const type = (list.value as { type?: unknown } | null)?.type;
      if (typeof type === "string" && x1Severity(type, (t) => STANDARD_ITEM_TYPES.has(t)) !== null) {
        skipped.push(list.path);
      }
    } else skipped.push(...unknownItemPaths(list.value, list.path));
  }
  const issues = result.errors.filter(
    (issue) =>
      !skipped.some(
        (path) =>
          issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`),
      ),
  );
  // The validator may report a union mismatch at the list itself; with every item of the list skipped
  // that is the same X1 break again.
  const meaningful = issues.filter(
    (issue) => !(skipped.length > 0 && itemLists.some((list) => issue.path === list.path)),
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
