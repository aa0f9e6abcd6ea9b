/** Function calling (P4), tool_choice (P2) and structured output (P5), over HTTP. */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import type { ScenarioContext } from "../scenario-context.js";
import { functionCalls, outputText, TIME_TOOL, user, WEATHER_TOOL } from "./helpers.js";
import type { Scenario } from "./scenario.js";

/** P4: a function_call carries call_id, name and JSON `arguments` as a string. */
function checkCall(ctx: ScenarioContext, call: JsonRecord, offered: string[]): void {
  if (typeof call.call_id !== "string" || call.call_id === "")
    ctx.findings.fail("P4", "A function_call has no call_id.", call);
  if (typeof call.name !== "string" || !offered.includes(call.name)) {
    ctx.findings.fail(
      "P4",
      `A function_call names ${JSON.stringify(call.name)}, which is not an offered tool (${offered.join(", ")}).`,
      call,
    );
  }
  if (typeof call.arguments !== "string") {
    ctx.findings.fail("P4", "A function_call's arguments are not a string.", call);
    return;
  }
  try {
    JSON.parse(call.arguments);
  } catch {
    ctx.findings.fail("P4", "A function_call's arguments are not JSON.", call.arguments);
  }
}

async function toolChoice(
  ctx: ScenarioContext,
  choice: unknown,
  prompt: string,
  expect: (calls: JsonRecord[]) => string | null,
): Promise<void> {
  const resource = await ctx.createJSON(
    { input: prompt, tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: choice },
    `tool_choice ${JSON.stringify(choice)}`,
  );
  if (!resource) return;
  const calls = functionCalls(resource);
  for (const call of calls) checkCall(ctx, call, ["get_weather", "get_time"]);
  const problem = expect(calls);
  if (problem)
    ctx.findings.fail(
      "P2",
      `tool_choice ${JSON.stringify(choice)}: ${problem}`,
      calls.map((call) => call.name),
    );
}

