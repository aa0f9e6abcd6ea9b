import { describe, expect, it } from "vitest";
import { valueForSchema } from "../../../src/server/mock/schema-value.js";
import { ofType, runModel, textOf, user } from "./helpers.js";

const weather = {
  type: "function",
  name: "get_weather",
  description: "Get the current weather for a city",
  parameters: {
    type: "object",
    properties: {
      city: { type: "string" },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      days: { type: "integer", minimum: 1, maximum: 7 },
    },
    required: ["city", "unit"],
    additionalProperties: false,
  },
};
const email = {
  type: "function",
  name: "send_email",
  description: "Send an email message to someone",
  parameters: {
    type: "object",
    properties: { to: { type: "string", format: "email" }, subject: { type: "string" } },
    required: ["to", "subject"],
  },
};

function calls(parts: Awaited<ReturnType<typeof runModel>>) {
  return ofType(parts, "function_call").map((call) => ({
    name: call.name,
    args: JSON.parse(call.arguments),
  }));
}

describe("mockModel: function tools (P2, P4)", () => {
  it("auto: calls the tool whose name matches the user's words, args from the schema", async () => {
    const parts = await runModel({ input: "What's the weather in Paris?", tools: [email, weather] });
    expect(calls(parts)).toEqual([{ name: "get_weather", args: { city: "Paris", unit: "celsius" } }]);
  });

  it("auto: picks enum values and numbers the user mentioned", async () => {
    const parts = await runModel({ input: "weather in New York in fahrenheit for 3 days", tools: [weather] });
    expect(calls(parts)[0]?.args).toEqual({ city: "New York", unit: "fahrenheit", days: 3 });
  });

  it("parallel calls: one call per place named, unless parallel_tool_calls is false", async () => {
    const body = { input: "What's the weather in Paris and Oslo?", tools: [weather] };
    expect(calls(await runModel(body)).map((call) => call.args.city)).toEqual(["Paris", "Oslo"]);
    const single = await runModel({ ...body, parallel_tool_calls: false });
    expect(calls(single).map((call) => call.args.city)).toEqual(["Paris"]);
    const ids = ofType(await runModel(body), "function_call").map((call) => call.callId);
    expect(new Set(ids).size).toBe(2);
  });

  it("answers from several function outputs at once", async () => {
    const parts = await runModel({ tools: [weather] }, [
      user("weather in Paris and Oslo"),
      { type: "function_call", call_id: "a", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call", call_id: "b", name: "get_weather", arguments: '{"city":"Oslo"}' },
      { type: "function_call_output", call_id: "a", output: '{"c":18}' },
      { type: "function_call_output", call_id: "b", output: '{"c":4}' },
    ]);
    expect(textOf(parts)).toBe(
      "Here is what I found: get_weather (city: Paris) returned c: 18. get_weather (city: Oslo) returned c: 4.",
    );
  });

  it("auto: answers in text when no tool matches the words", async () => {
    const parts = await runModel({ input: "what is 2 + 2", tools: [weather] });
    expect(ofType(parts, "function_call")).toHaveLength(0);
    expect(textOf(parts)).toBe("2 + 2 = 4");
  });

  it("none: never calls a tool", async () => {
    const parts = await runModel({ input: "weather in Paris", tools: [weather], tool_choice: "none" });
    expect(ofType(parts, "function_call")).toHaveLength(0);
  });

  it("required: calls a tool even when the words do not match", async () => {
    const parts = await runModel({ input: "hello", tools: [weather], tool_choice: "required" });
    expect(calls(parts).map((call) => call.name)).toEqual(["get_weather"]);
  });

  it("a named function is always the one called", async () => {
    const parts = await runModel({
      input: "weather in Paris",
      tools: [weather, email],
      tool_choice: { type: "function", name: "send_email" },
    });
    expect(calls(parts).map((call) => call.name)).toEqual(["send_email"]);
  });

  it("allowed_tools limits the candidates", async () => {
    const parts = await runModel({
      input: "weather in Paris, then email me",
      tools: [weather, email],
      tool_choice: { type: "allowed_tools", mode: "auto", tools: [{ type: "function", name: "send_email" }] },
    });
    expect(calls(parts).map((call) => call.name)).toEqual(["send_email"]);
  });

  it("follows the kit's narrowed tools and mode when given (ModelRequest.tools/toolChoice)", async () => {
    const parts = await runModel({ input: "weather in Paris", tools: [weather] }, undefined, {
      tools: [],
      toolChoice: "none",
    });
    expect(ofType(parts, "function_call")).toHaveLength(0);
  });

  it("I4: a commentary message comes before the call", async () => {
    const parts = await runModel({ input: "weather in Paris", tools: [weather] });
    const kinds = parts.map((part) => part.type);
    expect(kinds.indexOf("phase")).toBeLessThan(kinds.indexOf("function_call"));
    expect(ofType(parts, "phase")[0]?.phase).toBe("commentary");
    expect(kinds[kinds.indexOf("function_call") - 1]).toBe("end_item");
  });

  it("call ids are deterministic", async () => {
    const body = { input: "weather in Paris", tools: [weather] };
    const [a, b] = [await runModel(body), await runModel(body)];
    expect(ofType(a, "function_call")[0]?.callId).toMatch(/^call_[0-9a-f]{8}$/);
    expect(ofType(a, "function_call")[0]?.callId).toBe(ofType(b, "function_call")[0]?.callId);
  });

  it("answers with the function output on the next turn, as the final answer (I4)", async () => {
    const parts = await runModel({ tools: [weather] }, [
      user("weather in Paris"),
      { type: "function_call", call_id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: "c1", output: '{"temperature_c":18,"conditions":"sunny"}' },
    ]);
    expect(ofType(parts, "function_call")).toHaveLength(0);
    expect(ofType(parts, "phase")).toEqual([{ type: "phase", phase: "final_answer" }]);
    expect(textOf(parts)).toBe(
      "Here is what I found: get_weather (city: Paris) returned temperature_c: 18, conditions: sunny.",
    );
  });

  it("answers with array-shaped function outputs too", async () => {
    const parts = await runModel({}, [
      user("look it up"),
      { type: "function_call_output", call_id: "x", output: [{ type: "input_text", text: "42 results" }] },
    ]);
    expect(textOf(parts)).toBe("Here is what I found: the tool returned 42 results.");
  });

  it("a new user message after a tool round trip starts a fresh turn", async () => {
    const parts = await runModel({ tools: [weather] }, [
      user("weather in Paris"),
      { type: "function_call", call_id: "c1", name: "get_weather", arguments: "{}" },
      { type: "function_call_output", call_id: "c1", output: "sunny" },
      user("echo thanks"),
    ]);
    expect(textOf(parts)).toBe("thanks");
  });
});

describe("valueForSchema: arguments from a JSON schema and the user's words", () => {
  it("fills nested objects, arrays, formats and bounds", () => {
    const schema = {
      type: "object",
      properties: {
        recipient: {
          type: "object",
          properties: { email: { type: "string", format: "email" } },
          required: ["email"],
        },
        cities: { type: "array", items: { type: "string" } },
        count: { type: "integer", minimum: 10, maximum: 20 },
        urgent: { type: "boolean" },
        note: { type: "string", maxLength: 3 },
      },
      required: ["recipient", "cities", "count", "urgent", "note"],
    };
    expect(
      valueForSchema(schema, { text: "mail ada@example.org about Paris and London, 3 copies, urgent" }),
    ).toEqual({
      recipient: { email: "ada@example.org" },
      cities: ["Paris", "London"],
      count: 10,
      urgent: true,
      note: "Par",
    });
  });

  it("omits optional properties the words do not supply, keeps required ones", () => {
    const schema = {
      type: "object",
      properties: { query: { type: "string" }, limit: { type: "integer" }, safe: { type: "boolean" } },
      required: ["query"],
    };
    expect(valueForSchema(schema, { text: "search for open source" })).toEqual({ query: "open source" });
  });

  it("resolves local $ref, const, anyOf with null and type arrays", () => {
    const schema = {
      type: "object",
      $defs: { Place: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
      properties: {
        place: { $ref: "#/$defs/Place" },
        version: { const: 2 },
        label: { anyOf: [{ type: "null" }, { type: "string", enum: ["a", "b"] }] },
        size: { type: ["null", "number"] },
      },
      required: ["place", "version", "label", "size"],
    };
    expect(valueForSchema(schema, { text: "flights to Rome" })).toEqual({
      place: { city: "Rome" },
      version: 2,
      label: "a",
      size: 0,
    });
  });

  it("stops at a bounded depth on recursive schemas", () => {
    const schema = { type: "object", properties: { child: { $ref: "#" } }, required: ["child"] };
    const text = JSON.stringify(valueForSchema(schema, { text: "x" }));
    expect(text.length).toBeLessThan(200);
  });
});
