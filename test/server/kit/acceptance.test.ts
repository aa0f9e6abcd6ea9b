/**
 * Be liberal in what you accept: what mainstream clients really send is accepted, and what
 * is still refused gets a 400 whose message names the field and what would be accepted (E1).
 */

import { describe, expect, it } from "vitest";
import { createResponsesHandler, sequentialIds } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import type { ResponseResource } from "../../../src/spec/index.js";
import { FIXED_NOW, post, scriptedModel, specError } from "./helpers.js";

function setup() {
  const model = scriptedModel([{ type: "text", delta: "ok" }]);
  const handler = createResponsesHandler({ model, idGenerator: sequentialIds(), now: () => FIXED_NOW });
  const send = (body: object) => handler(post("/v1/responses", { model: "m", ...body }));
  const create = async (body: object) => {
    const response = await send(body);
    const json = (await response.json()) as ResponseResource & { error: unknown };
    expect(response.status, JSON.stringify(json.error)).toBe(200);
    return json;
  };
  return { model, handler, send, create };
}

describe("type-less messages", () => {
  it("an item with role and content but no type is a message, for every role", async () => {
    const { model, create } = setup();
    const input = [
      { role: "system", content: "be brief" },
      { role: "developer", content: "no markdown" },
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
      { role: "user", content: [{ type: "input_text", text: "again" }], type: null },
    ];
    await create({ input });
    expect(model.requests[0]?.input.map((item) => [item.type, "role" in item ? item.role : null])).toEqual([
      ["message", "system"],
      ["message", "developer"],
      ["message", "user"],
      ["message", "assistant"],
      ["message", "user"],
    ]);
  });

  it("an item with neither type nor role is still an item_reference (404 when unknown)", async () => {
    const { send } = setup();
    const error = await specError(await send({ input: [{ id: "msg_nowhere" }] }), 404);
    expect(error).toMatchObject({ code: "item_not_found", param: "input[0].id" });
  });
});

describe("null means not set", () => {
  it("null in every optional field a client leaves unset is accepted, and the defaults apply", async () => {
    const { create } = setup();
    const resource = await create({
      input: "hi",
      tools: [{ type: "function", name: "f", description: null, parameters: null, strict: null }],
      include: null,
      store: null,
      truncation: null,
      service_tier: null,
      stream: null,
      stream_options: null,
      background: null,
      previous_response_id: null,
      instructions: null,
      tool_choice: null,
      parallel_tool_calls: null,
      max_output_tokens: null,
      metadata: null,
      temperature: null,
      top_p: null,
      text: { format: null, verbosity: null },
      reasoning: { effort: null, summary: null },
    });
    expect(resource).toMatchObject({
      status: "completed",
      store: true,
      truncation: "disabled",
      service_tier: "default",
      background: false,
      tool_choice: "auto",
      text: { format: { type: "text" }, verbosity: "medium" },
      reasoning: { effort: null, summary: null },
    });
    expect(resource.tools).toHaveLength(1);
  });

  it("a null the schema allows stays as it came (nothing else is rewritten)", async () => {
    const { model, create } = setup();
    await create({
      input: [
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: null },
        { type: "message", role: "user", content: "hi" },
      ],
    });
    expect(model.requests[0]?.input[0]).toEqual({
      type: "reasoning",
      id: "rs_1",
      summary: [],
      encrypted_content: null,
    });
  });

  it('reasoning.effort "minimal" is accepted as the spec\'s lowest non-zero effort, "low"', async () => {
    const { model, create } = setup();
    const resource = await create({ input: "hi", reasoning: { effort: "minimal" } });
    expect(resource.reasoning).toEqual({ effort: "low", summary: null });
    expect(model.requests[0]?.body.reasoning?.effort).toBe("low");
  });
});

