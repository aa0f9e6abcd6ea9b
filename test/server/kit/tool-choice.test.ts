import { describe, expect, it } from "vitest";
import type { ModelPart } from "../../../src/server/model.js";
import type { CreateResponseBody, StreamingEvent } from "../../../src/spec/index.js";
import { scriptedModel, terminalOf, testEngine } from "./helpers.js";

const tools: CreateResponseBody["tools"] = [
  { type: "function", name: "weather", parameters: { type: "object" } },
  { type: "function", name: "search" },
];

const callBoth: ModelPart[] = [
  { type: "function_call", name: "weather", arguments: "{}" },
  { type: "function_call", name: "search", arguments: "{}" },
  { type: "function_call", name: "unknown_tool", arguments: "{}" },
];

async function run(parts: ModelPart[], body: Partial<CreateResponseBody>) {
  const model = scriptedModel(parts);
  const result = await testEngine(model).run({ input: "hi", tools, ...body });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const events: StreamingEvent[] = [];
  for await (const event of result.events) events.push(event);
  const response = terminalOf(events);
  const called = response.output
    .filter((item) => item.type === "function_call")
    .map((item) => (item as { name: string }).name);
  return { request: model.requests[0], response, called, events };
}

describe("tool_choice and allowed_tools are enforced by the kit (P2)", () => {
  it("auto: calls to offered tools pass; calls to tools never offered are dropped", async () => {
    const { called, request } = await run(callBoth, {});
    expect(called).toEqual(["weather", "search"]);
    expect(request?.toolChoice).toBe("auto");
    expect(request?.tools?.map((tool) => tool.name)).toEqual(["weather", "search"]);
  });

  it("none: every call is dropped and the model is told no tool is available", async () => {
    const { called, request, response, events } = await run([...callBoth, { type: "text", delta: "ok" }], {
      tool_choice: "none",
    });
    expect(called).toEqual([]);
    expect(request?.tools).toEqual([]);
    expect(request?.toolChoice).toBe("none");
    expect(response.status).toBe("completed");
    expect(events.some((event) => event.type.startsWith("response.function_call_arguments"))).toBe(false);
  });

  it("a named function: only that tool passes", async () => {
    const { called, request } = await run(callBoth, { tool_choice: { type: "function", name: "search" } });
    expect(called).toEqual(["search"]);
    expect(request?.tools?.map((tool) => tool.name)).toEqual(["search"]);
    expect(request?.toolChoice).toBe("required");
  });

  it("allowed_tools is a hard limit", async () => {
    const { called, response } = await run(callBoth, {
      tool_choice: { type: "allowed_tools", tools: [{ type: "function", name: "weather" }], mode: "auto" },
    });
    expect(called).toEqual(["weather"]);
    expect(response.tool_choice).toEqual({
      type: "allowed_tools",
      tools: [{ type: "function", name: "weather" }],
      mode: "auto",
    });
  });

  it("required with no call ends the response failed with tool_choice_violation", async () => {
    const { response, events } = await run([{ type: "text", delta: "I will not" }], {
      tool_choice: "required",
    });
    expect(response.status).toBe("failed");
    expect(events.at(-2)).toMatchObject({
      type: "error",
      error: { code: "tool_choice_violation", param: "tool_choice" },
    });
  });

  it("required with a dropped call only also fails", async () => {
    const { response } = await run([{ type: "function_call", name: "search", arguments: "{}" }], {
      tool_choice: {
        type: "allowed_tools",
        tools: [{ type: "function", name: "weather" }],
        mode: "required",
      },
    });
    expect(response.status).toBe("failed");
  });

  it("max_tool_calls and parallel_tool_calls: false cap the number of calls", async () => {
    expect((await run(callBoth, { max_tool_calls: 1 })).called).toEqual(["weather"]);
    expect((await run(callBoth, { parallel_tool_calls: false })).called).toEqual(["weather"]);
  });

  it("required with no tools offered degrades to auto", async () => {
    const { response } = await run([{ type: "text", delta: "ok" }], { tools: [], tool_choice: "required" });
    expect(response.status).toBe("completed");
  });
});