/** A minimal JSON Schema check for P5: type, properties, required, additionalProperties: false, enum. */
function schemaProblem(schema: JsonRecord, value: unknown, path: string): string | null {
  const type = schema.type;
  const actual = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if (typeof type === "string") {
    const ok =
      type === "integer"
        ? Number.isInteger(value)
        : type === "number"
          ? typeof value === "number"
          : actual === type;
    if (!ok) return `${path || "(root)"} is ${actual}, not ${type}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    return `${path} is not one of ${JSON.stringify(schema.enum)}`;
  if (isRecord(value) && isRecord(schema.properties)) {
    for (const key of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof key === "string" && !(key in value))
        return `${path || "(root)"} lacks the required "${key}"`;
    }
    for (const [key, child] of Object.entries(value)) {
      const sub = schema.properties[key];
      if (sub === undefined) {
        if (schema.additionalProperties === false)
          return `${path || "(root)"} has "${key}", which the schema does not allow`;
        continue;
      }
      if (isRecord(sub)) {
        const problem = schemaProblem(sub, child, path ? `${path}.${key}` : key);
        if (problem) return problem;
      }
    }
  }
  return null;
}

const CITY_SCHEMA = {
  type: "object",
  properties: {
    city: { type: "string" },
    country: { type: "string" },
    population_millions: { type: "number" },
  },
  required: ["city", "country", "population_millions"],
  additionalProperties: false,
};

export const httpTools: Scenario[] = [
  {
    id: "tool-calling",
    transport: "http",
    title: "a function call, then its function_call_output",
    rules: ["P4", "H2", "I1"],
    async run(ctx) {
      const prompt = "What is the weather in Paris right now? Use the get_weather tool.";
      const resource = await ctx.createJSON({ input: prompt, tools: [WEATHER_TOOL] }, "tool call");
      if (!resource) return;
      const calls = functionCalls(resource);
      if (calls.length === 0) {
        ctx.findings.fail(
          "P4",
          "Asked to use get_weather (tool_choice auto), the response made no function_call.",
          resource.output,
        );
        return;
      }
      for (const call of calls) checkCall(ctx, call, ["get_weather"]);
      const call = calls[0] as JsonRecord;
      const followUp = await ctx.createJSON(
        {
          input: [
            user(prompt),
            { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
            {
              type: "function_call_output",
              call_id: call.call_id,
              output: JSON.stringify({ city: "Paris", temperature_c: 18, sky: "clear" }),
            },
          ],
          tools: [WEATHER_TOOL],
        },
        "tool result turn",
      );
      if (
        followUp &&
        followUp.status === "completed" &&
        outputText(followUp) === "" &&
        functionCalls(followUp).length === 0
      ) {
        ctx.findings.fail(
          "P4",
          "After the function_call_output, the response holds neither a message nor a call.",
          followUp.output,
        );
      }
    },
  },
  {
    id: "streaming-tool-call",
    transport: "http",
    title: "a streamed function call (function_call_arguments events)",
    rules: ["S6", "S7", "P4"],
    async run(ctx) {
      const stream = await ctx.createStream(
        {
          input: "What is the weather in Oslo? Use the get_weather tool.",
          tools: [WEATHER_TOOL],
          tool_choice: "required",
        },
        "streamed tool call",
      );
      if (stream.response) ctx.resource(stream.response, "the terminal snapshot");
      if (!stream.response) return;
      const calls = functionCalls(stream.response);
      if (calls.length === 0)
        ctx.findings.fail(
          "P2",
          'tool_choice "required": the streamed response made no function_call.',
          stream.response.output,
        );
      for (const call of calls) checkCall(ctx, call, ["get_weather"]);
    },
  },
  {
    id: "tool-output-unknown-call",
    transport: "http",
    title: "a function_call_output whose call_id matches no call is refused",
    rules: ["P4", "E1", "E2"],
    async run(ctx) {
      await ctx.expectError(
        "/responses",
        ctx.body({
          input: [
            user("What is the weather in Paris?"),
            { type: "function_call_output", call_id: "call_check_matches_nothing", output: "18C" },
          ],
          tools: [WEATHER_TOOL],
        }),
        "an unmatched function_call_output",
        { statuses: [400], acceptedRule: "P4" },
      );
    },
  },
  {
    id: "tool-choice-none",
    transport: "http",
    title: 'tool_choice "none" makes no call',
    rules: ["P2"],
    async run(ctx) {
      await toolChoice(ctx, "none", "What is the weather in Paris? Use a tool if you can.", (calls) =>
        calls.length > 0 ? "the response made a function_call" : null,
      );
    },
  },
  {
    id: "tool-choice-required",
    transport: "http",
    title: 'tool_choice "required" makes a call',
    rules: ["P2"],
    async run(ctx) {
      await toolChoice(ctx, "required", "Say hello.", (calls) =>
        calls.length === 0 ? "the response made no function_call" : null,
      );
    },
  },
  {
    id: "tool-choice-named",
    transport: "http",
    title: "tool_choice naming one function calls only it",
    rules: ["P2"],
    async run(ctx) {
      await toolChoice(
        ctx,
        { type: "function", name: "get_time" },
        "What is the weather in Paris?",
        (calls) =>
          calls.length === 0
            ? "the response made no function_call"
            : calls.some((call) => call.name !== "get_time")
              ? "the response called another function than get_time"
              : null,
      );
    },
  },
  {
    id: "tool-choice-allowed-tools",
    transport: "http",
    title: "allowed_tools is a hard limit",
    rules: ["P2"],
    async run(ctx) {
      await toolChoice(
        ctx,
        { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "get_time" }] },
        "What is the weather in Paris? Use get_weather.",
        (calls) =>
          calls.some((call) => call.name !== "get_time")
            ? "the response called a function outside allowed_tools"
            : calls.length === 0
              ? 'mode "required" but the response made no function_call'
              : null,
      );
    },
  },
  {
    id: "structured-output",
    transport: "http",
    title: "structured output with text.format json_schema",
    rules: ["P5", "H2"],
    async run(ctx) {
      const resource = await ctx.createJSON(
        {
          input: "Give the largest city of Japan as JSON: city, country, population in millions.",
          text: { format: { type: "json_schema", name: "city_facts", schema: CITY_SCHEMA, strict: true } },
        },
        "structured output",
      );
      if (resource?.status !== "completed") return;
      const format = isRecord(resource.text) ? resource.text.format : undefined;
      if (!isRecord(format) || format.type !== "json_schema") {
        ctx.findings.fail(
          "P5",
          "The response's text.format is not the json_schema format that was asked for.",
          resource.text,
        );
      }
      const text = outputText(resource);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        ctx.findings.fail("P5", "With a json_schema format, the output text is not JSON.", text);
        return;
      }
      const problem = schemaProblem(CITY_SCHEMA, value, "");
      if (problem)
        ctx.findings.fail("P5", `The output does not match the requested schema: ${problem}.`, value);
    },
  },
];
