/**
 * End-to-end rig for a provider bridge: the kit with the bridge as its model, served on 127.0.0.1 (port
 * 0), in front of a fake upstream, driven by this package's client. Every streamed event is checked
 * against its specification schema in exact mode (no extensions), as test/server/kit/emits-spec does
 * for the built-in model.
 */

import { OpenResponses } from "../../../src/client/index.js";
import { createResponsesHandler } from "../../../src/server/kit/handler.js";
import type { Model } from "../../../src/server/model.js";
import { type RunningServer, serve } from "../../../src/server/node/index.js";
import { type SchemaName, validate } from "../../../src/spec/index.js";
import { schemas } from "../../../src/spec/schemas.gen.js";

/** Event type → the schema that describes it, read from the schemas. */
const EVENT_SCHEMAS = new Map<string, SchemaName>();
for (const [name, schema] of Object.entries(
  schemas as Record<string, { properties?: Record<string, unknown> }>,
)) {
  if (!name.endsWith("StreamingEvent")) continue;
  const type = schema.properties?.type as { enum?: string[] } | undefined;
  const value = type?.enum?.[0];
  if (value !== undefined) EVENT_SCHEMAS.set(value, name as SchemaName);
}

/** Problems of one event against its schema, exact mode; empty when it is valid. */
export function exactIssues(event: { type: string }): string[] {
  const name = EVENT_SCHEMAS.get(event.type);
  if (name === undefined) return [`${event.type}: not a specification event`];
  const result = validate(name, event);
  return result.valid ? [] : result.errors.map((issue) => `${event.type} ${issue.path}: ${issue.message}`);
}

/** Problems of a response body (`ResponseResource`) in exact mode. */
export function resourceIssues(resource: unknown): string[] {
  const result = validate("ResponseResource", resource);
  return result.valid ? [] : result.errors.map((issue) => `${issue.path}: ${issue.message}`);
}

export interface BridgeRig {
  client: OpenResponses;
  baseURL: string;
  /** Errors the kit absorbed (model failures are reported here too). */
  errors: unknown[];
  close(): Promise<void>;
}

export async function startBridge(model: Model): Promise<BridgeRig> {
  const errors: unknown[] = [];
  const handler = createResponsesHandler({ model, onError: (error) => errors.push(error) });
  const server: RunningServer = await serve({ handler, port: 0, host: "127.0.0.1" });
  const baseURL = `${server.url}/v1`;
  const client = new OpenResponses({ baseURL, apiKey: "sk-kit-test", maxRetries: 0 });
  return { client, baseURL, errors, close: () => server.close() };
}
