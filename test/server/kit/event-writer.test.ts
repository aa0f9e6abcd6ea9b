import { describe, expect, it } from "vitest";
import type { ModelPart } from "../../../src/server/model.js";
import type { StreamingEvent } from "../../../src/spec/index.js";
import { itWith, loadOpenAPI, needs } from "../../support/needs.js";
import { runEvents, scriptedModel, terminalOf, testEngine, types } from "./helpers.js";

const openapi = loadOpenAPI<{ components: { schemas: Record<string, { required: string[] }> } }>();
const requiredOf = (schema: string): string[] => openapi?.components.schemas[schema]?.required ?? [];

function byType<T extends StreamingEvent["type"]>(events: StreamingEvent[], type: T) {
  return events.filter((event): event is Extract<StreamingEvent, { type: T }> => event.type === type);
}

describe("event writer", () => {
  it("S4/S5/S6/S7: a text answer is the exact message lifecycle", async () => {
    const events = await runEvents([
      { type: "text", delta: "Hel" },
      { type: "text", delta: "lo" },
    ]);
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const [added] = byType(events, "response.output_item.added");
    expect(added?.item).toEqual({
      type: "message",
      id: "msg_1",
      status: "in_progress",
      role: "assistant",
      content: [],
    });
    const [partAdded] = byType(events, "response.content_part.added");
    expect(partAdded?.part).toEqual({ type: "output_text", text: "", annotations: [] });
    expect(byType(events, "response.output_text.done")[0]?.text).toBe("Hello");
    const response = terminalOf(events);
    expect(response.status).toBe("completed");
    expect(response.completed_at).toBe(1_700_000_000);
    expect(response.output).toEqual([
      {
        type: "message",
        id: "msg_1",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: "Hello", annotations: [] }],
      },
    ]);
    expect(byType(events, "response.output_item.done")[0]?.item).toEqual(response.output[0]);
  });

  it("S5: lifecycle snapshots are copies frozen at their moment", async () => {
    const events = await runEvents([{ type: "text", delta: "x" }]);
    const created = byType(events, "response.created")[0];
    expect(created?.response.output).toEqual([]);
    expect(created?.response.status).toBe("in_progress");
    expect(created?.response.usage).toBeNull();
  });

  itWith(
    needs.sharedSpec(),
    "S5: the snapshot has every required field of ResponseResource, echoing the request",
    async () => {
      const events = await runEvents([{ type: "text", delta: "x" }], {
        model: "m",
        input: "hi",
        temperature: 0.5,
        tools: [{ type: "function", name: "lookup", parameters: { type: "object" } }],
        tool_choice: { type: "allowed_tools", tools: [{ type: "function", name: "lookup" }] },
        metadata: { a: "b" },
        instructions: "be brief",
      });
      const response = terminalOf(events);
      for (const field of requiredOf("ResponseResource")) expect(response).toHaveProperty(field);
      expect(response).toMatchObject({
        object: "response",
        model: "m",
        temperature: 0.5,
        top_p: 1,
        truncation: "disabled",
        parallel_tool_calls: true,
        store: true,
        background: false,
        metadata: { a: "b" },
        instructions: "be brief",
        text: { format: { type: "text" } },
        tool_choice: { type: "allowed_tools", tools: [{ type: "function", name: "lookup" }], mode: "auto" },
        tools: [
          {
            type: "function",
            name: "lookup",
            description: null,
            parameters: { type: "object" },
            strict: null,
          },
        ],
      });
      for (const field of requiredOf("Usage")) expect(response.usage).toHaveProperty(field);
    },
  );

  it("S7: a refusal is a refusal content part", async () => {
    const events = await runEvents([{ type: "refusal", delta: "No." }]);
    expect(types(events).slice(2, -1)).toEqual([
      "response.output_item.added",
      "response.content_part.added",
      "response.refusal.delta",
      "response.refusal.done",
      "response.content_part.done",
      "response.output_item.done",
    ]);
    expect(byType(events, "response.refusal.done")[0]?.refusal).toBe("No.");
    expect(terminalOf(events).output[0]).toMatchObject({ content: [{ type: "refusal", refusal: "No." }] });
  });

  it("S7: text then refusal in one message are two content parts", async () => {
    const events = await runEvents([
      { type: "text", delta: "a" },
      { type: "refusal", delta: "b" },
    ]);
    const parts = byType(events, "response.content_part.added").map((event) => event.content_index);
    expect(parts).toEqual([0, 1]);
    expect(byType(events, "response.output_item.added")).toHaveLength(1);
  });

  it("S7: raw reasoning and summaries stream with their own families", async () => {
    const events = await runEvents([
      { type: "reasoning", delta: "think" },
      { type: "reasoning_summary", delta: "sum" },
      { type: "reasoning_summary", delta: "mary" },
      { type: "reasoning_summary", delta: "second", summaryIndex: 1 },
      { type: "reasoning_encrypted", encryptedContent: "opaque" },
      { type: "text", delta: "answer" },
    ]);
    expect(types(events).slice(2, -1)).toEqual([
      "response.output_item.added",
      "response.content_part.added",
      "response.reasoning.delta",
      "response.reasoning.done",
      "response.content_part.done",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
    ]);
    expect(byType(events, "response.content_part.added")[0]?.part).toEqual({
      type: "reasoning_text",
      text: "",
    });
    expect(byType(events, "response.reasoning_summary_part.added").map((e) => e.summary_index)).toEqual([
      0, 1,
    ]);
    const [reasoning, message] = terminalOf(events).output;
    expect(reasoning).toEqual({
      type: "reasoning",
      id: "rs_1",
      status: "completed",
      summary: [
        { type: "summary_text", text: "summary" },
        { type: "summary_text", text: "second" },
      ],
      content: [{ type: "reasoning_text", text: "think" }],
      encrypted_content: "opaque",
    });
    expect(message).toMatchObject({ type: "message", id: "msg_1" });
    expect(terminalOf(events).usage?.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });

  it("S6/S7: a function call streams its arguments as deltas", async () => {
    const args = JSON.stringify({ query: "x".repeat(150) }); // 162 characters: three 64-character slices
    const events = await runEvents(
      [{ type: "function_call", name: "lookup", arguments: args, callId: "call_9" }],
      {
        input: "hi",
        tools: [{ type: "function", name: "lookup" }],
      },
    );
    expect(types(events).slice(2, -1)).toEqual([
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
    ]);
    expect(byType(events, "response.output_item.added")[0]?.item).toEqual({
      type: "function_call",
      id: "fc_1",
      call_id: "call_9",
      name: "lookup",
      arguments: "",
      status: "in_progress",
    });
    const deltas = byType(events, "response.function_call_arguments.delta").map((event) => event.delta);
    expect(deltas.join("")).toBe(args);
    expect(byType(events, "response.function_call_arguments.done")[0]?.arguments).toBe(args);
    expect(terminalOf(events).output[0]).toMatchObject({
      status: "completed",
      arguments: args,
      call_id: "call_9",
    });
  });

  it("S7: an annotation attaches to the current output_text part", async () => {
    const annotation = {
      type: "url_citation" as const,
      url: "https://e.x",
      start_index: 0,
      end_index: 4,
      title: "E",
    };
    const events = await runEvents([
      { type: "text", delta: "Read" },
      { type: "annotation", annotation },
    ]);
    const [added] = byType(events, "response.output_text.annotation.added");
    expect(added).toMatchObject({ content_index: 0, annotation_index: 0, annotation, item_id: "msg_1" });
    expect(types(events).indexOf("response.output_text.annotation.added")).toBeLessThan(
      types(events).indexOf("response.output_text.done"),
    );
    expect(terminalOf(events).output[0]).toMatchObject({ content: [{ annotations: [annotation] }] });
  });

  it("X1/X2: an extension item is emitted as added then done", async () => {
    const events = await runEvents([{ type: "item", item: { type: "acme:search_result", hits: 3 } }]);
    expect(types(events).slice(2, -1)).toEqual(["response.output_item.added", "response.output_item.done"]);
    expect(byType(events, "response.output_item.added")[0]?.item).toEqual({
      type: "acme:search_result",
      id: "item_1",
      hits: 3,
      status: "in_progress",
    });
    expect(terminalOf(events).output[0]).toEqual({
      type: "acme:search_result",
      id: "item_1",
      hits: 3,
      status: "completed",
    });
  });

  it("I1: a compaction item is emitted whole", async () => {
    const events = await runEvents([{ type: "compaction", encryptedContent: "blob" }]);
    expect(types(events).slice(2, -1)).toEqual(["response.output_item.added", "response.output_item.done"]);
    expect(byType(events, "response.output_item.added")[0]?.item).toMatchObject({
      encrypted_content: "blob",
    });
    expect(terminalOf(events).output[0]).toMatchObject({ type: "compaction", encrypted_content: "blob" });
  });

  it("end_item splits text into two messages; I4 phase lands on the message", async () => {
    const events = await runEvents([
      { type: "phase", phase: "commentary" },
      { type: "text", delta: "let me check" },
      { type: "phase", phase: "final_answer" },
      { type: "text", delta: "done" },
      { type: "end_item" },
      { type: "text", delta: "more" },
    ]);
    const output = terminalOf(events).output;
    expect(output.map((item) => (item as { phase?: string }).phase)).toEqual([
      "commentary",
      "final_answer",
      undefined,
    ]);
    expect(byType(events, "response.output_item.added")[0]?.item).toMatchObject({ phase: "commentary" });
  });

  it("S9: incomplete ends the current item incomplete, last, and the response incomplete", async () => {
    const model = scriptedModel([
      { type: "text", delta: "partial" },
      { type: "incomplete", reason: "max_output_tokens" },
      { type: "text", delta: "ignored" },
    ]);
    const run = await testEngine(model).run({ input: "hi" });
    if (!run.ok) throw new Error("run failed");
    const events: StreamingEvent[] = [];
    for await (const event of run.events) events.push(event);
    expect(types(events).slice(-4)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.incomplete",
    ]);
    const response = terminalOf(events);
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({ status: "incomplete", content: [{ text: "partial" }] });
  });

  it("S8: a model that throws mid-stream produces error then response.failed", async () => {
    const model = async function* () {
      yield { type: "text", delta: "so far" } as ModelPart;
      throw Object.assign(new Error("backend exploded"), { code: "backend_down" });
    };
    const run = await testEngine(model).run({ input: "hi" });
    if (!run.ok) throw new Error("run failed");
    const events: StreamingEvent[] = [];
    for await (const event of run.events) events.push(event);
    // S6 closes the open item first; S8 puts nothing between error and response.failed.
    expect(types(events).slice(-5)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "error",
      "response.failed",
    ]);
    const [error] = byType(events, "error");
    expect(error?.error).toEqual({
      type: "model_error",
      code: "backend_down",
      message: "backend exploded",
      param: null,
    });
    const response = terminalOf(events);
    expect(response.status).toBe("failed");
    expect(response.error).toMatchObject({ code: "backend_down", message: "backend exploded" });
    expect(response.output[0]).toMatchObject({ status: "completed", content: [{ text: "so far" }] });
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
  });

  it("S8: a model that throws before its first part still gets created, in_progress, error, failed", async () => {
    const model = () => {
      throw new Error("no");
    };
    const run = await testEngine(model).run({ input: "hi" });
    if (!run.ok) throw new Error("run failed");
    const events: StreamingEvent[] = [];
    for await (const event of run.events) events.push(event);
    expect(types(events)).toEqual(["response.created", "response.in_progress", "error", "response.failed"]);
  });

  it("an unknown model part fails the response with invalid_model_part", async () => {
    const events = await runEvents([{ type: "bogus" } as unknown as ModelPart]);
    expect(byType(events, "error")[0]?.error.code).toBe("invalid_model_part");
    expect(terminalOf(events).status).toBe("failed");
  });

  it("usage is estimated, and a model's usage part overrides the estimate", async () => {
    const estimated = terminalOf(
      await runEvents([{ type: "text", delta: "12345678" }], { input: "abcd" }),
    ).usage;
    expect(estimated).toEqual({
      input_tokens: 1,
      output_tokens: 2,
      total_tokens: 3,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    });
    const reported = terminalOf(
      await runEvents([
        { type: "text", delta: "x" },
        { type: "usage", usage: { input_tokens: 10, output_tokens: 20 } },
      ]),
    ).usage;
    expect(reported).toMatchObject({ input_tokens: 10, output_tokens: 20, total_tokens: 30 });
  });

  it("a model may return a plain (sync) iterable", async () => {
    const run = await testEngine(() => [{ type: "text", delta: "sync" } as ModelPart]).run({ input: "hi" });
    if (!run.ok) throw new Error("run failed");
    const events: StreamingEvent[] = [];
    for await (const event of run.events) events.push(event);
    expect(terminalOf(events).output[0]).toMatchObject({ content: [{ text: "sync" }] });
  });
});

describe("event writer: tolerance of untyped JavaScript models", () => {
  it("a null part fails the response with invalid_model_part instead of crashing", async () => {
    const events = await runEvents([null as unknown as ModelPart]);
    expect(byType(events, "error")[0]?.error).toMatchObject({
      code: "invalid_model_part",
      type: "model_error",
    });
  });

  it("P4: object arguments are encoded as a JSON string", async () => {
    const events = await runEvents(
      [{ type: "function_call", name: "f", arguments: { a: 1 } as unknown as string }],
      {
        input: "x",
        tools: [{ type: "function", name: "f" }],
      },
    );
    expect(terminalOf(events).output[0]).toMatchObject({ arguments: '{"a":1}' });
  });
});
