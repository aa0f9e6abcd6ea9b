/**
 * Exact-mode validation (no extensions) of what a server sends: each streamed event against the schema
 * named by its `type`, a JSON body as a `ResponseResource` or an E1 error body. The schema for each
 * event type is read from the schemas themselves, not from the kit.
 */

import { type SchemaName, validate } from "../../src/spec/index.js";
import { schemas } from "../../src/spec/schemas.gen.js";

const EVENT_SCHEMAS = new Map<string, SchemaName>();
for (const [name, schema] of Object.entries(
  schemas as Record<string, { properties?: Record<string, unknown> }>,
)) {
  if (!name.endsWith("StreamingEvent")) continue;
  const value = (schema.properties?.type as { enum?: string[] } | undefined)?.enum?.[0];
  if (value !== undefined) EVENT_SCHEMAS.set(value, name as SchemaName);
}

export function exactIssues(schema: SchemaName, value: unknown): string[] {
  const result = validate(schema, value);
  return result.valid ? [] : result.errors.map((issue) => `${issue.path}: ${issue.message}`);
}

/** Problems with one streamed event (a type the specification does not define is one). */
export function eventIssues(event: { type: string }): string[] {
  const name = EVENT_SCHEMAS.get(event.type);
  if (name === undefined) return [`event ${event.type}: not a specification event`];
  return exactIssues(name, event).map((issue) => `${event.type} ${issue}`);
}

/** Problems with a JSON answer: a response resource, or an E1 error body (`{ error }` only). */
export function bodyIssues(body: unknown): string[] {
  if ((body as { object?: unknown } | null)?.object === "response")
    return exactIssues("ResponseResource", body);
  const keys = typeof body === "object" && body !== null ? Object.keys(body) : [];
  if (keys.length !== 1 || keys[0] !== "error") return [`keys ${JSON.stringify(keys)}, expected ["error"]`];
  return exactIssues("Error", (body as { error: unknown }).error).map((issue) => `error ${issue}`);
}