describe("the kit's own output items, sent back as input", () => {
  it("a reasoning item with content, summary and encrypted_content keeps all three in the context", async () => {
    const { model, create } = setup();
    const reasoning = {
      type: "reasoning",
      id: "rs_1",
      summary: [{ type: "summary_text", text: "short" }],
      content: [{ type: "reasoning_text", text: "long thought" }],
      encrypted_content: "opaque",
    };
    await create({ input: [{ role: "user", content: "hi" }, reasoning, { role: "user", content: "and?" }] });
    expect(model.requests[0]?.input[1]).toEqual(reasoning);
  });

  it("messages with status, phase, annotations and logprobs, and function calls with status", async () => {
    const { model, create } = setup();
    const message = {
      type: "message",
      id: "msg_1",
      role: "assistant",
      status: "completed",
      phase: "commentary",
      content: [
        {
          type: "output_text",
          text: "see",
          annotations: [
            { type: "url_citation", url: "https://example.com", start_index: 0, end_index: 3, title: "x" },
          ],
          logprobs: [{ token: "see", logprob: -0.1, bytes: [115, 101, 101], top_logprobs: [] }],
        },
      ],
    };
    const call = {
      type: "function_call",
      id: "fc_1",
      call_id: "call_1",
      name: "f",
      arguments: "{}",
      status: "completed",
    };
    const output = { type: "function_call_output", call_id: "call_1", output: "42", status: "completed" };
    await create({ input: [{ role: "user", content: "hi" }, message, call, output] });
    expect(model.requests[0]?.input.slice(1)).toEqual([message, call, output]);
  });
});

describe("item_reference (P1)", () => {
  it("resolves an item of any stored response, without previous_response_id", async () => {
    const handler = createResponsesHandler({ model: mockModel(), idGenerator: sequentialIds() });
    const first = (await (
      await handler(post("/v1/responses", { input: "my name is Ada" }))
    ).json()) as ResponseResource;
    const unrelated = await handler(post("/v1/responses", { input: "echo hello" }));
    expect(unrelated.status).toBe(200);
    const userMessage = await handler(
      post("/v1/responses", {
        input: [
          { type: "item_reference", id: first.output[0]?.id },
          { role: "user", content: "what is my name?" },
        ],
      }),
    );
    expect(userMessage.status).toBe(200);
  });

  it("an item of a response created with store: false is not found (404 item_not_found)", async () => {
    const handler = createResponsesHandler({ model: mockModel(), idGenerator: sequentialIds() });
    const first = (await (
      await handler(post("/v1/responses", { input: "echo hi", store: false }))
    ).json()) as ResponseResource;
    const response = await handler(
      post("/v1/responses", { input: [{ type: "item_reference", id: first.output[0]?.id }] }),
    );
    expect(await specError(response, 404)).toMatchObject({ code: "item_not_found", param: "input[0].id" });
  });

  it("resolves an earlier item of the same input", async () => {
    const { model, create } = setup();
    await create({
      input: [
        { type: "message", id: "msg_own", role: "user", content: "hi" },
        { type: "item_reference", id: "msg_own" },
      ],
    });
    expect(model.requests[0]?.input).toHaveLength(2);
    expect(model.requests[0]?.input[1]).toMatchObject({ id: "msg_own", role: "user" });
  });
});

