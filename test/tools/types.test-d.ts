import { describe, expectTypeOf, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import type { FunctionToolParam } from "../../src/spec/index.js";
import {
  type RunnableTool,
  type ToolContext,
  type ToolRunEvent,
  type ToolRunResult,
  type ToolRunStream,
  tool,
} from "../../src/tools/index.js";

const client = new OpenResponses({ baseURL: "http://127.0.0.1:1" });

describe("tool() infers its argument type", () => {
  it("from execute's parameter, or from parse", () => {
    const weather = tool({
      name: "get_weather",
      execute: (args: { city: string }, context) => {
        expectTypeOf(context).toEqualTypeOf<ToolContext>();
        return args.city.length;
      },
    });
    expectTypeOf(weather).toEqualTypeOf<RunnableTool<{ city: string }, number>>();
    const parsed = tool({ name: "n", parse: (json) => Number(json), execute: (value) => value * 2 });
    expectTypeOf(parsed).toEqualTypeOf<RunnableTool<number, number>>();
    expectTypeOf(weather.definition).toEqualTypeOf<FunctionToolParam>();
  });
});

describe("responses.runTools narrows on `stream`", () => {
  const weather = tool({ name: "w", execute: (args: { city: string }) => args.city });
  const counter = tool({ name: "c", execute: (args: { n: number }) => args.n });

  it("no stream → a promise of the result; stream: true → a ToolRunStream", () => {
    // Tools with different argument types, and plain definitions, share one `tools` array.
    const plain: FunctionToolParam = { type: "function", name: "p" };
    expectTypeOf(client.responses.runTools({ model: "m", tools: [weather, counter, plain] })).toEqualTypeOf<
      Promise<ToolRunResult>
    >();
    const run = client.responses.runTools({ model: "m", tools: [weather], stream: true });
    expectTypeOf(run).toEqualTypeOf<ToolRunStream>();
    expectTypeOf(run).toExtend<AsyncIterable<ToolRunEvent>>();
  });

  it("events narrow on `type`", () => {
    const event = {} as ToolRunEvent;
    if (event.type === "event") expectTypeOf(event.turn).toEqualTypeOf<number>();
    else
      expectTypeOf(event.status).toEqualTypeOf<
        "ok" | "error" | "invalid_arguments" | "unknown_tool" | "not_run"
      >();
  });
});
