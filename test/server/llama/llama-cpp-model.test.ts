/**
 * `llamaCppModel` running real inference: a tiny random llama written by test/support/tiny-gguf.ts,
 * loaded once for the file, served through the kit. A random model says nothing meaningful, so these
 * tests hold the plumbing to account: streaming, budgets, sampling, abort, grammars, function calling,
 * the context window, continuity. One thread, as more are far slower on a small shared machine.
 */

import Ajv from "ajv";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OpenResponses } from "../../../src/index.js";
import { createResponsesHandler, type LlamaCppModel, llamaCppModel } from "../../../src/server/index.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";
import { describeWith, llamaCppNeed } from "../../support/needs.js";
import { TINY_CHAT_TEMPLATE, type TinyModelFile, writeTinyModel } from "../../support/tiny-gguf.js";

type Item = Record<string, unknown> & { type: string };
interface Resource {
  id: string;
  status: string;
  incomplete_details: { reason: string } | null;
  output: Item[];
  usage: {
    input_tokens: number;
    output_tokens: number;
    input_tokens_details: { cached_tokens: number };
    output_tokens_details: { reasoning_tokens: number };
  };
}

const CONTEXT = 1024;
const STORY = "Write a long story about a lighthouse keeper.";
/** A prompt whose greedy answer never ends (the model loops): it runs until a budget stops it. */
const ENDLESS = "Tell me a story.";
const WEATHER = {
  type: "function",
  name: "get_weather",
  description: "The weather in a city.",
  parameters: {
    type: "object",
    properties: { city: { type: "string" }, unit: { enum: ["C", "F"] } },
    required: ["city", "unit"],
    additionalProperties: false,
  },
};
const TIME = { type: "function", name: "get_time", parameters: { type: "object", properties: {} } };

const need = await llamaCppNeed();

