/** The official `openai` SDK, as a client of the kit over a loopback socket. */

import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";

/** Calls `get_weather` when offered and no tool output is in context yet; else answers with that output. */
function weatherModel(request: ModelRequest): ModelPart[] {
  const output = request.input.find((item) => item.type === "function_call_output");
  if (output && "output" in output) return [{ type: "text", delta: `It is ${String(output.output)}.` }];
  if (request.tools?.some((tool) => tool.name === "get_weather")) {
    return [{ type: "function_call", name: "get_weather", arguments: '{"city":"Paris"}' }];
  }
  return [
    { type: "reasoning_summary", delta: "Greeting." },
    { type: "text", delta: "Hello " },
    { type: "text", delta: "there" },
  ];
}

describe("the openai SDK against the kit", () => {
  let server: RunningServer;
  let client: OpenAI;

  beforeAll(async () => {
    const model = async function* (request: ModelRequest) {
      yield* weatherModel(request);
    };
    server = await serve({
      handler: createResponsesHandler({ model, apiKey: "sk-kit-test-123456" }),
      port: 0,
    });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "sk-kit-test-123456", maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("responses.create returns a response with output_text", async () => {
    const response = await client.responses.create({ model: "kit", input: "hi" });
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Hello there");
  });

  it("the responses.stream() helper streams deltas and a final response", async () => {
    const deltas: string[] = [];
    const stream = client.responses.stream({ model: "kit", input: "hi" });
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join("")).toBe("Hello there");
    expect(final.output_text).toBe("Hello there");
  });

  it("a function-calling turn round-trips through previous_response_id", async () => {
    const tools = [
      {
        type: "function" as const,
        name: "get_weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
        strict: false,
      },
    ];
    const first = await client.responses.create({ model: "kit", input: "weather?", tools });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ name: "get_weather", arguments: '{"city":"Paris"}' });
    if (call?.type !== "function_call") throw new Error("no call");
    const second = await client.responses.create({
      model: "kit",
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: "sunny" }],
      tools,
    });
    expect(second.output_text).toBe("It is sunny.");
  });

  it("a wrong key surfaces as the SDK's AuthenticationError", async () => {
    const wrong = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "sk-wrong-000000000", maxRetries: 0 });
    await expect(wrong.responses.create({ model: "kit", input: "hi" })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });
});
