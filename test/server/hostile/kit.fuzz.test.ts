/**
 * A fuzz test of the kit. Arbitrary request bodies (arbitrary JSON, and request-shaped bodies
 * with messages, item references to stored and unknown items, packed compaction items valid, broken and
 * inflating, tools), sent over HTTP with varying content types and as WebSocket messages: every answer is
 * a spec error (E1) or a valid response, and each comes within a time bound.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createResponsesHandler, ResponsesConnection } from "../../../src/server/index.js";
import { packItems } from "../../../src/server/kit/compactor.js";
import { mockModel } from "../../../src/server/mock/index.js";
import { validate } from "../../../src/spec/index.js";

const TIME_BOUND_MS = 5000;
const RUNS = 100;

// Packs made once: a valid one, one whose content is not items, and one that inflates past the bound.
const packs = await (async () => {
  const valid = await packItems([{ type: "message", role: "user", content: "packed hello" }]);
  const notItems = await packItems([1, 2, 3] as never);
  const inflating = await packItems([
    { type: "message", role: "user", content: "z".repeat(3 * 1024 * 1024) },
  ]);
  return [valid, notItems, inflating, "orc1:not base64!", "orc1:", "model-own-format"];
})();

const handler = createResponsesHandler({ model: mockModel(), maxContextBytes: 2 * 1024 * 1024 });

// A stored response whose items can be referenced.
const seed = (await (
  await handler(
    new Request("http://localhost/v1/responses", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        input: [{ type: "message", id: "msg_seed", role: "user", content: "my name is Ada" }],
      }),
    }),
  )
).json()) as { id: string; output: Array<{ id: string }> };
const knownIds = ["msg_seed", seed.output[0]?.id ?? "x", "unknown_id", "__proto__", ""];

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("echo hi", "count to 3", "what is 2+2?", "hi"),
);
const content = fc.oneof(
  text,
  fc.array(
    fc.oneof(
      fc.record({ type: fc.constant("input_text"), text }),
      fc.record({ type: fc.constantFrom("input_image", "output_text", "bogus"), text: fc.option(text) }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    { maxLength: 3 },
  ),
);
const item = fc.oneof(
  fc.record({
    type: fc.constant("message"),
    role: fc.constantFrom("user", "assistant", "system", "x"),
    content,
  }),
  fc.record({ role: fc.constant("user"), content }),
  fc.record({ type: fc.constant("item_reference"), id: fc.constantFrom(...knownIds) }),
  fc.record({ id: fc.constantFrom(...knownIds) }),
  fc.record({ type: fc.constant("compaction"), encrypted_content: fc.constantFrom(...packs) }),
  fc.record({
    type: fc.constant("function_call_output"),
    call_id: fc.string({ maxLength: 8 }),
    output: text,
  }),
  fc.jsonValue({ maxDepth: 3 }),
);
const requestBody = fc.record(
  {
    model: fc.option(fc.constantFrom("m", "openresponses-mock", ""), { nil: undefined }),
    input: fc.oneof(
      { weight: 2, arbitrary: text },
      { weight: 4, arbitrary: fc.array(item, { maxLength: 6 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    ),
    previous_response_id: fc.option(fc.constantFrom(seed.id, "resp_unknown"), { nil: undefined }),
    stream: fc.option(fc.boolean(), { nil: undefined }),
    store: fc.option(fc.boolean(), { nil: undefined }),
    max_output_tokens: fc.option(fc.oneof(fc.integer({ min: -5, max: 50 }), fc.constant(null)), {
      nil: undefined,
    }),
    tools: fc.option(
      fc.array(
        fc.oneof(
          fc.record({ type: fc.constant("function"), name: fc.constantFrom("a", "b", "get_weather") }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        { maxLength: 3 },
      ),
      { nil: undefined },
    ),
    tool_choice: fc.option(fc.constantFrom("auto", "none", "required", { type: "function", name: "a" }), {
      nil: undefined,
    }),
  },
  { requiredKeys: [] },
);
// Mostly valid requests, so that the model, references, packs and streams are reached often.
const validBody = fc.record(
  {
    input: fc.oneof(
      text,
      fc.array(
        fc.oneof(
          { weight: 3, arbitrary: fc.record({ role: fc.constant("user"), content: text }) },
          fc.record({ type: fc.constant("item_reference"), id: fc.constantFrom(...knownIds) }),
          fc.record({ type: fc.constant("compaction"), encrypted_content: fc.constantFrom(...packs) }),
        ),
        { minLength: 1, maxLength: 5 },
      ),
    ),
    previous_response_id: fc.constantFrom(seed.id, "resp_unknown"),
    stream: fc.boolean(),
    store: fc.boolean(),
    max_output_tokens: fc.integer({ min: 16, max: 64 }),
    tools: fc.constant([{ type: "function", name: "get_weather", parameters: { type: "object" } }]),
  },
  { requiredKeys: ["input"] },
);
const body = fc.oneof(
  { weight: 4, arbitrary: validBody.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: requestBody.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  null,
);

function withinBound<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) =>
      setTimeout(() => reject(new Error(`${what} took longer than ${TIME_BOUND_MS} ms`)), TIME_BOUND_MS),
    ),
  ]);
}

function expectE1(value: unknown): void {
  const error = (value as { error?: Record<string, unknown> }).error;
  expect(error).toBeDefined();
  expect(typeof error?.message).toBe("string");
  expect(typeof error?.type).toBe("string");
  expect(error?.param === null || typeof error?.param === "string").toBe(true);
  expect(error?.code === null || typeof error?.code === "string").toBe(true);
}

function expectResource(value: unknown): void {
  const result = validate("ResponseResource", value, { extensions: true });
  expect(result.valid ? [] : result.errors).toEqual([]);
}

async function checkHttp(text: string, type: string | null): Promise<void> {
  const headers: Record<string, string> = type === null ? {} : { "content-type": type };
  const request = new Request("http://localhost/v1/responses", { method: "POST", headers, body: text });
  if (type === null) request.headers.delete("content-type");
  const response = await handler(request);
  const answer = await response.text();
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    expect(response.status).toBe(200);
    const events = answer
      .split("\n\n")
      .map((block) =>
        block
          .split("\n")
          .find((line) => line.startsWith("data: "))
          ?.slice(6),
      )
      .filter((data): data is string => data !== undefined && data !== "[DONE]")
      .map((data) => JSON.parse(data) as { type: string; sequence_number: number; response?: unknown });
    expect(events.length).toBeGreaterThan(0);
    events.forEach((event, index) => {
      expect(event.sequence_number).toBe(index);
      if (event.response !== undefined) expectResource(event.response);
    });
    expect(events.at(-1)?.type).toMatch(/^response\.(completed|incomplete|failed)$/);
    return;
  }
  const json: unknown = JSON.parse(answer);
  if (response.status === 200) expectResource(json);
  else if ((json as { object?: string }).object === "response") {
    // A response that failed in the model answers 500 with its snapshot, whose error reads as E1.
    expect(response.status).toBe(500);
    expectResource(json);
    expectE1(json);
  } else {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expectE1(json);
  }
}

describe("fuzz: the kit answers anything with an E1 error or a valid response, in bounded time", () => {
  it("HTTP: arbitrary bodies and content types", async () => {
    await fc.assert(
      fc.asyncProperty(body, contentType, async (text, type) => {
        await withinBound(checkHttp(text, type), "an HTTP answer");
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("WebSocket: arbitrary messages on one connection", async () => {
    const message = fc.oneof(
      {
        weight: 4,
        arbitrary: requestBody.map((value) => JSON.stringify({ type: "response.create", ...value })),
      },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 4 }), async (messages) => {
        const sent: Array<Record<string, unknown>> = [];
        const connection = new ResponsesConnection({
          engine: handler.engine,
          store: handler.engine.store,
          maxAgeMs: 60_000,
          send: (text) => {
            sent.push(JSON.parse(text) as Record<string, unknown>);
          },
          close: () => {},
        });
        try {
          for (const text of messages) connection.receive(text);
          // Each message ends in exactly one terminal event or one error envelope.
          const ends = () =>
            sent.filter(
              (event) =>
                event.type === "error" ||
                /^response\.(completed|incomplete|failed)$/.test(String(event.type)),
            ).length;
          await withinBound(
            (async () => {
              while (ends() < messages.length) await new Promise((resolve) => setTimeout(resolve, 5));
            })(),
            "WebSocket answers",
          );
          let sequence = -1;
          for (const event of sent) {
            if (event.type === "error") {
              expect(typeof event.status).toBe("number");
              expectE1(event);
              continue;
            }
            expect(String(event.type)).toMatch(/^response\./);
            expect(event.sequence_number as number).toBeGreaterThan(sequence);
            sequence = event.sequence_number as number;
            if (event.response !== undefined) expectResource(event.response);
          }
        } finally {
          connection.dispose();
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
