import { describe, expect, it } from "vitest";
import { createResponsesHandler } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";

interface Item {
  type: string;
  status?: string;
  phase?: string;
  call_id?: string;
  content?: Array<{ type: string; text?: string }>;
  [key: string]: unknown;
}
interface Resource {
  id: string;
  object: string;
  status: string;
  model: string;
  incomplete_details: unknown;
  output: Item[];
}
type Json = Record<string, unknown>;

const handler = createResponsesHandler({ model: mockModel() });

async function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await handler(
    new Request(`http://127.0.0.1/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, text: await response.text() };
}

async function create(body: Json): Promise<Resource> {
  const { status, text } = await post("/responses", body);
  expect(status).toBe(200);
  return JSON.parse(text);
}

function outputText(response: Resource): string {
  return response.output
    .filter((item) => item.type === "message")
    .flatMap((item) => item.content ?? [])
    .filter((part) => part.type === "output_text")
    .map((part) => part.text)
    .join("");
}

function sseEvents(text: string): Array<{ type: string }> {
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice(6)));
}

const weatherTool = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe("mockModel through the server kit", () => {
  it("P1: recalls a fact across a previous_response_id chain", async () => {
    const first = await create({ model: "m", input: "My name is Ada." });
    const second = await create({ model: "m", input: "echo noted", previous_response_id: first.id });
    const third = await create({ model: "m", input: "What is my name?", previous_response_id: second.id });
    expect(outputText(third)).toBe("Your name is Ada.");
  });

  it("reports its own model name when the request names none", async () => {
    const response = await create({ input: "hi" });
    expect(response.model).toBe("openresponses-mock");
  });

  it("a tool round trip: commentary + function_call, then a final_answer using the output", async () => {
    const first = await create({ model: "m", input: "What's the weather in Paris?", tools: [weatherTool] });
    const [commentary, call] = first.output;
    if (!call) throw new Error("expected two output items");
    expect(commentary).toMatchObject({ type: "message", phase: "commentary" });
    expect(call).toMatchObject({ type: "function_call", name: "get_weather", arguments: '{"city":"Paris"}' });
    const second = await create({
      model: "m",
      previous_response_id: first.id,
      tools: [weatherTool],
      input: [{ type: "function_call_output", call_id: call.call_id, output: '{"sky":"clear","c":21}' }],
    });
    expect(second.output).toHaveLength(1);
    expect(second.output[0]).toMatchObject({ type: "message", phase: "final_answer" });
    expect(outputText(second)).toBe(
      "Here is what I found: get_weather (city: Paris) returned sky: clear, c: 21.",
    );
  });

  it("P2: parallel calls pass the kit's policy, and parallel_tool_calls: false keeps one", async () => {
    const body = { model: "m", input: "weather in Paris and Oslo", tools: [weatherTool] };
    const both = await create(body);
    expect(both.output.filter((item) => item.type === "function_call")).toHaveLength(2);
    const one = await create({ ...body, parallel_tool_calls: false });
    expect(one.output.filter((item) => item.type === "function_call")).toHaveLength(1);
  });

  it("S9: max_output_tokens ends the response incomplete", async () => {
    const response = await create({ model: "m", input: "tell me everything", max_output_tokens: 16 });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.output.at(-1)?.status).toBe("incomplete");
  });

  it("streams reasoning, summary and text as SSE events ending in response.completed", async () => {
    const { status, text } = await post("/responses", {
      model: "m",
      input: "count to 3",
      stream: true,
      reasoning: { effort: "low", summary: "concise" },
    });
    expect(status).toBe(200);
    const types = sseEvents(text).map((event) => event.type);
    expect(types).toContain("response.reasoning.delta");
    expect(types).toContain("response.reasoning_summary_text.delta");
    expect(types.indexOf("response.reasoning.delta")).toBeLessThan(
      types.indexOf("response.output_text.delta"),
    );
    expect(types.at(-1)).toBe("response.completed");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("compaction round trip: /responses/compact, then the facts are still recalled", async () => {
    const first = await create({ model: "m", input: "My favourite colour is teal." });
    const { status, text } = await post("/responses/compact", { model: "m", previous_response_id: first.id });
    expect(status).toBe(200);
    const compacted = JSON.parse(text) as Resource;
    expect(compacted.object).toBe("response.compaction");
    expect(compacted.output.map((item) => item.type)).toEqual(["compaction"]);
    // W6: a new chain starts from the compacted window plus the newest items.
    const next = await create({
      model: "m",
      input: [
        ...compacted.output,
        { type: "message", role: "user", content: "What is my favourite colour?" },
      ],
    });
    expect(outputText(next)).toBe("Your favourite colour is teal.");
  });

  it("json_schema answers come back as valid JSON text", async () => {
    const response = await create({
      model: "m",
      input: "what is 6 * 7",
      text: {
        format: {
          type: "json_schema",
          name: "calc",
          strict: true,
          schema: {
            type: "object",
            properties: { result: { type: "number" } },
            required: ["result"],
            additionalProperties: false,
          },
        },
      },
    });
    expect(JSON.parse(outputText(response))).toEqual({ result: 42 });
  });
});