describeWith(need, "llamaCppModel with a tiny random GGUF model", () => {
  let file: TinyModelFile;
  let model: LlamaCppModel;
  let handler: ReturnType<typeof createResponsesHandler>;

  beforeAll(async () => {
    file = writeTinyModel();
    model = llamaCppModel({ modelPath: file.path, threads: 1, gpu: false, contextSize: CONTEXT, seed: 1234 });
    await model.load();
    handler = createResponsesHandler({ model });
  }, 60_000);
  afterAll(async () => {
    await model?.close();
    file?.remove();
  });

  const post = (body: unknown, signal?: AbortSignal) =>
    handler(
      new Request("http://llama.test/v1/responses", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      }),
    );
  async function create(body: Record<string, unknown>): Promise<Resource> {
    const answer = await post(body);
    const text = await answer.text();
    expect(answer.status, text).toBe(200);
    return JSON.parse(text) as Resource;
  }
  const textOf = (resource: Resource) =>
    resource.output
      .filter((item) => item.type === "message")
      .flatMap((item) => item.content as Array<{ text?: string }>)
      .map((part) => part.text ?? "")
      .join("");
  const callsOf = (resource: Resource) =>
    resource.output.filter((item) => item.type === "function_call") as Array<
      Item & { name: string; arguments: string; call_id: string }
    >;

  it("load() reports the model, its window and its chat format", async () => {
    expect(await model.load()).toMatchObject({
      name: "tiny-llama",
      contextSize: CONTEXT,
      trainContextSize: 2048,
      sequences: 2,
      threads: 1,
      gpu: false,
      gpuLayers: 0,
      chatFormat: "JinjaTemplate",
      parallelToolCalls: true,
      reasoning: true,
    });
    expect(model.defaultModel).toBe("tiny-llama");
  });

  it("S1–S9: a streamed answer passes the client's strict protocol checks, its text the sum of its deltas", async () => {
    const client = new OpenResponses({
      baseURL: "http://llama.test/v1",
      apiKey: null,
      strict: true,
      maxRetries: 0,
      fetch: (input, init) => handler(new Request(input, init)),
    });
    const stream = client.responses.stream({ input: STORY, temperature: 0 });
    let deltas = "";
    let count = 0;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") {
        deltas += event.delta;
        count++;
      }
    }
    const response = await stream.finalResponse();
    expect(response.status).toBe("completed");
    expect(count).toBeGreaterThan(1);
    expect(response.output_text).toBe(deltas);
    expect(response.model).toBe("tiny-llama");
    expect(response.usage?.input_tokens).toBeGreaterThan(10);
    expect(response.usage?.output_tokens).toBeGreaterThanOrEqual(count);
  });

  it("S9: max_output_tokens cuts the answer: the message and the response are incomplete", async () => {
    const response = await create({ input: ENDLESS, temperature: 0, max_output_tokens: 16 });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.output.at(-1)).toMatchObject({ type: "message", status: "incomplete" });
    expect(response.usage.output_tokens).toBe(16);
    // With a larger budget the same greedy answer goes on, from the same start.
    const longer = await create({ input: ENDLESS, temperature: 0, max_output_tokens: 64 });
    expect(longer.usage.output_tokens).toBe(64);
    expect(textOf(longer).startsWith(textOf(response))).toBe(true);
  });

  it("temperature and top_p are honoured: 0 is greedy, and top_p near 0 is greedy at any temperature", async () => {
    const greedy = textOf(await create({ input: ENDLESS, temperature: 0, max_output_tokens: 24 }));
    expect(textOf(await create({ input: ENDLESS, temperature: 0, max_output_tokens: 24 }))).toBe(greedy);
    const hot = textOf(await create({ input: ENDLESS, temperature: 2, max_output_tokens: 24 }));
    expect(hot).not.toBe(greedy);
    const narrow = textOf(
      await create({ input: ENDLESS, temperature: 2, top_p: 1e-9, max_output_tokens: 24 }),
    );
    expect(narrow).toBe(greedy);
  });

  it("aborting the request's signal stops the generation at once", async () => {
    // A grammar that demands 600 characters: unstopped, the model writes at least that many tokens.
    const body = {
      input: STORY,
      text: {
        format: {
          type: "json_schema",
          name: "long",
          schema: { type: "object", properties: { story: { type: "string", minLength: 600 } } },
        },
      },
    };
    const controller = new AbortController();
    const request = {
      body,
      input: [{ type: "message", role: "user", content: STORY }],
      responseId: "resp_abort",
      signal: controller.signal,
      tools: [],
      toolChoice: "auto",
    } as unknown as ModelRequest;
    const parts: ModelPart[] = [];
    const started = Date.now();
    for await (const part of model(request)) {
      parts.push(part);
      if (parts.length === 3) controller.abort();
    }
    const text = parts.map((part) => (part.type === "text" ? part.delta : "")).join("");
    expect(text.length).toBeLessThan(200);
    expect(parts.some((part) => part.type === "incomplete")).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a client that leaves mid-stream frees its sequence: later requests are served", async () => {
    for (let i = 0; i < 3; i++) {
      const controller = new AbortController();
      const answer = await post({ input: STORY, stream: true, max_output_tokens: 900 }, controller.signal);
      const reader = answer.body?.getReader();
      await reader?.read();
      controller.abort();
      await reader?.cancel().catch(() => {});
    }
    const after = await create({ input: "hi", max_output_tokens: 16 });
    expect(["completed", "incomplete"]).toContain(after.status);
  });

  it("P5: json_schema output is constrained by the engine's grammar and validates against the schema", async () => {
    const schema = {
      type: "object",
      properties: {
        city: { type: "string" },
        country: { type: "string" },
        capital: { type: "boolean" },
        size: { enum: ["small", "large"] },
        districts: { type: "array", items: { type: "string" }, maxItems: 3 },
      },
      // No number: the engine's number grammar allows 16-digit exponents, which a random model writes
      // and JavaScript reads as Infinity (valid JSON, but not a finite number for a validator).
      required: ["city", "country", "capital", "size", "districts"],
      additionalProperties: false,
    };
    const validate = new Ajv().compile(schema);
    for (const temperature of [0, 1]) {
      const response = await create({
        input: "Describe a city.",
        temperature,
        text: { format: { type: "json_schema", name: "city", schema, strict: true } },
      });
      expect(response.status).toBe("completed");
      const value: unknown = JSON.parse(textOf(response));
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    }
    // JSON mode: any JSON value.
    const json = await create({ input: "JSON please.", text: { format: { type: "json_object" } } });
    expect(() => JSON.parse(textOf(json))).not.toThrow();
  });

  it("P2/P4: tool_choice required forces a call through the engine; arguments follow the tool's schema", async () => {
    const validate = new Ajv().compile(WEATHER.parameters);
    const response = await create({
      input: "Weather in Paris?",
      tools: [WEATHER, TIME],
      tool_choice: "required",
    });
    expect(response.status).toBe("completed");
    const calls = callsOf(response);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(["get_weather", "get_time"]).toContain(call.name);
      const args: unknown = JSON.parse(call.arguments);
      if (call.name === "get_weather") expect(validate(args), JSON.stringify(validate.errors)).toBe(true);
      else expect(args).toEqual({});
      expect(call.call_id).toMatch(/^call_/);
    }
  });

  it("P2: a named function is the one called; its output, sent next turn, is read by the model", async () => {
    const first = await create({
      input: "Weather in Paris?",
      tools: [WEATHER, TIME],
      tool_choice: { type: "function", name: "get_weather" },
    });
    const calls = callsOf(first);
    expect(calls.map((call) => call.name)).toEqual(calls.map(() => "get_weather"));
    const call = calls[0];
    if (!call) throw new Error("no call");
    const outputs = calls.map((each) => ({
      type: "function_call_output",
      call_id: each.call_id,
      output: "18C",
    }));
    const second = await create({ previous_response_id: first.id, input: outputs, tools: [WEATHER, TIME] });
    expect(second.status).toMatch(/^(completed|incomplete)$/);
    expect(callsOf(second).length + textOf(second).length).toBeGreaterThan(0);
    // The second prompt is the first one continued: the sequence kept it, and it grew by the call and
    // its output.
    expect(second.usage.input_tokens).toBeGreaterThan(first.usage.input_tokens + first.usage.output_tokens);
    expect(second.usage.input_tokens_details.cached_tokens).toBeGreaterThan(first.usage.input_tokens / 2);
  });

  it("P2: tool_choice none offers no tool (the prompt holds no tool documentation), and no call is made", async () => {
    const withTools = await create({ input: "Weather?", tools: [WEATHER, TIME], max_output_tokens: 16 });
    const none = await create({
      input: "Weather?",
      tools: [WEATHER, TIME],
      tool_choice: "none",
      max_output_tokens: 16,
    });
    expect(callsOf(none)).toEqual([]);
    expect(none.usage.input_tokens).toBeLessThan(withTools.usage.input_tokens - 50);
  });

  it("P1: previous_response_id continues the conversation in the same sequence (cached prefix)", async () => {
    const first = await create({ input: "My name is Ada.", max_output_tokens: 16 });
    const second = await create({
      input: "What is my name?",
      previous_response_id: first.id,
      max_output_tokens: 16,
    });
    expect(second.usage.input_tokens).toBeGreaterThan(first.usage.input_tokens + first.usage.output_tokens);
    expect(second.usage.input_tokens_details.cached_tokens).toBeGreaterThanOrEqual(
      first.usage.input_tokens - 2,
    );
  });

  it("P3: a context longer than the window is a 400 naming the limit; truncation auto drops the oldest turns", async () => {
    const turns = Array.from({ length: 24 }, (_, index) => [
      { type: "message", role: "user", content: `Turn ${index}: ${"tell me more ".repeat(4)}` },
      { type: "message", role: "assistant", content: "Here is more. ".repeat(4) },
    ]).flat();
    const input = [...turns, { type: "message", role: "user", content: "And now?" }];
    const refused = await post({ input, max_output_tokens: 16 });
    expect(refused.status).toBe(400);
    const { error } = (await refused.json()) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ type: "invalid_request", param: "input", code: "context_length_exceeded" });
    expect(error.message).toMatch(new RegExp(`context window is ${CONTEXT} tokens`));
    const truncated = await create({ input, truncation: "auto", max_output_tokens: 16 });
    expect(["completed", "incomplete"]).toContain(truncated.status);
    expect(truncated.usage.input_tokens).toBeGreaterThan(CONTEXT);
  });

  it("I3: an image is refused by name, before any event (400 unsupported_content)", async () => {
    const answer = await post({
      stream: true,
      input: [
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "What is this?" },
            { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" },
          ],
        },
      ],
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: unknown }).error).toMatchObject({
      param: "input[0].content[1]",
      code: "unsupported_content",
    });
  });

  it("one loaded model serves concurrent requests: two sequences at once, the rest wait their turn", async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, index) => create({ input: `Request ${index}`, max_output_tokens: 24 })),
    );
    for (const answer of answers) expect(["completed", "incomplete"]).toContain(answer.status);
  });

  it("close() frees the model; the next request loads it again", async () => {
    await model.close();
    const again = await create({ input: "hi", max_output_tokens: 16 });
    expect(["completed", "incomplete"]).toContain(again.status);
  });
});

