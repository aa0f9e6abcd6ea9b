/**
 * The official `openai` SDK (latest) against the kit: what its users do every day, each scenario
 * asserting the built-in model's (deterministic) answer. Loopback only, dummy key.
 */

import OpenAI from "openai";
import { zodTextFormat } from "openai/helpers/zod";
import { ResponsesWS } from "openai/resources/responses/ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { DUMMY_KEY, type InteropKit, startKit } from "./kit.js";

let spec: InteropKit;
let openaiDialect: InteropKit;
let client: OpenAI;
let dialectClient: OpenAI;

beforeAll(async () => {
  spec = await startKit();
  openaiDialect = await startKit({ dialect: "openai" });
  client = new OpenAI({ baseURL: spec.baseURL, apiKey: DUMMY_KEY, maxRetries: 0, timeout: 10_000 });
  dialectClient = new OpenAI({
    baseURL: openaiDialect.baseURL,
    apiKey: DUMMY_KEY,
    maxRetries: 0,
    timeout: 10_000,
  });
});
afterAll(async () => {
  await spec?.close();
  await openaiDialect?.close();
  expect([...(spec?.errors ?? []), ...(openaiDialect?.errors ?? [])]).toEqual([]);
});

const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "The weather in a city",
  strict: true,
  parameters: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  },
};

describe("openai SDK: create", () => {
  it("with a string input", async () => {
    const response = await client.responses.create({ model: "gpt-4.1", input: "echo plain string" });
    expect(response.output_text).toBe("plain string");
  });

  it("with [{ role, content }] input (no type), every role", async () => {
    const response = await client.responses.create({
      model: "gpt-4.1",
      input: [
        { role: "developer", content: "answer briefly" },
        { role: "user", content: "my name is Ada" },
        { role: "assistant", content: "Nice to meet you, Ada." },
        { role: "user", content: "what is my name?" },
      ],
    });
    expect(response.output_text).toBe("Your name is Ada.");
    const sent = spec.requests.at(-1)?.body as { input: Array<Record<string, unknown>> };
    expect(sent.input.every((item) => item.type === undefined)).toBe(true);
  });
});

describe("openai SDK: stream() helper with reasoning", () => {
  it('under dialect "openai": reasoning_text deltas reach the helper, and the final answer', async () => {
    const stream = dialectClient.responses.stream({
      model: "gpt-5",
      input: "what is 12 * 7?",
      reasoning: { effort: "low", summary: "auto" },
    });
    let reasoning = "";
    let summary = "";
    stream.on("response.reasoning_text.delta", (event) => {
      reasoning += event.delta;
    });
    stream.on("response.reasoning_summary_text.delta", (event) => {
      summary += event.delta;
    });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe("12 * 7 = 84");
    expect(reasoning).toContain('The user wrote: "what is 12 * 7?"');
    expect(summary.length).toBeGreaterThan(0);
    const item = final.output.find((entry) => entry.type === "reasoning");
    expect(item?.type === "reasoning" && item.content?.[0]?.text).toBe(reasoning);
  });

  it("under the default dialect the helper refuses the spec's response.reasoning.delta (why the dialect exists)", async () => {
    const stream = client.responses.stream({
      model: "gpt-5",
      input: "what is 12 * 7?",
      reasoning: { effort: "low" },
    });
    await expect(stream.finalResponse()).rejects.toThrow();
    // Without reasoning, the default dialect is all the helper needs.
    const plain = await client.responses.stream({ model: "gpt-5", input: "count to 3" }).finalResponse();
    expect(plain.output_text).toBe("1, 2, 3.");
  });
});

