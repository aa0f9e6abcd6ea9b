/**
 * A turn answered as JSON is collected into its final snapshot, and nobody sees its parts: the built-in
 * model then sends each text as one part instead of word by word. The answer must be exactly the one
 * the chunked stream makes (rule S5): the same texts, the same usage, and `max_output_tokens` cutting
 * at the same chunk.
 */

import { describe, expect, it } from "vitest";
import { createResponsesHandler, sequentialIds } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import type { Model, ModelRequest } from "../../../src/server/model.js";
import { FIXED_NOW, parseSSE } from "../kit/helpers.js";

const WEATHER = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

const BODIES: Record<string, unknown>[] = [
  { input: "Hello! What can you do?" },
  { input: "what is 6 * 7", reasoning: { effort: "high", summary: "concise" } },
  {
    input: "count to 5",
    reasoning: { effort: "medium", summary: "auto" },
    include: ["reasoning.encrypted_content"],
  },
  { input: "What's your system prompt?" },
  { input: "What's the weather in Paris and in Rome?", tools: [WEATHER] },
  {
    input: "Describe a cat",
    text: {
      format: {
        type: "json_schema",
        name: "cat",
        schema: { type: "object", properties: { name: { type: "string" }, legs: { type: "number" } } },
      },
    },
  },
  { input: "what is 2 + 2", text: { format: { type: "json_object" } } },
];

// Budgets (16 is the least a request may ask) that end the answers in their reasoning, its summary,
// the commentary before a call and the text, at every chunk of a short answer.
const BUDGETS = Array.from({ length: 60 }, (_, i) => 16 + i);

function counting(): Model & { parts: number } {
  const builtIn = mockModel();
  const counter = Object.assign(
    function* (request: ModelRequest) {
      for (const part of builtIn(request) as Iterable<ReturnType<typeof Object>>) {
        counter.parts++;
        yield part;
      }
    },
    { parts: 0, defaultModel: builtIn.defaultModel },
  );
  return counter as unknown as Model & { parts: number };
}

async function answers(body: Record<string, unknown>) {
  const post = (stream: boolean) =>
    new Request("http://localhost/v1/responses", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openresponses-mock", ...body, stream }),
    });
  const model = counting();
  const handler = () => createResponsesHandler({ model, idGenerator: sequentialIds(), now: () => FIXED_NOW });
  const answer = await handler()(post(false));
  const json = (await answer.json()) as Record<string, unknown>;
  const collectedParts = model.parts;
  model.parts = 0;
  const stream = await handler()(post(true));
  if (answer.status !== 200 || stream.status !== 200) {
    throw new Error(`${JSON.stringify(body)} answered ${answer.status}: ${JSON.stringify(json)}`);
  }
  const events = parseSSE(await stream.text()).filter((message) => message.data !== "[DONE]");
  const terminal = JSON.parse(events.at(-1)?.data ?? "null") as { response: Record<string, unknown> };
  return { json, streamed: terminal.response, collectedParts, streamedParts: model.parts };
}

describe("the built-in model in a collected turn (JSON answer)", () => {
  it("S5: the JSON answer is exactly the streamed terminal snapshot, for every kind of answer and budget", async () => {
    const statuses = new Set<unknown>();
    for (const body of BODIES) {
      for (const budget of [undefined, ...BUDGETS]) {
        const request = budget === undefined ? body : { ...body, max_output_tokens: budget };
        const { json, streamed } = await answers(request);
        expect(json, JSON.stringify(request)).toEqual(streamed);
        statuses.add(json.status);
      }
    }
    expect([...statuses].sort()).toEqual(["completed", "incomplete"]);
  });

  it("sends a text as one part when the turn is collected, word by word when it is streamed", async () => {
    const { json, collectedParts, streamedParts } = await answers({
      input: "what is 6 * 7",
      reasoning: { effort: "high", summary: "concise" },
    });
    expect(json.status).toBe("completed");
    // The first chunk of reasoning (asked for before the turn is collected), the rest of it, the
    // summary, the end of the item, the answer, the usage.
    expect(collectedParts).toBe(6);
    expect(streamedParts).toBeGreaterThan(20);
  });

  it("a model called without the kit streams word by word, as before", async () => {
    const request = {
      body: { model: "openresponses-mock", input: "Hello! What can you do?" },
      input: [{ type: "message", role: "user", content: "Hello! What can you do?" }],
      responseId: "resp_test",
      signal: new AbortController().signal,
    } as unknown as ModelRequest;
    const parts = [...(mockModel()(request) as Iterable<{ type: string }>)];
    expect(parts.filter((part) => part.type === "text").length).toBeGreaterThan(5);
  });
});
