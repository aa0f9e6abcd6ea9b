/** `client.responses.runTools()` against the server kit on 127.0.0.1: the built-in model and scripted ones. */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { APIUserAbortError } from "../../src/errors.js";
import { createMemoryStore, createResponsesHandler, mockModel, serve } from "../../src/server/index.js";
import type { ModelPart, ModelRequest } from "../../src/server/model.js";
import {
  type RunnableTool,
  type RunToolsOptions,
  type ToolContext,
  ToolExecutionError,
  type ToolRunEvent,
  ToolRunMaxTurnsError,
  tool,
} from "../../src/tools/index.js";
import { scriptedModel } from "../server/kit/helpers.js";

type Server = Awaited<ReturnType<typeof serve>>;

const weatherParameters = {
  type: "object",
  properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
  required: ["city", "unit"],
  additionalProperties: false,
};

function weatherTool(
  execute: (args: { city: string; unit: string }, context: ToolContext) => unknown = (args) => ({
    city: args.city,
    temperature: 18,
    unit: args.unit,
  }),
) {
  const calls: Array<{ city: string; unit: string }> = [];
  const runnable = tool({
    name: "get_weather",
    description: "Get the current weather in a city",
    parameters: weatherParameters,
    execute: (args: { city: string; unit: string }, context) => {
      calls.push(args);
      return execute(args, context);
    },
  });
  return Object.assign(runnable, { calls });
}

/** A client whose `fetch` is a kit handler running `model` in-process (no socket needed). */
function clientFor(model: Parameters<typeof createResponsesHandler>[0]["model"]): OpenResponses {
  const handler = createResponsesHandler({ model });
  return new OpenResponses({
    baseURL: "http://in-process.test/v1",
    apiKey: null,
    maxRetries: 0,
    fetch: (input, init) => handler(new Request(input, init)),
  });
}

/** Items of one type in a model request's resolved context. */
function inputOfType(request: ModelRequest, type: string): Array<Record<string, unknown>> {
  return request.input.filter((item) => (item as { type?: string }).type === type) as Array<
    Record<string, unknown>
  >;
}

/** A model that makes `calls` on its first turn, then answers with the function outputs it was sent. */
function callThenAnswer(calls: Array<{ name: string; arguments: string }>) {
  return scriptedModel((request): ModelPart[] => {
    const outputs = inputOfType(request, "function_call_output");
    if (outputs.length > 0) {
      return [{ type: "text", delta: `outputs: ${outputs.map((item) => String(item.output)).join(" | ")}` }];
    }
    return calls.map((call, index) => ({ type: "function_call", ...call, callId: `call_${index}` }));
  });
}