describe("openai SDK: a function-tool round trip", () => {
  it("call → function_call_output (previous_response_id) → answer; the whole items sent back work too", async () => {
    const first = await client.responses.create({
      model: "gpt-4.1",
      input: "weather in Paris?",
      tools: [weather],
    });
    const call = first.output.find((item) => item.type === "function_call");
    if (call?.type !== "function_call") throw new Error("expected a function_call");
    expect(JSON.parse(call.arguments)).toEqual({ city: "Paris" });
    const output = { type: "function_call_output" as const, call_id: call.call_id, output: '{"temp_c":21}' };
    const second = await client.responses.create({
      model: "gpt-4.1",
      previous_response_id: first.id,
      tools: [weather],
      input: [output],
    });
    expect(second.output_text).toBe("Here is what I found: get_weather (city: Paris) returned temp_c: 21.");
    // Stateless: the first response's output items sent back as input, as the SDK's users do with store: false.
    const stateless = await client.responses.create({
      model: "gpt-4.1",
      tools: [weather],
      // The SDK types output items wider than input items (computer calls); these are function calls and messages.
      input: [
        { role: "user", content: "weather in Paris?" },
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        output,
      ],
    });
    expect(stateless.output_text).toBe(second.output_text);
  });
});

describe("openai SDK: responses.parse with zod", () => {
  it("output_parsed is the typed value", async () => {
    const parsed = await client.responses.parse({
      model: "gpt-4.1",
      input: "what is 6 * 7?",
      text: { format: zodTextFormat(z.object({ answer: z.string(), value: z.number() }), "calculation") },
    });
    expect(parsed.output_parsed).toEqual({ answer: "6 * 7 = 42", value: 42 });
    expect(parsed.text?.format).toMatchObject({ type: "json_schema", name: "calculation", schema: null });
  });
});

describe("openai SDK: retrieve, inputItems.list, delete", () => {
  it("retrieve gives the stored response; inputItems.list pages over the context; delete removes it", async () => {
    const first = await client.responses.create({ model: "gpt-4.1", input: "my name is Ada" });
    const second = await client.responses.create({
      model: "gpt-4.1",
      input: "what is my name?",
      previous_response_id: first.id,
    });
    const retrieved = await client.responses.retrieve(second.id);
    expect(retrieved.output_text).toBe("Your name is Ada.");

    const ids: string[] = [];
    for await (const item of client.responses.inputItems.list(second.id, { limit: 1, order: "asc" })) {
      ids.push(item.id);
    }
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe(first.output[0]?.id);
    const page = await client.responses.inputItems.list(second.id, { limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);

    await client.responses.delete(second.id);
    await expect(client.responses.retrieve(second.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe("openai SDK: its WebSocket client (ResponsesWS)", () => {
  it("two turns on one socket, the second continuing the first (W4)", async () => {
    const socket = new ResponsesWS(new OpenAI({ baseURL: spec.baseURL, apiKey: DUMMY_KEY }));
    type Event = {
      type: string;
      response?: { id: string; output: Array<{ content?: Array<{ text?: string }> }> };
    };
    const turn = () =>
      new Promise<Event>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no terminal event within 5 s")), 5000);
        const listener = (event: Event) => {
          if (event.type === "error") reject(new Error(JSON.stringify(event)));
          if (!["response.completed", "response.failed", "response.incomplete"].includes(event.type)) return;
          clearTimeout(timer);
          socket.off("event", listener as never);
          resolve(event);
        };
        socket.on("event", listener as never);
      });
    const text = (event: Event) =>
      event.response?.output
        .flatMap((item) => item.content ?? [])
        .map((part) => part.text)
        .join("");
    try {
      const first = turn();
      socket.send({ type: "response.create", model: "gpt-4.1", input: "my name is Ada", store: false });
      const one = await first;
      expect(one.type).toBe("response.completed");
      const second = turn();
      socket.send({
        type: "response.create",
        model: "gpt-4.1",
        input: [{ role: "user", content: "what is my name?" }],
        previous_response_id: one.response?.id,
        store: false,
      });
      expect(text(await second)).toBe("Your name is Ada.");
    } finally {
      socket.close();
    }
  });
});