describe("function_call_output must answer a function_call of the context", () => {
  it("one whose call_id matches no call is a 400 invalid_request pointing at the item", async () => {
    const { send, model } = setup();
    const response = await send({
      input: [
        { role: "user", content: "hi" },
        { type: "function_call_output", call_id: "call_nowhere", output: "1" },
      ],
    });
    const error = await specError(response, 400);
    expect(error).toMatchObject({
      type: "invalid_request",
      param: "input[1].call_id",
      code: "function_call_not_found",
    });
    expect(error.message).toContain('"call_nowhere"');
    expect(error.message).toMatch(/previous_response_id/);
    expect(model.requests).toHaveLength(0);
  });

  it("a call from the previous response, or from this input, is a match", async () => {
    const tools = [{ type: "function", name: "get_weather", parameters: { type: "object", properties: {} } }];
    const handler = createResponsesHandler({ model: mockModel(), idGenerator: sequentialIds() });
    const first = (await (
      await handler(post("/v1/responses", { input: "weather in Paris?", tools }))
    ).json()) as ResponseResource;
    const call = first.output.find((item) => item.type === "function_call");
    if (call?.type !== "function_call") throw new Error("the mock model made no call");
    const answer = { type: "function_call_output", call_id: call.call_id, output: "sunny" };
    const continued = await handler(
      post("/v1/responses", { previous_response_id: first.id, input: [answer], tools }),
    );
    expect(continued.status).toBe(200);
    const inline = await handler(
      post("/v1/responses", { input: [{ role: "user", content: "weather in Paris?" }, call, answer], tools }),
    );
    expect(inline.status).toBe(200);
  });
});

describe("text.format.schema in the resource", () => {
  it("is null, as JsonSchemaResponseFormat requires; the model still reads the request's schema", async () => {
    const { model, create } = setup();
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"] };
    const resource = await create({
      input: "hi",
      text: { format: { type: "json_schema", name: "answer", schema, strict: true } },
    });
    expect(resource.text.format).toEqual({
      type: "json_schema",
      name: "answer",
      description: null,
      schema: null,
      strict: true,
    });
    expect(model.requests[0]?.body.text?.format).toMatchObject({ schema });
  });
});

describe("JSON mode", () => {
  it('text.format { type: "json_object" } is accepted and echoed as the response-side JsonObjectResponseFormat', async () => {
    const handler = createResponsesHandler({ model: mockModel() });
    const response = await handler(
      post("/v1/responses", { input: "what is 6 * 7?", text: { format: { type: "json_object" } } }),
    );
    const resource = (await response.json()) as ResponseResource;
    expect(response.status).toBe(200);
    expect(resource.text.format).toEqual({ type: "json_object" });
    const message = resource.output.find((item) => item.type === "message");
    const text =
      message?.type === "message" && message.content[0]?.type === "output_text"
        ? message.content[0].text
        : "";
    expect(JSON.parse(text)).toMatchObject({ value: 42 });
  });
});

describe("refusals name the field and what would be accepted", () => {
  const cases: Array<[string, object, string, RegExp]> = [
    [
      "a wrong type",
      { input: "hi", tools: [{ type: "function", name: "f", strict: "yes" }] },
      "tools[0].strict",
      /tools\[0\]\.strict: expected boolean/,
    ],
    [
      "an unknown enum value",
      { input: "hi", reasoning: { effort: "extreme" } },
      "reasoning.effort",
      /reasoning\.effort: must be one of "none", "low"/,
    ],
    [
      "an unknown item type",
      { input: [{ type: "mystery" }] },
      "input[0].type",
      /input\[0\]\.type: .*"message"/,
    ],
    [
      "a tool_choice naming no tool",
      { input: "hi", tools: [{ type: "function", name: "a" }], tool_choice: { type: "function", name: "b" } },
      "tool_choice",
      /not in `tools`: b\. Name one of the tools in `tools` \(a\)/,
    ],
    [
      "background mode",
      { input: "hi", background: true },
      "background",
      /background: true.*Omit `background`/,
    ],
  ];
  it("compaction without a model: param model, and what to send", async () => {
    const { handler } = setup();
    const error = await specError(await handler(post("/v1/responses/compact", { input: "x" })), 400);
    expect(error.param).toBe("model");
    expect(error.message).toMatch(/`model` field is required: name the model/);
  });

  for (const [what, body, param, message] of cases) {
    it(`${what}: param ${param}`, async () => {
      const { send } = setup();
      const error = await specError(await send(body), 400);
      expect(error.param).toBe(param);
      expect(error.message).toMatch(message);
    });
  }
});
