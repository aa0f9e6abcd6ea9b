/**
 * `chatCompletionsModel` through the kit against a fake Chat Completions server speaking the exact wire
 * format (chunks typed with the `openai` SDK's own types): what the bridge sends, how each kind of
 * chunk becomes parts and events (every one validated exactly, S4–S9 checked strictly), multi-turn
 * state, refusals by name, and upstream failures as spec errors.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chatCompletionsModel } from "../../../src/server/bridges/chat-completions.js";
import type { FunctionCall, ReasoningBody } from "../../../src/spec/index.js";
import {
  type FakeReply,
  type FakeUpstream,
  sseData,
  startFakeUpstream,
} from "../../support/fake-upstream.js";
import { post } from "../kit/helpers.js";
import { chatStream, chunk, completion, DONE, textStream, USAGE, usageChunk } from "./fake-chat.js";
import { bridgeHandler, type Handler, jsonTurn, outputText, streamTurn, typesOf } from "./helpers.js";

const KEY = "sk-chatupstreamkey0123456789";
let fake: FakeUpstream;
let replies: FakeReply[] = [];
let handler: Handler;

beforeAll(async () => {
  fake = await startFakeUpstream(() => replies.shift() ?? textStream("(no reply scripted)"));
  handler = bridgeHandler(chatCompletionsModel({ baseURL: `${fake.url}/v1`, apiKey: KEY }));
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  replies = [];
  fake.requests.length = 0;
});

const lastRequest = () => fake.requests.at(-1)?.body as Record<string, unknown>;
const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: true,
};

describe("chatCompletionsModel: the request it sends", () => {
  it("POST /v1/chat/completions, streaming with usage, the key as Bearer, instructions first", async () => {
    replies.push(textStream("Hi"));
    await streamTurn(handler, {
      model: "qwen3",
      instructions: "Be brief.",
      input: [
        { role: "developer", content: "Answer in English." },
        { role: "user", content: [{ type: "input_text", text: "Hello" }] },
      ],
      temperature: 0.2,
      top_p: 0.9,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      max_output_tokens: 50,
      reasoning: { effort: "low" },
      service_tier: "flex",
      prompt_cache_key: "conv-1",
      safety_identifier: "user-1",
    });
    const request = fake.requests.at(-1);
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body).toEqual({
      model: "qwen3",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "system", content: "Answer in English." },
        { role: "user", content: "Hello" },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      top_p: 0.9,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      max_tokens: 50,
      reasoning_effort: "low",
      service_tier: "flex",
      prompt_cache_key: "conv-1",
      safety_identifier: "user-1",
    });
  });

  it("images and file data as content parts; text-only parts as one string", async () => {
    replies.push(textStream("A cat."));
    await streamTurn(handler, {
      model: "m",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "What is this?" },
            { type: "input_image", image_url: "data:image/png;base64,AA==", detail: "low" },
            { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,AA==" },
          ],
        },
      ],
    });
    expect(lastRequest().messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA==", detail: "low" } },
          { type: "file", file: { file_data: "data:application/pdf;base64,AA==", filename: "a.pdf" } },
        ],
      },
    ]);
  });

  it("P2: tools, a named tool_choice and parallel_tool_calls; allowed_tools narrows the tools sent", async () => {
    replies.push(textStream("ok"), textStream("ok"));
    const time = { type: "function" as const, name: "get_time" };
    await streamTurn(handler, {
      model: "m",
      input: "hi",
      tools: [weather, time],
      tool_choice: { type: "function", name: "get_weather" },
      parallel_tool_calls: false,
    });
    expect(lastRequest()).toMatchObject({
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Weather for a city",
            parameters: weather.parameters,
            strict: true,
          },
        },
      ],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: false,
    });
    await streamTurn(handler, {
      model: "m",
      input: "hi",
      tools: [weather, time],
      tool_choice: {
        type: "allowed_tools",
        tools: [{ type: "function", name: "get_time" }],
        mode: "required",
      },
    });
    expect(lastRequest()).toMatchObject({
      tools: [{ type: "function", function: { name: "get_time" } }],
      tool_choice: "required",
    });
  });

  it("P5: text.format json_schema and json_object become response_format", async () => {
    replies.push(textStream('{"a":1}'), textStream("{}"));
    const schema = {
      type: "object",
      properties: { a: { type: "number" } },
      required: ["a"],
      additionalProperties: false,
    };
    await streamTurn(handler, {
      model: "m",
      input: "json",
      text: { format: { type: "json_schema", name: "out", schema, strict: true }, verbosity: "low" },
    });
    expect(lastRequest()).toMatchObject({
      response_format: { type: "json_schema", json_schema: { name: "out", schema, strict: true } },
      verbosity: "low",
    });
    await streamTurn(handler, { model: "m", input: "json", text: { format: { type: "json_object" } } });
    expect(lastRequest().response_format).toEqual({ type: "json_object" });
  });

  it("a configured model replaces the request's; responses still report the request's", async () => {
    replies.push(textStream("a"));
    const fixed = bridgeHandler(chatCompletionsModel({ baseURL: `${fake.url}/v1`, model: "upstream-model" }));
    const { response } = await streamTurn(fixed, { model: "whatever", input: "hi" });
    expect(lastRequest().model).toBe("upstream-model");
    expect(response.model).toBe("whatever");
    expect(fake.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("maxTokensParam sends max_output_tokens as max_completion_tokens", async () => {
    replies.push(textStream("a"));
    const model = chatCompletionsModel({
      baseURL: `${fake.url}/v1`,
      maxTokensParam: "max_completion_tokens",
    });
    await streamTurn(bridgeHandler(model), { model: "m", input: "hi", max_output_tokens: 99 });
    expect(lastRequest().max_completion_tokens).toBe(99);
    expect(lastRequest().max_tokens).toBeUndefined();
  });
});

describe("chatCompletionsModel: the stream it reads", () => {
  it("S7: text arrives as deltas as the upstream sends them; usage with cached and reasoning tokens", async () => {
    replies.push(textStream("Hel", "lo", " world"));
    const { events, response } = await streamTurn(handler, { model: "m", input: "hi" });
    expect(
      events.filter((event) => event.type === "response.output_text.delta").map((event) => event.delta),
    ).toEqual(["Hel", "lo", " world"]);
    expect(outputText(response)).toBe("Hello world");
    expect(response.status).toBe("completed");
    expect(response.usage).toEqual({
      input_tokens: 11,
      output_tokens: 7,
      total_tokens: 18,
      input_tokens_details: { cached_tokens: 3 },
      output_tokens_details: { reasoning_tokens: 2 },
    });
  });

  it("reasoning from reasoning_content (DeepSeek, vLLM) and from reasoning (OpenRouter, Ollama)", async () => {
    replies.push(
      chatStream([
        chunk({ reasoning_content: "Think" } as never),
        chunk({ reasoning_content: "ing." } as never),
        chunk({ content: "Answer" }),
      ]),
      chatStream([chunk({ reasoning: "Hmm." } as never), chunk({ content: "Yes" })]),
    );
    const first = await streamTurn(handler, { model: "m", input: "hi" });
    expect(first.response.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect((first.response.output[0] as ReasoningBody).content).toEqual([
      { type: "reasoning_text", text: "Thinking." },
    ]);
    expect(typesOf(first.events)).toContain("response.reasoning.delta");
    const second = await streamTurn(handler, { model: "m", input: "hi" });
    expect((second.response.output[0] as ReasoningBody).content?.[0]).toMatchObject({ text: "Hmm." });
    expect(outputText(second.response)).toBe("Yes");
  });

  it("a leading <think> block in the content is reasoning, tags split across chunks included", async () => {
    replies.push(textStream("<thi", "nk>Let me", " see.</th", "ink>\n\nIt is 4."));
    const { response } = await streamTurn(handler, { model: "m", input: "2+2?" });
    expect((response.output[0] as ReasoningBody).content?.[0]).toMatchObject({ text: "Let me see." });
    expect(outputText(response)).toBe("It is 4.");
  });

  it("S6/S7: parallel tool calls by index, arguments in pieces, interleaved, id and name late", async () => {
    replies.push(
      chatStream(
        [
          chunk({ content: "Checking both." }),
          chunk({
            tool_calls: [
              { index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } },
            ],
          }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
          // The second call's arguments arrive before its id and name.
          chunk({ tool_calls: [{ index: 1, function: { arguments: '{"city":"Ro' } }] }),
          chunk({
            tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_weather" } }],
          }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
          chunk({ tool_calls: [{ index: 1, function: { arguments: 'me"}' } }] }),
        ],
        "tool_calls",
      ),
    );
    const { events, response } = await streamTurn(handler, {
      model: "m",
      input: "weather in Paris and Rome?",
      tools: [weather],
    });
    const calls = response.output.filter((item): item is FunctionCall => item.type === "function_call");
    expect(calls.map((call) => [call.call_id, call.name, call.arguments])).toEqual([
      ["call_a", "get_weather", '{"city":"Paris"}'],
      ["call_b", "get_weather", '{"city":"Rome"}'],
    ]);
    const deltas = events.filter((event) => event.type === "response.function_call_arguments.delta");
    expect(new Set(deltas.map((event) => event.output_index))).toEqual(new Set([1, 2]));
    expect(deltas.length).toBeGreaterThanOrEqual(4);
  });

  it("a server that sends no tool-call id still gets a call, with the kit's call_id", async () => {
    replies.push(
      chatStream(
        [
          chunk({ tool_calls: [{ index: 0, function: { name: "get_weather", arguments: '{"ci' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }] }),
        ],
        "tool_calls",
      ),
    );
    const { response } = await streamTurn(handler, { model: "m", input: "hi", tools: [weather] });
    expect(response.output[0]).toMatchObject({ type: "function_call", arguments: '{"city":"Oslo"}' });
    expect((response.output[0] as FunctionCall).call_id).toMatch(/^call_/);
  });

  it("P1: the next turn sends the assistant's tool_calls in one message and the output as a tool message", async () => {
    replies.push(
      chatStream(
        [
          chunk({ content: "Let me check." }),
          chunk({
            tool_calls: [
              {
                index: 0,
                id: "call_a",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Paris"}' },
              },
            ],
          }),
          chunk({
            tool_calls: [
              {
                index: 1,
                id: "call_b",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Rome"}' },
              },
            ],
          }),
        ],
        "tool_calls",
      ),
      textStream("Sunny in both."),
    );
    const first = await jsonTurn(handler, { model: "m", input: "weather?", tools: [weather] });
    const second = await streamTurn(handler, {
      model: "m",
      previous_response_id: first.body.id,
      tools: [weather],
      input: [
        { type: "function_call_output", call_id: "call_a", output: "sunny" },
        {
          type: "function_call_output",
          call_id: "call_b",
          output: [{ type: "input_text", text: "sunny too" }],
        },
      ],
    });
    expect(outputText(second.response)).toBe("Sunny in both.");
    expect(lastRequest().messages).toEqual([
      { role: "user", content: "weather?" },
      {
        role: "assistant",
        content: "Let me check.",
        tool_calls: [
          {
            id: "call_a",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
          { id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "sunny" },
      { role: "tool", tool_call_id: "call_b", content: "sunny too" },
    ]);
  });

  it("reasoning items of earlier turns are not sent (Chat Completions takes no earlier reasoning)", async () => {
    replies.push(
      chatStream([chunk({ reasoning_content: "hm" } as never), chunk({ content: "A" })]),
      textStream("B"),
    );
    const first = await jsonTurn(handler, { model: "m", input: "one" });
    await streamTurn(handler, { model: "m", previous_response_id: first.body.id, input: "two" });
    expect(lastRequest().messages).toEqual([
      { role: "user", content: "one" },
      { role: "assistant", content: "A" },
      { role: "user", content: "two" },
    ]);
  });

  it("S9: finish_reason length ends incomplete (max_output_tokens), after the usage chunk", async () => {
    replies.push(chatStream([chunk({ content: "One, two, thr" })], "length"));
    const { response } = await streamTurn(handler, { model: "m", input: "count", max_output_tokens: 16 });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.usage?.output_tokens).toBe(7);
    expect(outputText(response)).toBe("One, two, thr");
  });

  it("S9: finish_reason content_filter ends incomplete with that reason", async () => {
    replies.push(chatStream([chunk({ content: "I" })], "content_filter"));
    const { response } = await streamTurn(handler, { model: "m", input: "x" });
    expect(response.incomplete_details).toEqual({ reason: "content_filter" });
  });

  it("S7: a refusal streams as a refusal content part", async () => {
    replies.push(chatStream([chunk({ refusal: "I can't " }), chunk({ refusal: "help with that." })]));
    const { events, response } = await streamTurn(handler, { model: "m", input: "x" });
    expect(typesOf(events)).toContain("response.refusal.delta");
    expect(response.output[0]).toMatchObject({
      content: [{ type: "refusal", refusal: "I can't help with that." }],
    });
  });

  it("tolerates chunks without choices, nulls, keep-alive comments, CRLF and no [DONE]", async () => {
    replies.push({
      kind: "sse",
      chunks: [
        ": keep-alive\n\n",
        sseData({ ...chunk({ role: "assistant", content: null, tool_calls: null } as never), usage: null }),
        sseData({ id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [] }),
        `data: ${JSON.stringify(chunk({ content: "fine" }))}\r\n\r\n`,
        sseData(chunk({ content: null }, "stop")),
      ],
    });
    const { response } = await streamTurn(handler, { model: "m", input: "x" });
    expect(outputText(response)).toBe("fine");
    expect(response.status).toBe("completed");
  });

  it("an upstream that ignores stream and answers one chat.completion is read too", async () => {
    replies.push({
      kind: "json",
      status: 200,
      body: completion({
        role: "assistant",
        content: "Whole answer.",
        refusal: null,
        tool_calls: [{ id: "call_z", type: "function", function: { name: "get_weather", arguments: "{}" } }],
      }),
    });
    const { response } = await streamTurn(handler, { model: "m", input: "x", tools: [weather] });
    expect(outputText(response)).toBe("Whole answer.");
    expect(response.output[1]).toMatchObject({ type: "function_call", call_id: "call_z" });
    expect(response.usage?.input_tokens).toBe(USAGE.prompt_tokens);
  });
});

describe("chatCompletionsModel: failures", () => {
  it("E2: upstream 401 is a 401 spec error with the upstream's message, never the key", async () => {
    replies.push({
      kind: "json",
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${KEY}.`,
          type: "invalid_request_error",
          code: "invalid_api_key",
          param: null,
        },
      },
    });
    const { status, body } = await jsonTurn(handler, { model: "m", input: "hi" });
    expect(status).toBe(401);
    expect(body.error).toMatchObject({ code: "invalid_api_key", type: "invalid_request" });
    expect(JSON.stringify(body)).not.toContain(KEY);
  });

  it("E2: upstream 429 is a 429 with Retry-After, for a streaming request too", async () => {
    replies.push({
      kind: "json",
      status: 429,
      body: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
      headers: { "retry-after": "3" },
    });
    const answer = await handler(post("/v1/responses", { model: "m", input: "hi", stream: true }));
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe("3");
    expect(answer.headers.get("content-type")).toContain("application/json");
  });

  it("E2: upstream 500 is a 502 server_error", async () => {
    replies.push({ kind: "json", status: 500, body: { error: { message: "model crashed" } } });
    const { status, body } = await jsonTurn(handler, { model: "m", input: "hi" });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ type: "server_error", code: "upstream_error" });
    expect((body.error as { message: string }).message).toContain("model crashed");
  });

  it("S8: a stream cut mid-way is error + response.failed keeping the text that streamed", async () => {
    // The pause lets the chunk reach the bridge before the connection breaks.
    replies.push({
      kind: "sse",
      chunks: [sseData(chunk({ content: "Partial ans" }))],
      delayMs: 50,
      after: "cut",
    });
    const { events, response } = await streamTurn(handler, { model: "m", input: "hi" });
    expect(typesOf(events).slice(-2)).toEqual(["error", "response.failed"]);
    expect(response.status).toBe("failed");
    expect(outputText(response)).toBe("Partial ans");
  });

  it("S8: a stream that ends cleanly without a finish reason or [DONE] was cut, not finished", async () => {
    replies.push({ kind: "sse", chunks: [sseData(chunk({ content: "Half" }))] });
    const { response } = await streamTurn(handler, { model: "m", input: "hi" });
    expect(response.status).toBe("failed");
    expect(response.error?.message).toContain("ended before the answer was finished");
  });

  it("S8: an error object inside the stream fails the response with the upstream's message", async () => {
    replies.push({
      kind: "sse",
      chunks: [
        sseData(chunk({ content: "So" })),
        sseData({ error: { message: "overloaded", code: "overloaded" } }),
        DONE,
      ],
    });
    const { response } = await streamTurn(handler, { model: "m", input: "hi" });
    expect(response.status).toBe("failed");
    expect(response.error).toMatchObject({ code: "overloaded" });
    expect(response.error?.message).toContain("overloaded");
  });

  it("an error object as the first chunk is the HTTP answer (502), not a stream", async () => {
    replies.push({ kind: "sse", chunks: [sseData({ error: { message: "model not loaded" } })] });
    const { status, body } = await jsonTurn(handler, { model: "m", input: "hi" });
    expect(status).toBe(502);
    expect((body.error as { message: string }).message).toContain("model not loaded");
  });

  it("a client that leaves mid-stream aborts the upstream request", async () => {
    replies.push({
      kind: "sse",
      chunks: [sseData(chunk({ role: "assistant", content: "Hello" }))],
      after: "hold",
    });
    const before = fake.aborts;
    const answer = await handler(post("/v1/responses", { model: "m", input: "hi", stream: true }));
    const reader = answer.body?.getReader();
    let text = "";
    for (let i = 0; i < 20 && !text.includes("output_text.delta"); i++) {
      const step = await reader?.read();
      if (!step || step.done) break;
      text += new TextDecoder().decode(step.value);
    }
    expect(text).toContain("output_text.delta");
    await reader?.cancel();
    await fake.waitForAborts(before + 1);
  });
});

describe("chatCompletionsModel: refused by name (400, param), before any upstream call", () => {
  const cases: Array<[string, object, string]> = [
    [
      "a file by URL",
      { input: [{ role: "user", content: [{ type: "input_file", file_url: "https://example.com/a.pdf" }] }] },
      "input[0].content[0]",
    ],
    ["log probabilities", { top_logprobs: 2 }, "top_logprobs"],
    [
      "a foreign compaction item",
      {
        input: [
          { type: "compaction", encrypted_content: "opaque-from-elsewhere" },
          { role: "user", content: "hi" },
        ],
      },
      "input[0]",
    ],
  ];
  for (const [what, body, param] of cases) {
    it(`${what} → 400 unsupported_parameter, param ${param}`, async () => {
      const calls = fake.requests.length;
      const { status, body: answer } = await jsonTurn(handler, { model: "m", input: "hi", ...body });
      expect(status).toBe(400);
      expect(answer.error).toMatchObject({ param, code: "unsupported_parameter", type: "invalid_request" });
      expect((answer.error as { message: string }).message).toContain("Chat Completions");
      expect(fake.requests.length).toBe(calls);
    });
  }

  it("background is refused by the kit itself before the bridge runs", async () => {
    const { status, body } = await jsonTurn(handler, { model: "m", input: "hi", background: true });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ param: "background" });
    expect(fake.requests).toHaveLength(0);
  });

  it("the options are checked when the model is made", () => {
    expect(() => chatCompletionsModel({} as never)).toThrow(/baseURL/);
  });
});

describe("chatCompletionsModel: compaction", () => {
  it("POST /responses/compact, then a turn from the compacted window sends the upstream plain messages", async () => {
    replies.push(textStream("Nice to meet you, Ada."), textStream("Your name is Ada."));
    const first = await jsonTurn(handler, { model: "m", input: "My name is Ada." });
    const compacted = await handler(
      post("/v1/responses/compact", { model: "m", previous_response_id: first.body.id }),
    );
    expect(compacted.status).toBe(200);
    const window = (await compacted.json()) as { output: unknown[] };
    await streamTurn(handler, {
      model: "m",
      input: [...window.output, { role: "user", content: "What is my name?" }],
    });
    expect(lastRequest().messages).toEqual([
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "Nice to meet you, Ada." },
      { role: "user", content: "What is my name?" },
    ]);
  });
});

it("usageChunk and the fake's chunks are the real wire types (typed with the openai SDK)", () => {
  expect(usageChunk(USAGE).choices).toEqual([]);
});
