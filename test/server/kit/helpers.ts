import { expect } from "vitest";
import {
  createResponsesEngine,
  type ResponsesEngineOptions,
  sequentialIds,
} from "../../../src/server/index.js";
import type { Model, ModelPart, ModelRequest } from "../../../src/server/model.js";
import type { CreateResponseBody, StreamingEvent } from "../../../src/spec/index.js";

export const FIXED_NOW = 1_700_000_000_000;

/** A model that yields the given parts, and remembers the requests it was given. */
export function scriptedModel(parts: ModelPart[] | ((request: ModelRequest) => ModelPart[])): Model & {
  requests: ModelRequest[];
} {
  const requests: ModelRequest[] = [];
  const model = async function* (request: ModelRequest) {
    requests.push(request);
    const list = typeof parts === "function" ? parts(request) : parts;
    for (const part of list) yield part;
  };
  return Object.assign(model, { requests });
}

export function testEngine(model: Model, options: Partial<ResponsesEngineOptions> = {}) {
  return createResponsesEngine({ model, idGenerator: sequentialIds(), now: () => FIXED_NOW, ...options });
}

/** Runs one request through a fresh engine and returns every event. */
export async function runEvents(
  parts: ModelPart[],
  body: CreateResponseBody = { model: "test", input: "hi" },
): Promise<StreamingEvent[]> {
  const engine = testEngine(scriptedModel(parts));
  const run = await engine.run(body);
  if (!run.ok) throw new Error(JSON.stringify(run.error));
  const events: StreamingEvent[] = [];
  for await (const event of run.events) events.push(event);
  return events;
}

export const types = (events: StreamingEvent[]) => events.map((event) => event.type);

/** The snapshot carried by the (single) terminal event. */
export function terminalOf(events: StreamingEvent[]) {
  const last = events.at(-1);
  if (!last || !("response" in last)) throw new Error("no terminal event");
  return last.response;
}

/** Parses an SSE body into `{ event, data }` records (test-side, independent of the client decoder). */
export function parseSSE(text: string): Array<{ event: string | null; data: string }> {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      return { event, data: data.join("\n") };
    });
}

export function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Asserts the E1 error shape and returns the error object. */
export async function specError(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(typeof body.error.message).toBe("string");
  return body.error as { message: string; type: string; param: string | null; code: string | null };
}