describeWith(need, "llamaCppModel: thinking segments are reasoning (I5)", () => {
  let file: TinyModelFile;
  let model: LlamaCppModel;

  beforeAll(async () => {
    // The generation prompt opens a thought, as reasoning models' templates do.
    const template = TINY_CHAT_TEMPLATE.replace(
      "{%- if add_generation_prompt %}<|im_start|>assistant\n",
      "{%- if add_generation_prompt %}<|im_start|>assistant\n<think>\n",
    );
    file = writeTinyModel({ chatTemplate: template });
    model = llamaCppModel({ modelPath: file.path, threads: 1, gpu: false, contextSize: 512, seed: 7 });
  }, 60_000);
  afterAll(async () => {
    await model?.close();
    file?.remove();
  });

  async function run(body: Record<string, unknown>): Promise<Resource> {
    const handler = createResponsesHandler({ model });
    const answer = await handler(
      new Request("http://llama.test/v1/responses", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: "Think: 17 * 3?", ...body }),
      }),
    );
    return (await answer.json()) as Resource;
  }

  it("the thought comes first as a reasoning item with reasoning_text, counted as reasoning tokens", async () => {
    const response = await run({});
    const reasoning = response.output[0];
    expect(reasoning?.type).toBe("reasoning");
    const content = reasoning?.content as Array<{ type: string; text: string }>;
    expect(content[0]?.type).toBe("reasoning_text");
    expect(content[0]?.text.length).toBeGreaterThan(0);
    expect(response.usage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });

  it("reasoning effort none gives no reasoning item", async () => {
    const response = await run({ reasoning: { effort: "none" } });
    expect(response.output.filter((item) => item.type === "reasoning")).toEqual([]);
  });
});

describeWith(need, "llamaCppModel: a model that ends its turn at once", () => {
  let file: TinyModelFile;
  let model: LlamaCppModel;

  beforeAll(async () => {
    // End-of-turn outweighs every other token: the first token sampled ends the answer.
    file = writeTinyModel({ stopBias: 50 });
    model = llamaCppModel({ modelPath: file.path, threads: 1, gpu: false, contextSize: 256 });
  }, 60_000);
  afterAll(async () => {
    await model?.close();
    file?.remove();
  });

  it("answers with an empty message, not with no output (H2: a response to a prompt holds a message)", async () => {
    const handler = createResponsesHandler({ model });
    const answer = await handler(
      new Request("http://llama.test/v1/responses", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: "hello" }),
      }),
    );
    const response = (await answer.json()) as Resource;
    expect(response.status).toBe("completed");
    expect(response.output).toMatchObject([
      { type: "message", status: "completed", content: [{ type: "output_text", text: "" }] },
    ]);
  });
});