describe("runTools against the built-in model over HTTP", () => {
  let server: Server;
  let client: OpenResponses;

  beforeAll(async () => {
    server = await serve({
      handler: createResponsesHandler({ model: mockModel() }),
      port: 0,
      host: "127.0.0.1",
    });
    client = new OpenResponses({ baseURL: `${server.url}/v1`, apiKey: null, maxRetries: 0, model: "m" });
  });
  afterAll(async () => {
    await server.close();
  });

  it("a weather round trip: the call runs, its output goes back, the model answers", async () => {
    const weather = weatherTool();
    const result = await client.responses.runTools({
      input: "What's the weather in Paris, in fahrenheit?",
      tools: [weather],
    });
    expect(weather.calls).toEqual([{ city: "Paris", unit: "fahrenheit" }]);
    expect(result.stopReason).toBe("completed");
    expect(result.responses).toHaveLength(2);
    expect(result.response).toBe(result.responses[1]);
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({ turn: 1, status: "ok" });
    expect(JSON.parse(result.toolCalls[0]?.output as string)).toEqual({
      city: "Paris",
      temperature: 18,
      unit: "fahrenheit",
    });
    // The built-in model reads the output back, so the answer proves the output reached it.
    expect(result.outputText).toContain("get_weather");
    expect(result.outputText).toContain("18");
    expect(result.pendingCalls).toEqual([]);
    // The items are the whole exchange in request form: input, call, output, answer.
    const types = result.items.map((item) => item.type);
    expect(types[0]).toBe("message");
    expect(types).toContain("function_call");
    expect(types.indexOf("function_call_output")).toBeGreaterThan(types.indexOf("function_call"));
    // The second turn continued with previous_response_id (the default mode).
    expect(result.responses[1]?.previous_response_id).toBe(result.responses[0]?.id);
  });

  it("parallel calls run at once (bounded by concurrency) and their outputs keep call order", async () => {
    let inFlight = 0;
    let peak = 0;
    const weather = weatherTool(async (args) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      // Oslo finishes first, so completion order differs from call order.
      await new Promise((resolve) => setTimeout(resolve, args.city === "Paris" ? 40 : 5));
      inFlight -= 1;
      return `${args.city}: 18`;
    });
    const result = await client.responses.runTools({
      input: "What's the weather in Paris and Oslo?",
      tools: [weather],
    });
    expect(result.toolCalls.map((record) => record.output)).toEqual(["Paris: 18", "Oslo: 18"]);
    expect(peak).toBe(2);
    const outputs = result.items.filter((item) => item.type === "function_call_output");
    expect(outputs.map((item) => (item as { output: string }).output)).toEqual(["Paris: 18", "Oslo: 18"]);

    peak = 0;
    const sequential = await client.responses.runTools(
      { input: "What's the weather in Paris and Oslo?", tools: [weather] },
      { concurrency: 1 },
    );
    expect(peak).toBe(1);
    expect(sequential.toolCalls.map((record) => record.output)).toEqual(["Paris: 18", "Oslo: 18"]);
  });

  it("resend mode sends the whole context each turn, without previous_response_id", async () => {
    const weather = weatherTool();
    const result = await client.responses.runTools(
      { input: "What's the weather in Paris, in celsius?", tools: [weather], store: false },
      { mode: "resend" },
    );
    expect(result.stopReason).toBe("completed");
    expect(result.responses).toHaveLength(2);
    expect(result.responses[1]?.previous_response_id ?? null).toBeNull();
    expect(result.outputText).toContain("18");
  });

  it("maxTurns: a model that keeps calling ends in ToolRunMaxTurnsError with the run so far", async () => {
    const weather = weatherTool();
    const run = client.responses.runTools(
      { input: "What's the weather in Paris, in celsius?", tools: [weather], tool_choice: "required" },
      { maxTurns: 3 },
    );
    const error = await run.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ToolRunMaxTurnsError);
    const maxed = error as ToolRunMaxTurnsError;
    expect(maxed.maxTurns).toBe(3);
    expect(maxed.responses).toHaveLength(3);
    expect(maxed.response).toBe(maxed.responses[2]);
    // The calls of the last response were not run: two turns' worth of executions only.
    expect(weather.calls).toHaveLength(2);
    expect(maxed.pendingCalls.length).toBeGreaterThan(0);
    expect(maxed.pendingCalls[0]?.name).toBe("get_weather");
    expect(maxed.items.filter((item) => item.type === "function_call_output")).toHaveLength(2);
    expect(maxed.message).toContain("maxTurns");
  });

  it("stream: true yields every turn's events and the tool outputs between them", async () => {
    const weather = weatherTool();
    const run = client.responses.runTools({
      input: "What's the weather in Paris, in celsius?",
      tools: [weather],
      stream: true,
    });
    const seen: ToolRunEvent[] = [];
    for await (const item of run) seen.push(item);
    const turnsOf = (type: string) =>
      seen.filter((item) => item.type === "event" && item.event.type === type).map((item) => item.turn);
    expect(turnsOf("response.created")).toEqual([1, 2]);
    expect(turnsOf("response.completed")).toEqual([1, 2]);
    expect(turnsOf("response.function_call_arguments.done")).toEqual([1]);
    expect(turnsOf("response.output_text.delta").every((turn) => turn === 1 || turn === 2)).toBe(true);
    // The tool output sits between the first turn's terminal event and the second turn's first event.
    const outputIndex = seen.findIndex((item) => item.type === "tool_output");
    const firstCompleted = seen.findIndex(
      (item) => item.type === "event" && item.event.type === "response.completed",
    );
    const secondCreated = seen.findIndex(
      (item) => item.type === "event" && item.turn === 2 && item.event.type === "response.created",
    );
    expect(firstCompleted).toBeLessThan(outputIndex);
    expect(outputIndex).toBeLessThan(secondCreated);
    expect(seen[outputIndex]).toMatchObject({ type: "tool_output", turn: 1, status: "ok" });

    const result = await run.finalResult();
    const completedIds = seen.flatMap((item) =>
      item.type === "event" && item.event.type === "response.completed" ? [item.event.response.id] : [],
    );
    expect(completedIds).toEqual(result.responses.map((response) => response.id));
    expect(completedIds.at(-1)).toBe(result.response.id);
    expect(await run.finalText()).toBe(result.outputText);
    expect(result.outputText).toContain("get_weather");
  });

  it("stream: true without iterating: finalResponse() drains every turn", async () => {
    const weather = weatherTool();
    const run = client.responses.runTools({
      input: "What's the weather in Oslo, in celsius?",
      tools: [weather],
      stream: true,
    });
    const response = await run.finalResponse();
    expect(weather.calls).toEqual([{ city: "Oslo", unit: "celsius" }]);
    expect(response.output.some((item) => item.type === "function_call")).toBe(false);
    expect(() => run[Symbol.asyncIterator]()).toThrow(/already being consumed/);
  });

  it("a plain function definition without execute stops the run with its calls pending", async () => {
    const result = await client.responses.runTools({
      input: "What's the weather in Paris, in celsius?",
      tools: [
        {
          type: "function",
          name: "get_weather",
          description: "Get the current weather in a city",
          parameters: weatherParameters,
        },
      ],
    });
    expect(result.stopReason).toBe("unhandled_calls");
    expect(result.responses).toHaveLength(1);
    expect(result.pendingCalls.map((call) => call.name)).toEqual(["get_weather"]);
    expect(result.toolCalls).toEqual([]);
  });
});

