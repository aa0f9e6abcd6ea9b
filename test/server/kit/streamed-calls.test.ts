/**
 * The event writer with function calls whose arguments arrive in pieces (`function_call_start`,
 * `function_call_delta`, `function_call_end`): each call is its own output item with its own
 * output_index, pieces of several calls interleave, and every call ends with its `.done` events (S4–S9).
 */

import { describe, expect, it } from "vitest";
import type { ModelPart } from "../../../src/server/model.js";
import type { StreamingEvent } from "../../../src/spec/index.js";
import { ProtocolChecker, type ResponseStreamEvent } from "../../../src/streaming/index.js";
import { runEvents, terminalOf, testEngine, types } from "./helpers.js";

function strictCheck(events: StreamingEvent[]): void {
  const checker = new ProtocolChecker({ strict: true });
  for (const event of events) checker.check(event as ResponseStreamEvent);
  checker.finish();
  expect(checker.violations).toEqual([]);
}

const weatherTools = {
  model: "test",
  input: "hi",
  tools: [
    { type: "function" as const, name: "weather" },
    { type: "function" as const, name: "time" },
  ],
};

describe("event writer: function calls streamed in pieces", () => {
  it("S6/S7: one call streams each piece as a function_call_arguments.delta, then .done and item done", async () => {
    const events = await runEvents(
      [
        { type: "function_call_start", key: "0", name: "weather", callId: "call_a" },
        { type: "function_call_delta", key: "0", delta: '{"ci' },
        { type: "function_call_delta", key: "0", delta: 'ty":"Paris"}' },
        { type: "function_call_end", key: "0" },
      ],
      weatherTools,
    );
    strictCheck(events);
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[2]).toMatchObject({
      output_index: 0,
      item: {
        type: "function_call",
        name: "weather",
        call_id: "call_a",
        arguments: "",
        status: "in_progress",
      },
    });
    expect(events[5]).toMatchObject({ arguments: '{"city":"Paris"}', output_index: 0 });
    expect(terminalOf(events).output).toEqual([
      {
        type: "function_call",
        id: "fc_1",
        call_id: "call_a",
        name: "weather",
        arguments: '{"city":"Paris"}',
        status: "completed",
      },
    ]);
  });

  it("S4–S9: parallel calls interleave, each at its own output_index, with matching item ids", async () => {
    const events = await runEvents(
      [
        { type: "text", delta: "Checking." },
        { type: "function_call_start", key: "a", name: "weather" },
        { type: "function_call_start", key: "b", name: "time" },
        { type: "function_call_delta", key: "a", delta: '{"city":' },
        { type: "function_call_delta", key: "b", delta: '{"zone":"CET"}' },
        { type: "function_call_delta", key: "a", delta: '"Rome"}' },
        { type: "function_call_end", key: "b" },
        { type: "function_call_end", key: "a" },
      ],
      weatherTools,
    );
    strictCheck(events);
    const deltas = events.filter((event) => event.type === "response.function_call_arguments.delta");
    expect(deltas.map((event) => [event.output_index, event.item_id])).toEqual([
      [1, "fc_1"],
      [2, "fc_2"],
      [1, "fc_1"],
    ]);
    const output = terminalOf(events).output;
    expect(output.map((item) => item.type)).toEqual(["message", "function_call", "function_call"]);
    expect(output[1]).toMatchObject({ name: "weather", arguments: '{"city":"Rome"}', status: "completed" });
    expect(output[2]).toMatchObject({ name: "time", arguments: '{"zone":"CET"}', status: "completed" });
  });

  it("S6: calls still open when the model ends are closed with their .done events", async () => {
    const events = await runEvents(
      [
        { type: "function_call_start", key: "0", name: "weather" },
        { type: "function_call_delta", key: "0", delta: "{}" },
        { type: "function_call_start", key: "1", name: "time" },
      ],
      weatherTools,
    );
    strictCheck(events);
    expect(types(events).filter((type) => type === "response.function_call_arguments.done")).toHaveLength(2);
    expect(terminalOf(events).status).toBe("completed");
  });

  it("S9: incomplete with calls open: the last item is incomplete, the others completed", async () => {
    const events = await runEvents(
      [
        { type: "function_call_start", key: "0", name: "weather" },
        { type: "function_call_delta", key: "0", delta: "{}" },
        { type: "function_call_start", key: "1", name: "time" },
        { type: "function_call_delta", key: "1", delta: '{"zo' },
        { type: "incomplete", reason: "max_output_tokens" },
      ],
      weatherTools,
    );
    strictCheck(events);
    const response = terminalOf(events);
    expect(response.status).toBe("incomplete");
    expect(response.output.map((item) => (item as { status?: string }).status)).toEqual([
      "completed",
      "incomplete",
    ]);
  });

  it("S8: a failure with a call open closes it, then error and response.failed keep what streamed", async () => {
    const failing = async function* (): AsyncGenerator<ModelPart> {
      yield { type: "function_call_start", key: "0", name: "weather" };
      yield { type: "function_call_delta", key: "0", delta: '{"ci' };
      throw Object.assign(new Error("cut"), { code: "upstream_error" });
    };
    const { testEngine } = await import("./helpers.js");
    const run = await testEngine(failing).run(weatherTools);
    if (!run.ok) throw new Error("run failed");
    const events: StreamingEvent[] = [];
    for await (const event of run.events) events.push(event);
    strictCheck(events);
    expect(types(events).slice(-4)).toEqual([
      "response.function_call_arguments.done",
      "response.output_item.done",
      "error",
      "response.failed",
    ]);
    expect(terminalOf(events).output[0]).toMatchObject({ arguments: '{"ci' });
  });

  it("P2: a streamed call to a tool outside allowed_tools never reaches the client, nor do its pieces", async () => {
    const events = await runEvents(
      [
        { type: "function_call_start", key: "0", name: "time" },
        { type: "function_call_delta", key: "0", delta: "{}" },
        { type: "function_call_end", key: "0" },
        { type: "function_call_start", key: "1", name: "weather" },
        { type: "function_call_delta", key: "1", delta: "{}" },
        { type: "function_call_end", key: "1" },
      ],
      {
        ...weatherTools,
        tool_choice: { type: "allowed_tools", tools: [{ type: "function", name: "weather" }], mode: "auto" },
      },
    );
    strictCheck(events);
    expect(terminalOf(events).output.map((item) => item.type === "function_call" && item.name)).toEqual([
      "weather",
    ]);
  });

  it("two turns open at once keep their calls apart, kept or dropped, under the same keys", async () => {
    let release = () => {};
    const bothStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Bounded: a turn that fails before it waits would otherwise leave the other waiting.
    const bound = setTimeout(release, 2000);
    let waiting = 0;
    const model = async function* (): AsyncGenerator<ModelPart> {
      yield { type: "function_call_start", key: "0", name: "weather" };
      yield { type: "function_call_start", key: "1", name: "time" };
      if (++waiting === 2) release();
      await bothStarted;
      yield { type: "function_call_delta", key: "0", delta: "{}" };
      yield { type: "function_call_end", key: "0" };
      yield { type: "function_call_end", key: "1" };
    };
    const engine = testEngine(model);
    const turn = async () => {
      const run = await engine.run({
        ...weatherTools,
        tool_choice: { type: "allowed_tools", tools: [{ type: "function", name: "weather" }], mode: "auto" },
      });
      if (!run.ok) throw new Error(run.error.error.message);
      const events: StreamingEvent[] = [];
      for await (const event of run.events) events.push(event);
      return events;
    };
    const turns = await Promise.all([turn(), turn()]);
    clearTimeout(bound);
    expect(waiting).toBe(2);
    for (const events of turns) {
      strictCheck(events);
      expect(terminalOf(events).status).toBe("completed");
      expect(terminalOf(events).output).toMatchObject([{ type: "function_call", name: "weather" }]);
    }
  });

  it("P2: parallel_tool_calls false keeps the first streamed call only", async () => {
    const events = await runEvents(
      [
        { type: "function_call_start", key: "0", name: "weather" },
        { type: "function_call_start", key: "1", name: "time" },
        { type: "function_call_delta", key: "1", delta: "{}" },
        { type: "function_call_delta", key: "0", delta: "{}" },
      ],
      { ...weatherTools, parallel_tool_calls: false },
    );
    strictCheck(events);
    expect(terminalOf(events).output).toHaveLength(1);
  });

  it("a piece for a call that was never started fails the response with invalid_model_part", async () => {
    const events = await runEvents([{ type: "function_call_delta", key: "x", delta: "{}" }], weatherTools);
    expect(terminalOf(events).error).toMatchObject({ code: "invalid_model_part" });
  });

  it("a key started twice, or a start without a name, fails with invalid_model_part", async () => {
    for (const parts of [
      [
        { type: "function_call_start", key: "0", name: "weather" },
        { type: "function_call_start", key: "0", name: "weather" },
      ],
      [{ type: "function_call_start", key: "0", name: "" }],
      [{ type: "function_call_start", key: "", name: "weather" }],
    ] as ModelPart[][]) {
      const events = await runEvents(parts, weatherTools);
      expect(terminalOf(events).error).toMatchObject({ code: "invalid_model_part" });
    }
  });

  it("a key may be used again once its call ended", async () => {
    const events = await runEvents(
      [
        { type: "function_call_start", key: "0", name: "weather" },
        { type: "function_call_end", key: "0" },
        { type: "function_call_start", key: "0", name: "time" },
        { type: "function_call_end", key: "0" },
      ],
      weatherTools,
    );
    strictCheck(events);
    expect(terminalOf(events).output).toHaveLength(2);
  });
});
