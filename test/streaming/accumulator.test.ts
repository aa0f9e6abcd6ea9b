import { describe, expect, it } from "vitest";
import { ResponseAccumulator } from "../../src/streaming/accumulator.js";
import type { ResponseStreamEvent } from "../../src/streaming/events.js";
import { Events, everyEventStream, type Loose, messageItem, responseResource } from "./fixtures.js";

function accumulate(events: Loose[]): ResponseAccumulator {
  const accumulator = new ResponseAccumulator();
  for (const event of events) accumulator.apply(event as unknown as ResponseStreamEvent);
  return accumulator;
}

/** The events without their `.done`/terminal texts, so only the deltas can produce the text. */
function withoutFinalTexts(events: Loose[]): Loose[] {
  return events.map((event) => {
    const copy = { ...event };
    if (copy.type === "response.completed") copy.response = responseResource("completed", []);
    return copy;
  });
}

describe("accumulator", () => {
  it("rebuilds reasoning text, summaries, text, annotations, refusal and function arguments", () => {
    const { events, output } = everyEventStream();
    const accumulator = accumulate(events);
    expect(accumulator.finalResponse?.output).toEqual(output);
    expect(accumulator.differences).toEqual([]);
    expect(accumulator.outputText).toBe("Héllo 世界 🎉");
  });

  it("rebuilds the same items from deltas alone when the terminal output is empty", () => {
    const { events, output } = everyEventStream();
    const accumulator = accumulate(withoutFinalTexts(events));
    expect(accumulator.finalResponse?.output).toEqual(output);
    expect(accumulator.differences.map((d) => d.path)).toEqual(["output"]);
  });

  it("the snapshot mid-stream shows the text so far and is the same live object", () => {
    const events = new Events().created().message(0, ["Hel", "lo", " there"]).list;
    const accumulator = new ResponseAccumulator();
    const seen: string[] = [];
    let first: unknown;
    for (const event of events) {
      accumulator.apply(event as unknown as ResponseStreamEvent);
      if (event.type === "response.output_text.delta") {
        seen.push(accumulator.outputText);
        first ??= accumulator.snapshot;
        expect(accumulator.snapshot).toBe(first);
      }
    }
    expect(seen).toEqual(["Hel", "Hello", "Hello there"]);
  });

  it("both reasoning spellings rebuild the same item", () => {
    const spec = new Events()
      .created()
      .add("response.output_item.added", {
        output_index: 0,
        item: { type: "reasoning", id: "r", summary: [] },
      })
      .add("response.content_part.added", {
        item_id: "r",
        output_index: 0,
        content_index: 0,
        part: { type: "reasoning_text", text: "" },
      })
      .add("response.reasoning.delta", { item_id: "r", output_index: 0, content_index: 0, delta: "a" })
      .add("response.reasoning.delta", { item_id: "r", output_index: 0, content_index: 0, delta: "b" }).list;
    // The wild spelling, after the parser's normalisation (which keeps original_type).
    const wild = spec.map((event) =>
      event.type === "response.reasoning.delta"
        ? { ...event, original_type: "response.reasoning_text.delta" }
        : event,
    );
    const a = accumulate(spec).snapshot.output;
    const b = accumulate(wild).snapshot.output;
    expect(a).toEqual(b);
    expect((a[0] as Loose).content).toEqual([{ type: "reasoning_text", text: "ab" }]);
  });

  it("keeps extension items as opaque records with every field", () => {
    const item = {
      type: "acme:search_result",
      id: "x1",
      status: "completed",
      hits: [{ url: "u" }],
      score: 0.5,
    };
    const events = new Events()
      .created()
      .add("response.output_item.added", { output_index: 0, item })
      .add("acme:trace_event", { detail: "ignored by the accumulator" })
      .add("response.output_item.done", { output_index: 0, item })
      .completed([item]).list;
    expect(accumulate(events).finalResponse?.output).toEqual([item]);
  });

  it("survives status-less items (hosted tools) and keeps them", () => {
    const added = { type: "web_search_call", id: "ws_1", action: { query: "q" } };
    const events = new Events()
      .created()
      .add("response.output_item.added", { output_index: 0, item: added })
      .add("response.web_search_call.searching", { output_index: 0, item_id: "ws_1" })
      .add("response.output_item.done", { output_index: 0, item: { ...added, results: 3 } })
      .completed([]).list;
    const accumulator = accumulate(events);
    expect(accumulator.finalResponse?.output).toEqual([{ ...added, results: 3 }]);
  });

  it("follows the output_index when an item id changes between events, and reports the change", () => {
    const e = new Events()
      .created()
      .add("response.output_item.added", {
        output_index: 0,
        item: { type: "message", id: "tmp_1", status: "in_progress", role: "assistant", content: [] },
      })
      .add("response.content_part.added", {
        item_id: "other_2",
        output_index: 0,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      })
      .add("response.output_text.delta", {
        item_id: "other_3",
        output_index: 0,
        content_index: 0,
        delta: "Hi",
      })
      .add("response.output_item.done", { output_index: 0, item: messageItem("msg_final", "Hi") })
      .completed([messageItem("msg_final", "Hi")]);
    const accumulator = accumulate(e.list);
    expect(accumulator.finalResponse?.output).toEqual([messageItem("msg_final", "Hi")]);
    expect(accumulator.differences).toEqual([
      { path: "output[0].id", streamed: "tmp_1", final: "msg_final" },
    ]);
  });

  it("keeps streamed text when a done part or item arrives empty, and reports it", () => {
    const e = new Events().created().message(0, ["abc"]);
    const list = e.list.map((event) => {
      if (event.type === "response.content_part.done")
        return { ...event, part: { type: "output_text", text: "" } };
      if (event.type === "response.output_item.done")
        return { ...event, item: { ...(event.item as Loose), content: [] } };
      return event;
    });
    const accumulator = accumulate(list);
    expect(accumulator.outputText).toBe("abc");
    expect(accumulator.differences.map((d) => d.path)).toEqual([
      "output[0].content[0].text",
      "output[0].content",
    ]);
  });

  it("the terminal snapshot wins where it disagrees, and the difference is reported", () => {
    const events = new Events()
      .created()
      .message(0, ["streamed"])
      .completed([messageItem("msg_0", "final")]).list;
    const accumulator = accumulate(events);
    expect(accumulator.outputText).toBe("final");
    expect(accumulator.differences).toEqual([
      { path: "output[0].content[0].text", streamed: "streamed", final: "final" },
    ]);
  });

  it("a .done text that disagrees with the deltas wins and is reported", () => {
    const events = new Events().created().message(0, ["a", "b"]).list;
    const done = events.find((e) => e.type === "response.output_text.done")!;
    done.text = "xy";
    const accumulator = accumulate(events);
    expect(accumulator.differences[0]).toEqual({
      path: "output[0].content[0].text",
      streamed: "ab",
      final: "xy",
    });
  });

  it("keeps text whose item was never added, in a placeholder message", () => {
    const events = new Events()
      .created()
      .add("response.output_text.delta", { item_id: "m9", output_index: 0, content_index: 0, delta: "lost?" })
      .add("response.function_call_arguments.delta", { item_id: "f9", output_index: 1, delta: "{}" }).list;
    const snapshot = accumulate(events).snapshot;
    expect(snapshot.output).toEqual([
      {
        type: "message",
        id: "m9",
        role: "assistant",
        status: "in_progress",
        content: [{ type: "output_text", text: "lost?", annotations: [] }],
      },
      { type: "function_call", id: "f9", call_id: "", name: "", arguments: "{}", status: "in_progress" },
    ]);
  });

  it("finds the item by item_id when output_index is missing", () => {
    const events = new Events()
      .created()
      .message(0, ["x"])
      .list.filter((e) => e.type !== "response.output_item.done");
    const delta = events.find((e) => e.type === "response.output_text.delta")!;
    delete delta.output_index;
    expect(accumulate(events).outputText).toBe("x");
  });

  it("deltas with neither output_index nor item_id go to the latest item, not a new item each", () => {
    const events = new Events()
      .created()
      .add("response.output_item.added", {
        item: { type: "message", id: "m", status: "in_progress", role: "assistant", content: [] },
      })
      .add("response.output_text.delta", { content_index: 0, delta: "a" })
      .add("response.output_text.delta", { content_index: 0, delta: "b" })
      .add("response.output_text.delta", { content_index: 0, delta: "c" })
      .add("response.output_item.added", {
        item: {
          type: "function_call",
          id: "f",
          call_id: "c1",
          name: "t",
          arguments: "",
          status: "in_progress",
        },
      })
      .add("response.function_call_arguments.delta", { delta: "{}" }).list;
    const snapshot = accumulate(events).snapshot;
    expect(snapshot.output).toHaveLength(2);
    expect(snapshot.output[0]).toMatchObject({ id: "m", content: [{ type: "output_text", text: "abc" }] });
    expect(snapshot.output[1]).toMatchObject({ id: "f", arguments: "{}" });
  });

  it("works without response.created (a placeholder snapshot) and records the error event", () => {
    const events = new Events().message(0, ["partial"]).add("error", {
      error: { type: "server_error", code: "overloaded", message: "Busy", param: null },
    }).list;
    const accumulator = accumulate(events);
    expect(accumulator.snapshot.status).toBe("in_progress");
    expect(accumulator.outputText).toBe("partial");
    expect(accumulator.errorEvent).toEqual({
      type: "server_error",
      code: "overloaded",
      message: "Busy",
      param: null,
    });
  });

  it("does not mutate the events it was given", () => {
    const events = everyEventStream().events;
    const before = JSON.stringify(events);
    accumulate(events);
    expect(JSON.stringify(events)).toBe(before);
  });

  it("rebuilds a 100,000-delta text exactly", () => {
    const deltas = Array.from({ length: 100_000 }, (_, i) => `w${i % 10} `);
    const events = new Events().created().message(0, deltas).completed([]).list;
    const accumulator = accumulate(events);
    expect(accumulator.outputText).toBe(deltas.join(""));
  });
});