describe("runTools with scripted models", () => {
  it("sends the tools as plain definitions, and a throwing execute as an error output", async () => {
    const model = callThenAnswer([{ name: "explode", arguments: "{}" }]);
    const client = clientFor(model);
    const exploding: RunnableTool = tool({
      name: "explode",
      description: "Always fails",
      parameters: { type: "object", properties: {} },
      execute: () => {
        throw new Error("the fuse is wet");
      },
    });
    const result = await client.responses.runTools({ model: "m", input: "go", tools: [exploding] });
    expect(model.requests[0]?.body.tools).toEqual([
      {
        type: "function",
        name: "explode",
        description: "Always fails",
        parameters: { type: "object", properties: {} },
      },
    ]);
    expect(result.toolCalls[0]).toMatchObject({ status: "error", output: "Error: the fuse is wet" });
    expect(result.toolCalls[0]?.error).toBeInstanceOf(Error);
    expect((result.toolCalls[0]?.error as Error | undefined)?.message).toBe("the fuse is wet");
    expect(inputOfType(model.requests[1] as ModelRequest, "function_call_output")).toEqual([
      expect.objectContaining({ call_id: "call_0", output: "Error: the fuse is wet" }),
    ]);
    expect(result.outputText).toBe("outputs: Error: the fuse is wet");
  });

  it("throwOnToolError rejects with ToolExecutionError carrying the original error", async () => {
    const model = callThenAnswer([{ name: "explode", arguments: "{}" }]);
    const client = clientFor(model);
    const original = new Error("the fuse is wet");
    const exploding = tool({
      name: "explode",
      execute: () => {
        throw original;
      },
    });
    const error = await client.responses
      .runTools({ model: "m", input: "go", tools: [exploding] }, { throwOnToolError: true })
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect((error as ToolExecutionError).cause).toBe(original);
    expect((error as ToolExecutionError).toolName).toBe("explode");
    expect((error as ToolExecutionError).responses).toHaveLength(1);
    // Nothing was sent after the failure.
    expect(model.requests).toHaveLength(1);
  });

  it("a failed run aborts the signal of tools still running", async () => {
    const model = callThenAnswer([
      { name: "slow", arguments: "{}" },
      { name: "explode", arguments: "{}" },
    ]);
    const client = clientFor(model);
    let slowSignal: AbortSignal | undefined;
    const slow = tool({
      name: "slow",
      execute: (_args, context) => {
        slowSignal = context.signal;
        return new Promise<string>((resolve) => setTimeout(() => resolve("late"), 2_000));
      },
    });
    const exploding = tool({
      name: "explode",
      execute: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error("boom");
      },
    });
    await expect(
      client.responses.runTools(
        { model: "m", input: "go", tools: [slow, exploding] },
        { throwOnToolError: true },
      ),
    ).rejects.toBeInstanceOf(ToolExecutionError);
    expect(slowSignal?.aborted).toBe(true);
    expect(slowSignal?.reason).toBeInstanceOf(ToolExecutionError);
  });

  it("arguments that are not JSON go back to the model as an error output; execute never runs", async () => {
    const model = callThenAnswer([{ name: "get_weather", arguments: '{"city": "Par' }]);
    const client = clientFor(model);
    const weather = weatherTool();
    const result = await client.responses.runTools({ model: "m", input: "weather?", tools: [weather] });
    expect(weather.calls).toEqual([]);
    expect(result.toolCalls[0]?.status).toBe("invalid_arguments");
    const sent = inputOfType(model.requests[1] as ModelRequest, "function_call_output");
    expect(sent).toHaveLength(1);
    expect(String(sent[0]?.output)).toMatch(
      /^Error: invalid arguments for get_weather: the arguments are not valid JSON/,
    );
    expect(result.stopReason).toBe("completed");
  });

  it("a parse hook validates: what it throws is the model's error output", async () => {
    const model = callThenAnswer([{ name: "add", arguments: '{"a": 1, "b": "two"}' }]);
    const client = clientFor(model);
    const add = tool({
      name: "add",
      parse: (json) => {
        const value = JSON.parse(json) as { a: unknown; b: unknown };
        if (typeof value.a !== "number" || typeof value.b !== "number")
          throw new Error("a and b must be numbers");
        return { a: value.a, b: value.b };
      },
      execute: ({ a, b }) => a + b,
    });
    const result = await client.responses.runTools({ model: "m", input: "add", tools: [add] });
    expect(result.toolCalls[0]).toMatchObject({ status: "invalid_arguments" });
    expect(result.outputText).toContain("a and b must be numbers");
  });

  it("a call to a tool that does not exist is answered with an error naming the real tools", async () => {
    const model = callThenAnswer([
      { name: "get_wether", arguments: '{"city":"Paris","unit":"celsius"}' },
      { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' },
    ]);
    // The kit drops calls to tools the request did not offer (P2), so a hallucinated name is simulated
    // by a gateway that offers the model one more tool than the client sent.
    const handler = createResponsesHandler({ model });
    const client = new OpenResponses({
      baseURL: "http://in-process.test/v1",
      apiKey: null,
      maxRetries: 0,
      fetch: async (input, init) => {
        const body = JSON.parse(String(init?.body)) as { tools?: unknown[] };
        body.tools = [...(body.tools ?? []), { type: "function", name: "get_wether" }];
        return handler(new Request(input, { ...init, body: JSON.stringify(body) }));
      },
    });
    const weather = weatherTool(() => "sunny");
    const result = await client.responses.runTools({ model: "m", input: "weather?", tools: [weather] });
    expect(result.toolCalls.map((record) => record.status)).toEqual(["unknown_tool", "ok"]);
    expect(result.toolCalls[0]?.output).toBe(
      'Error: there is no tool named "get_wether". Available tools: get_weather.',
    );
    expect(weather.calls).toHaveLength(1);
    const sent = inputOfType(model.requests[1] as ModelRequest, "function_call_output");
    expect(sent.map((item) => item.call_id)).toEqual(["call_0", "call_1"]);
  });

  it("objects become JSON, content parts are kept, undefined becomes null", async () => {
    const model = callThenAnswer([
      { name: "obj", arguments: "" },
      { name: "parts", arguments: "{}" },
      { name: "nothing", arguments: "{}" },
    ]);
    const client = clientFor(model);
    const seenArgs: unknown[] = [];
    const result = await client.responses.runTools({
      model: "m",
      input: "go",
      tools: [
        tool({
          name: "obj",
          execute: (args) => {
            seenArgs.push(args);
            return { n: 1 };
          },
        }),
        tool({ name: "parts", execute: () => [{ type: "input_text", text: "hi" }] }),
        tool({ name: "nothing", execute: () => undefined }),
      ],
    });
    // An empty arguments string counts as no arguments.
    expect(seenArgs).toEqual([{}]);
    expect(result.toolCalls.map((record) => record.output)).toEqual([
      '{"n":1}',
      [{ type: "input_text", text: "hi" }],
      "null",
    ]);
  });

  it("continues from the body's previous_response_id", async () => {
    const model = callThenAnswer([{ name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' }]);
    const client = clientFor(model);
    const first = await client.responses.create({ model: "m", input: "My name is Ada." });
    const result = await client.responses.runTools({
      model: "m",
      input: "weather?",
      previous_response_id: first.id,
      tools: [weatherTool(() => "sunny")],
    });
    expect(result.responses[0]?.previous_response_id).toBe(first.id);
    // The model saw the earlier turn's context in the run's first request (rule P1).
    expect(JSON.stringify(model.requests[1]?.input)).toContain("My name is Ada.");
    expect(result.responses[1]?.previous_response_id).toBe(result.responses[0]?.id);
  });

  it("falls back to a full resend when the server lost the previous response", async () => {
    const model = callThenAnswer([{ name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' }]);
    const store = createMemoryStore();
    const handler = createResponsesHandler({ model, store });
    const client = new OpenResponses({
      baseURL: "http://in-process.test/v1",
      apiKey: null,
      maxRetries: 0,
      fetch: (input, init) => handler(new Request(input, init)),
    });
    // The tool runs between the turns: the right moment for the server to forget the first response.
    const forgetful = weatherTool((_args, context) => {
      store.delete(context.response.id);
      return "sunny";
    });
    const result = await client.responses.runTools({ model: "m", input: "weather?", tools: [forgetful] });
    expect(result.stopReason).toBe("completed");
    expect(result.outputText).toBe("outputs: sunny");
    // The continuation fails before the model (404 previous_response_not_found), so the model saw the
    // first turn and the resend, which carries the whole context itself.
    expect(model.requests).toHaveLength(2);
    expect(result.responses[1]?.previous_response_id ?? null).toBeNull();
    expect(inputOfType(model.requests[1] as ModelRequest, "function_call")).toHaveLength(1);
    expect(inputOfType(model.requests[1] as ModelRequest, "message")).toHaveLength(1);
  });

  it("each turn is its own request: request options apply to every turn, idempotency keys never repeat", async () => {
    const model = callThenAnswer([{ name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' }]);
    const handler = createResponsesHandler({ model });
    const seen: Array<{ key: string | null; trace: string | null }> = [];
    const client = new OpenResponses({
      baseURL: "http://in-process.test/v1",
      apiKey: null,
      maxRetries: 0,
      fetch: (input, init) => {
        const request = new Request(input, init);
        seen.push({ key: request.headers.get("idempotency-key"), trace: request.headers.get("x-trace") });
        return handler(request);
      },
    });
    // A caller who forces a key past the types: one key on every turn could make a server replay turn 1.
    const options = { headers: { "x-trace": "t1" }, idempotencyKey: "same-key" } as RunToolsOptions;
    await client.responses.runTools(
      { model: "m", input: "weather?", tools: [weatherTool(() => "sunny")] },
      options,
    );
    expect(seen).toHaveLength(2);
    expect(seen.map((entry) => entry.trace)).toEqual(["t1", "t1"]);
    expect(seen.some((entry) => entry.key === "same-key")).toBe(false);
    expect(seen[0]?.key).not.toBe(seen[1]?.key);
  });

  it("an incomplete response stops the run without running its calls", async () => {
    const model = scriptedModel([
      {
        type: "function_call",
        name: "get_weather",
        arguments: '{"city":"Paris","unit":"celsius"}',
        callId: "c1",
      },
      { type: "text", delta: "and then" },
      { type: "incomplete", reason: "max_output_tokens" },
    ]);
    const client = clientFor(model);
    const weather = weatherTool();
    const result = await client.responses.runTools({ model: "m", input: "weather?", tools: [weather] });
    expect(result.response.status).toBe("incomplete");
    expect(result.stopReason).toBe("incomplete");
    expect(weather.calls).toEqual([]);
    expect(result.pendingCalls.map((call) => call.call_id)).toEqual(["c1"]);
    expect(model.requests).toHaveLength(1);
  });

  it("rejects two tools with one name, and a bad maxTurns, before sending anything", async () => {
    const model = callThenAnswer([]);
    const client = clientFor(model);
    const a = tool({ name: "dup", execute: () => 1 });
    await expect(client.responses.runTools({ model: "m", input: "x", tools: [a, a] })).rejects.toThrow(
      /two tools are named "dup"/,
    );
    await expect(client.responses.runTools({ model: "m", input: "x" }, { maxTurns: 0 })).rejects.toThrow(
      /maxTurns/,
    );
    expect(model.requests).toHaveLength(0);
  });
});

describe("aborting a tool run", () => {
  it("the signal stops a run while a tool is executing; the tool's signal fires", async () => {
    const model = callThenAnswer([{ name: "slow", arguments: "{}" }]);
    const client = clientFor(model);
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const slow = tool({
      name: "slow",
      // Ignores its signal on purpose: the run must not wait for it.
      execute: (_args, context) => {
        toolSignal = context.signal;
        setTimeout(() => controller.abort(), 10);
        return new Promise<string>((resolve) => setTimeout(() => resolve("late"), 2_000));
      },
    });
    const started = Date.now();
    const error = await client.responses
      .runTools({ model: "m", input: "go", tools: [slow] }, { signal: controller.signal })
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(toolSignal?.aborted).toBe(true);
    expect(model.requests).toHaveLength(1);
  });

  it("abort() during a streamed turn cancels the request and rejects the result", async () => {
    const client = clientFor(mockModel({ delayMs: 20 }));
    const run = client.responses.runTools({ model: "m", input: "count to 50", stream: true });
    let deltas = 0;
    const error = await (async () => {
      try {
        for await (const item of run) {
          if (item.type === "event" && item.event.type === "response.output_text.delta") {
            deltas += 1;
            if (deltas === 2) run.abort();
          }
          if (deltas > 10) break;
        }
        return null;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(deltas).toBe(2);
    await expect(run.finalResult()).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it("leaving the for-await loop early stops the run", async () => {
    const weather = weatherTool();
    const client = clientFor(mockModel());
    const run = client.responses.runTools({
      model: "m",
      input: "What's the weather in Paris, in celsius?",
      tools: [weather],
      stream: true,
    });
    for await (const item of run) {
      if (item.type === "event" && item.event.type === "response.created") break;
    }
    await expect(run.finalResult()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(weather.calls).toEqual([]);
  });
});
