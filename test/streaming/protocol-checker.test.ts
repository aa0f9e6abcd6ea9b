import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../src/errors.js";
import type { ResponseStreamEvent } from "../../src/streaming/events.js";
import { MAX_RECORDED_VIOLATIONS, ProtocolChecker } from "../../src/streaming/protocol-checker.js";
import { Events, everyEventStream, type Loose, messageItem, responseResource } from "./fixtures.js";

function run(
  events: Loose[],
  strict = false,
  issues: Record<number, { rule: string; message: string }> = {},
) {
  const checker = new ProtocolChecker({ strict });
  events.forEach((event, index) => {
    checker.check(event as unknown as ResponseStreamEvent, issues[index]);
  });
  checker.finish();
  return checker.violations;
}

/** Asserts that lenient mode records `rule` and that strict mode throws a ProtocolError naming it. */
function expectRule(
  events: Loose[],
  rule: string,
  issues: Record<number, { rule: string; message: string }> = {},
) {
  const violations = run(events, false, issues);
  expect(violations.map((v) => v.rule)).toContain(rule);
  let caught: unknown;
  try {
    run(events, true, issues);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  // Strict mode stops at the first violation, which is the rule under test in these fixtures.
  expect((caught as ProtocolError).rule).toBe(rule);
  expect((caught as ProtocolError).message).toContain(`[${rule}]`);
  return violations;
}

function simple(deltas = ["a"]): Loose[] {
  return new Events()
    .created()
    .message(0, deltas)
    .completed([messageItem("msg_0", deltas.join(""))]).list;
}

describe("protocol checker", () => {
  it("a valid stream with every standard event type records no violation, strict or not", () => {
    const { events } = everyEventStream();
    expect(run(events)).toEqual([]);
    expect(run(events, true)).toEqual([]);
  });

  it("S2: records a name mismatch passed on by the parser", () => {
    const v = expectRule(simple(), "S2", { 3: { rule: "S2", message: "mismatch" } });
    expect(v[0]).toMatchObject({ rule: "S2", sequenceNumber: 3, eventType: "response.output_text.delta" });
  });

  it("S4: sequence numbers must increase", () => {
    const events = simple(["a", "b"]);
    (events[4] as Loose).sequence_number = 1;
    expectRule(events, "S4");
  });

  it("S4: every event carries a sequence_number", () => {
    const events = simple();
    delete (events[2] as Loose).sequence_number;
    expectRule(events, "S4");
  });

  it("S5: response.created comes first", () => {
    expectRule(simple().slice(1), "S5");
  });

  it("S5: response.created only once", () => {
    const events = simple();
    events.splice(1, 0, {
      type: "response.created",
      sequence_number: 0.5,
      response: responseResource("in_progress"),
    });
    expectRule(events, "S5");
  });

  it("S5: nothing after the terminal event", () => {
    const events = simple();
    events.push({
      type: "response.in_progress",
      sequence_number: 99,
      response: responseResource("in_progress"),
    });
    const v = expectRule(events, "S5");
    expect(v.at(-1)?.eventType).toBe("response.in_progress");
  });

  it("S6: a delta before its item was added", () => {
    const events = new Events().created().add("response.output_text.delta", {
      item_id: "m",
      output_index: 0,
      content_index: 0,
      delta: "x",
    }).list;
    expectRule(events, "S6");
  });

  it("S6: an event for an item after its output_item.done", () => {
    const events = new Events()
      .created()
      .message(0, ["a"])
      .add("response.function_call_arguments.delta", { item_id: "msg_0", output_index: 0, delta: "x" }).list;
    expectRule(events, "S6");
  });

  it("S6: output_item.done before output_item.added", () => {
    const events = new Events()
      .created()
      .add("response.output_item.done", { output_index: 0, item: messageItem("m", "") }).list;
    expectRule(events, "S6");
  });

  it("S6: an item added twice, and an item never done before the terminal event", () => {
    const twice = new Events()
      .created()
      .add("response.output_item.added", {
        output_index: 0,
        item: { type: "function_call", id: "f", name: "n" },
      })
      .add("response.output_item.added", {
        output_index: 0,
        item: { type: "function_call", id: "f", name: "n" },
      }).list;
    expectRule(twice, "S6");
    const neverDone = new Events()
      .created()
      .add("response.output_item.added", {
        output_index: 0,
        item: { type: "function_call", id: "f", name: "n" },
      })
      .completed([]).list;
    expectRule(neverDone, "S6");
  });

  it("S6: items added out of order, at odd indexes or twice are each found by their later events", () => {
    const call = (id: string) => ({ type: "function_call", id, name: "n", arguments: "" });
    const added = (index: number) =>
      ["response.output_item.added", { output_index: index, item: call(`f${index}`) }] as const;
    const delta = (index: number) =>
      [
        "response.function_call_arguments.delta",
        { item_id: `f${index}`, output_index: index, delta: "x" },
      ] as const;
    const done = (index: number) =>
      ["response.output_item.done", { output_index: index, item: call(`f${index}`) }] as const;
    const steps = [
      added(2),
      added(0),
      added(1),
      added(-1),
      added(0.5),
      added(1e9),
      delta(2),
      delta(0),
      delta(1),
      delta(-1),
      delta(0.5),
      delta(1e9),
      done(1),
      done(2),
      done(-1),
      done(0.5),
      done(1e9),
      added(1),
      delta(1),
      done(1),
      delta(3),
    ] as const;
    const events = new Events().created();
    for (const [type, fields] of steps) events.add(type, fields);
    // Only item 1 added twice, item 3 never added, and item 0 left open are violations.
    expect(run(events.completed([]).list).map((v) => v.message)).toEqual([
      "Output item 1 was added twice.",
      "response.function_call_arguments.delta for output item 3 came before its output_item.added.",
      "Output item 0 was never closed by response.output_item.done.",
    ]);
    // An item done, then added again at its index: its deltas go to the new, open item; done twice is not.
    const again = new Events().created();
    for (const [type, fields] of [added(0), done(0), added(0), delta(0), done(0), delta(0)] as const) {
      again.add(type, fields);
    }
    expect(run(again.list).map((v) => v.message)).toEqual([
      "Output item 0 was added twice.",
      "response.function_call_arguments.delta for output item 0 came after its output_item.done.",
    ]);
  });

  it("S7: a delta before its content part was added", () => {
    const events = simple();
    events.splice(2, 1); // drop content_part.added
    expectRule(events, "S7");
  });

  it("S7: a delta after its content part was done", () => {
    const events = new Events()
      .created()
      .message(0, ["a"])
      .list.filter((e) => e.type !== "response.output_item.done");
    const seq = 50;
    events.push({
      type: "response.output_text.delta",
      sequence_number: seq,
      item_id: "msg_0",
      output_index: 0,
      content_index: 0,
      delta: "late",
    });
    expectRule(events, "S7");
  });

  it("S7: a content part left open when the item is done", () => {
    const events = simple().filter((e) => e.type !== "response.content_part.done");
    expectRule(events, "S7");
  });

  it("S7: a content part done twice, and a summary delta outside its summary part", () => {
    const events = simple();
    const partDone = events.findIndex((e) => e.type === "response.content_part.done");
    events.splice(partDone + 1, 0, { ...(events[partDone] as Loose), sequence_number: 5.5 });
    expectRule(events, "S7");
    const summary = new Events()
      .created()
      .add("response.output_item.added", {
        output_index: 0,
        item: { type: "reasoning", id: "r", summary: [] },
      })
      .add("response.reasoning_summary_text.delta", {
        item_id: "r",
        output_index: 0,
        summary_index: 0,
        delta: "x",
      }).list;
    expectRule(summary, "S7");
  });

  it("S8: an error event must be followed by response.failed", () => {
    const events = new Events()
      .created()
      .add("error", { error: { type: "server_error", code: "boom", message: "Boom", param: null } })
      .add("response.in_progress", { response: responseResource("in_progress") }).list;
    expectRule(events, "S8");
    const atEnd = new Events()
      .created()
      .add("error", { error: { type: "server_error", code: "boom", message: "Boom", param: null } }).list;
    expectRule(atEnd, "S8");
    const good = new Events()
      .created()
      .add("error", { error: { type: "server_error", code: "boom", message: "Boom", param: null } })
      .add("response.failed", { response: responseResource("failed") }).list;
    expect(run(good)).toEqual([]);
  });

  it("S9: an incomplete item must be the last item", () => {
    const events = new Events()
      .created()
      .message(0, ["a"], "msg_0", "incomplete")
      .message(1, ["b"])
      .add("response.incomplete", { response: responseResource("incomplete") }).list;
    expectRule(events, "S9");
  });

  it("S9: an incomplete item means the response is incomplete too", () => {
    const events = new Events().created().message(0, ["a"], "msg_0", "incomplete").completed([]).list;
    expectRule(events, "S9");
    const good = new Events()
      .created()
      .message(0, ["a"], "msg_0", "incomplete")
      .add("response.incomplete", { response: responseResource("incomplete") }).list;
    expect(run(good)).toEqual([]);
  });

  it("X1: un-prefixed unknown events and items are reported; prefixed extensions are not", () => {
    const hosted = new Events().created().add("response.output_item.added", {
      output_index: 0,
      item: { type: "web_search_call", id: "ws", status: "in_progress" },
    }).list;
    expectRule(hosted, "X1");
    const hostedEvent = new Events()
      .created()
      .add("response.web_search_call.searching", { output_index: 0, item_id: "ws" }).list;
    expectRule(hostedEvent, "X1");
    const prefixed = new Events()
      .created()
      .add("acme:trace_event", { detail: 1 })
      .add("response.output_item.added", {
        output_index: 0,
        item: { type: "acme:search_result", id: "x", status: "completed" },
      })
      .add("response.output_item.done", {
        output_index: 0,
        item: { type: "acme:search_result", id: "x", status: "completed" },
      })
      .completed([]).list;
    expect(run(prefixed, true)).toEqual([]);
  });

  it("lenient mode keeps going and records every violation in order", () => {
    const events = simple();
    events.splice(2, 1);
    (events[3] as Loose).sequence_number = 0;
    const rules = run(events).map((v) => v.rule);
    expect(rules).toEqual(["S7", "S4", "S7", "S7"]);
  });

  it("S7: a server breaking a rule on every delta records a bounded number of violations", () => {
    // 5,000 deltas for a content part that was never added: one S7 violation each, kept to the cap.
    const events: Loose[] = [
      { type: "response.created", sequence_number: 0, response: responseResource("in_progress", []) },
      {
        type: "response.output_item.added",
        sequence_number: 1,
        output_index: 0,
        item: { type: "message", id: "m", status: "in_progress", role: "assistant", content: [] },
      },
    ];
    for (let i = 0; i < 5_000; i++) {
      events.push({
        type: "response.output_text.delta",
        sequence_number: i + 2,
        item_id: "m",
        output_index: 0,
        content_index: 0,
        delta: "x",
      });
    }
    const violations = run(events);
    expect(violations).toHaveLength(MAX_RECORDED_VIOLATIONS);
    expect(violations[0]).toMatchObject({ rule: "S7", sequenceNumber: 2 });
  });
});
