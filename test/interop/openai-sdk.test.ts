import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResponsesHandler, type RunningServer, serve } from "../../src/server/index.js";
import { mockModel } from "../../src/server/mock/index.js";

// The official `openai` SDK as a client of our server running the built-in model: what a user of
// that SDK gets when pointing `baseURL` at `openresponses serve`.

let server: RunningServer;
let client: OpenAI;

beforeAll(async () => {
  server = await serve({
    handler: createResponsesHandler({ model: mockModel() }),
    port: 0,
    host: "127.0.0.1",
  });
  client = new OpenAI({
    baseURL: `${server.url}/v1`,
    apiKey: "sk-interop-not-checked",
    maxRetries: 0,
    timeout: 10_000,
  });
});

afterAll(async () => {
  await server?.close();
});

const weatherTool = {
  type: "function" as const,
  name: "get_weather",
  description: "Get the current weather for a city",
  strict: true,
  parameters: {
    type: "object",
    properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
    required: ["city", "unit"],
    additionalProperties: false,
  },
};

describe("openai SDK against our server (built-in model)", () => {
  it("H2: responses.create returns a response with output_text", async () => {
    const response = await client.responses.create({ model: "openresponses-mock", input: "What is 12 * 7?" });
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("12 * 7 = 84");
    expect(response.id).toMatch(/^resp_/);
  });

  it("P1: previous_response_id chains keep context through the SDK", async () => {
    const first = await client.responses.create({ model: "openresponses-mock", input: "My name is Ada." });
    const second = await client.responses.create({
      model: "openresponses-mock",
      input: "What is my name?",
      previous_response_id: first.id,
    });
    expect(second.output_text).toBe("Your name is Ada.");
  });

  it("S1–S9: responses.stream() delivers text deltas and finalResponse()", async () => {
    const stream = client.responses.stream({ model: "openresponses-mock", input: "count to 5" });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("1, 2, 3, 4, 5.");
    expect(final.output_text).toBe("1, 2, 3, 4, 5.");
    expect(final.status).toBe("completed");
  });

  it("create({ stream: true }) iterates events in sequence up to response.completed", async () => {
    const stream = await client.responses.create({
      model: "openresponses-mock",
      input: "what is 2 + 3",
      stream: true,
      reasoning: { effort: "low", summary: "auto" },
    });
    const types: string[] = [];
    let last = -1;
    for await (const event of stream) {
      types.push(event.type);
      expect(event.sequence_number).toBeGreaterThan(last);
      last = event.sequence_number;
    }
    expect(types[0]).toBe("response.created");
    expect(types).toContain("response.reasoning_summary_text.delta");
    expect(types.at(-1)).toBe("response.completed");
  });

  it("P4: a function-calling turn: call → function_call_output → answer", async () => {
    const first = await client.responses.create({
      model: "openresponses-mock",
      input: "What's the weather in Paris?",
      tools: [weatherTool],
    });
    const call = first.output.find((item) => item.type === "function_call");
    if (call?.type !== "function_call") throw new Error("expected a function_call item");
    expect(call.name).toBe("get_weather");
    expect(JSON.parse(call.arguments)).toEqual({ city: "Paris", unit: "celsius" });

    const second = await client.responses.create({
      model: "openresponses-mock",
      previous_response_id: first.id,
      tools: [weatherTool],
      input: [
        { type: "function_call_output", call_id: call.call_id, output: JSON.stringify({ temp_c: 21 }) },
      ],
    });
    expect(second.output_text).toBe(
      "Here is what I found: get_weather (city: Paris, unit: celsius) returned temp_c: 21.",
    );
  });

  it("a function call through responses.stream() arrives with complete arguments", async () => {
    const stream = client.responses.stream({
      model: "openresponses-mock",
      input: "weather in Oslo please",
      tools: [weatherTool],
      tool_choice: "required",
    });
    const argumentDeltas: string[] = [];
    stream.on("response.function_call_arguments.delta", (event) => argumentDeltas.push(event.delta));
    const final = await stream.finalResponse();
    const call = final.output.find((item) => item.type === "function_call");
    expect(call?.type === "function_call" && JSON.parse(call.arguments)).toEqual({
      city: "Oslo",
      unit: "celsius",
    });
    expect(argumentDeltas.join("")).toBe(call?.type === "function_call" ? call.arguments : "");
  });

  it("E1: a bad request surfaces as the SDK's BadRequestError with the spec error", async () => {
    await expect(
      client.responses.create({ model: "openresponses-mock", input: 42 as unknown as string }),
    ).rejects.toMatchObject({ status: 400, constructor: OpenAI.BadRequestError });
  });
});
