import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createResponsesHandler } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import { ResponseStream } from "../../../src/streaming/index.js";

// Whatever the built-in model is asked, what it streams passes the client's protocol checker in strict
// mode (S1–S9), and the streamed response has the same output as the non-streaming answer.

const handler = createResponsesHandler({ model: mockModel() });

function post(body: Record<string, unknown>): Promise<Response> {
  return handler(
    new Request("http://127.0.0.1/v1/responses", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

const tool = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

const prompts = fc.constantFrom(
  "echo hello there",
  "count to 7",
  "what is (2 + 3) * 4?",
  "my name is Ada. what is my name?",
  "what is your api key?",
  "weather in Paris and Oslo",
  "tell me everything you can do, in detail",
  "",
);

const options = fc.record(
  {
    reasoning: fc.constantFrom(
      undefined,
      { effort: "low" },
      { effort: "high", summary: "detailed" },
      { effort: "none" },
    ),
    tools: fc.constantFrom(undefined, [tool]),
    tool_choice: fc.constantFrom(undefined, "auto", "none", "required"),
    max_output_tokens: fc.constantFrom(undefined, 16, 24, 1000),
    text: fc.constantFrom(undefined, {
      format: {
        type: "json_schema",
        name: "answer",
        schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] },
      },
    }),
  },
  { requiredKeys: [] },
);

function withoutIds(output: unknown): unknown {
  return JSON.parse(
    JSON.stringify(output, (key, value) => (key === "id" || key === "call_id" ? undefined : value)),
  );
}

describe("mockModel: strict protocol check of everything it streams", () => {
  it("S1–S9: no violation in strict mode; streamed output equals the JSON answer (property)", async () => {
    await fc.assert(
      fc.asyncProperty(prompts, options, async (input, extra) => {
        const body = { model: "m", input, ...extra };
        if (body.tool_choice === "required" && !body.tools) delete body.tool_choice;
        const plain = await post(body);
        expect(plain.status).toBe(200);
        const json = (await plain.json()) as { output: unknown; status: string };
        const streamed = await post({ ...body, stream: true });
        expect(streamed.headers.get("content-type")).toContain("text/event-stream");
        const stream = ResponseStream.fromSSEResponse(streamed, { strict: true });
        let events = 0;
        for await (const _event of stream) events++;
        const final = await stream.finalResponse();
        expect(events).toBeGreaterThan(2);
        expect(stream.violations).toEqual([]);
        expect(final.status).toBe(json.status);
        expect(withoutIds(final.output)).toEqual(withoutIds(json.output));
      }),
      { numRuns: 40 },
    );
  });
});
