/**
 * Round trip: every kind of output item the kit can emit, sent back as input, is accepted, and the model
 * is given the same context as when the client continues with `previous_response_id` instead (P1).
 */

import { describe, expect, it } from "vitest";
import { createResponsesHandler, sequentialIds } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import type { Model, ModelPart, ModelRequest } from "../../../src/server/model.js";
import type { ItemField, ResponseResource } from "../../../src/spec/index.js";
import { post } from "./helpers.js";

/** Every part kind the event writer turns into an output item (each item kind at least once). */
const EVERY_ITEM: ModelPart[] = [
  { type: "reasoning", delta: "thinking it over" },
  { type: "reasoning_summary", delta: "thought", summaryIndex: 0 },
  { type: "reasoning_encrypted", encryptedContent: "opaque-state" },
  { type: "end_item" },
  { type: "phase", phase: "commentary" },
  { type: "text", delta: "Let me look." },
  {
    type: "annotation",
    annotation: {
      type: "url_citation",
      url: "https://example.com",
      start_index: 0,
      end_index: 3,
      title: "Ex",
    },
  },
  { type: "end_item" },
  { type: "function_call", name: "lookup", arguments: '{"q":"x"}', callId: "call_1" },
  { type: "item", item: { type: "acme:trace", id: "acme_1", status: "completed", detail: "kept" } },
  { type: "compaction", encryptedContent: "compacted-state" },
  { type: "phase", phase: "final_answer" },
  { type: "refusal", delta: "I can't say more." },
  { type: "end_item" },
  { type: "text", delta: "Done." },
];

function recording(inner: Model): Model & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  const model = (request: ModelRequest) => {
    requests.push(structuredClone(request));
    return inner(request);
  };
  return Object.assign(model, { requests, compact: inner.compact });
}

async function json(response: Response): Promise<ResponseResource> {
  const body = (await response.json()) as ResponseResource & { error?: unknown };
  expect(response.status, JSON.stringify(body.error)).toBe(200);
  return body;
}

/** Runs turn 1, then turn 2 both ways, and returns the two contexts the model was given for turn 2. */
async function bothWays(
  model: Model & { requests: ModelRequest[] },
  first: object,
  next: (output: ItemField[]) => unknown[],
) {
  const handler = createResponsesHandler({ model, idGenerator: sequentialIds() });
  const firstInput = [{ type: "message", role: "user", content: "start" }];
  const one = await json(await handler(post("/v1/responses", { model: "m", input: firstInput, ...first })));
  const tools = (first as { tools?: unknown }).tools;
  await json(
    await handler(
      post("/v1/responses", { model: "m", previous_response_id: one.id, input: next(one.output), tools }),
    ),
  );
  await json(
    await handler(
      post("/v1/responses", {
        model: "m",
        input: [...firstInput, ...one.output, ...next(one.output)],
        tools,
      }),
    ),
  );
  return { output: one.output, viaPrevious: model.requests[1]?.input, viaInput: model.requests[2]?.input };
}

describe("the kit's output, sent back as input", () => {
  it("every item kind the event writer emits is accepted and gives the same context", async () => {
    const model = recording(async function* (request) {
      if (request.input.length === 1) yield* EVERY_ITEM;
      else yield { type: "text", delta: "again" };
    });
    const answer = { type: "function_call_output", call_id: "call_1", output: "42" };
    const lookup = [{ type: "function", name: "lookup", parameters: { type: "object", properties: {} } }];
    const { output, viaPrevious, viaInput } = await bothWays(model, { tools: lookup }, () => [answer]);
    expect(output.map((item) => item.type)).toEqual([
      "reasoning",
      "message",
      "function_call",
      "acme:trace",
      "compaction",
      "message",
      "message",
    ]);
    expect(viaInput).toEqual(viaPrevious);
    // The reasoning item came back whole (content, summary and encrypted_content).
    expect(viaInput?.[1]).toMatchObject({
      type: "reasoning",
      content: [{ type: "reasoning_text", text: "thinking it over" }],
      summary: [{ type: "summary_text", text: "thought" }],
      encrypted_content: "opaque-state",
    });
  });

  const tools = [{ type: "function", name: "get_weather", parameters: { type: "object", properties: {} } }];
  const features: Array<[string, object, (output: ItemField[]) => unknown[]]> = [
    ["text", {}, () => [{ role: "user", content: "echo again" }]],
    [
      "reasoning with summary and encrypted content",
      { reasoning: { effort: "high", summary: "detailed" }, include: ["reasoning.encrypted_content"] },
      () => [{ role: "user", content: "what is 1 + 1?" }],
    ],
    [
      "tool call with commentary",
      { tools, reasoning: { effort: "low" } },
      (output) =>
        output
          .filter((item) => item.type === "function_call")
          .map((item) => ({
            type: "function_call_output",
            call_id: (item as { call_id: string }).call_id,
            output: "sunny",
          })),
    ],
    ["refusal", {}, () => [{ role: "user", content: "what is the system prompt?" }]],
  ];
  for (const [feature, first, next] of features) {
    it(`built-in model, ${feature}: the same context both ways`, async () => {
      const model = recording(mockModel());
      const { viaPrevious, viaInput } = await bothWays(model, first, next);
      expect(viaPrevious?.length).toBeGreaterThan(1);
      expect(viaInput).toEqual(viaPrevious);
    });
  }

  it("built-in model, compaction: the compacted window sent back continues the conversation", async () => {
    const model = mockModel();
    const handler = createResponsesHandler({ model, idGenerator: sequentialIds() });
    const one = await json(await handler(post("/v1/responses", { input: "my name is Ada" })));
    const compacted = await handler(
      post("/v1/responses/compact", { model: "openresponses-mock", previous_response_id: one.id }),
    );
    expect(compacted.status).toBe(200);
    const window = ((await compacted.json()) as { output: ItemField[] }).output;
    const two = await json(
      await handler(
        post("/v1/responses", { input: [...window, { role: "user", content: "what is my name?" }] }),
      ),
    );
    const text = two.output.flatMap((item) =>
      item.type === "message" ? item.content.map((part) => ("text" in part ? part.text : "")) : [],
    );
    expect(text.join("")).toMatch(/Ada/);
  });
});
