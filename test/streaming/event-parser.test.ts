import { describe, expect, it } from "vitest";
import { ResponseStreamError } from "../../src/errors.js";
import { parseMessage } from "../../src/streaming/event-parser.js";

describe("event parser", () => {
  it("S3: data [DONE] ends the stream", () => {
    expect(parseMessage({ data: "[DONE]" })).toEqual({ kind: "done" });
  });

  it("parses an event whose SSE name equals its type, with no issue", () => {
    const parsed = parseMessage({
      event: "response.output_text.delta",
      data: '{"type":"response.output_text.delta","sequence_number":3,"delta":"hi","obfuscation":"xyz"}',
    });
    expect(parsed).toEqual({
      kind: "event",
      event: { type: "response.output_text.delta", sequence_number: 3, delta: "hi", obfuscation: "xyz" },
    });
  });

  it("accepts data lines without an event: line", () => {
    const parsed = parseMessage({ data: '{"type":"response.created","sequence_number":0}' });
    expect(parsed.kind).toBe("event");
    expect(parsed.kind === "event" && parsed.issue).toBeUndefined();
  });

  it("S2: reports an event: name that differs from type, keeping the event", () => {
    const parsed = parseMessage({
      event: "response.output_text.done",
      data: '{"type":"response.output_text.delta"}',
    });
    expect(parsed.kind).toBe("event");
    if (parsed.kind !== "event") return;
    expect(parsed.event.type).toBe("response.output_text.delta");
    expect(parsed.issue?.rule).toBe("S2");
  });

  it("normalises response.reasoning_text.* to response.reasoning.* and keeps the original name", () => {
    for (const [wild, spec] of [
      ["response.reasoning_text.delta", "response.reasoning.delta"],
      ["response.reasoning_text.done", "response.reasoning.done"],
    ]) {
      const parsed = parseMessage({ event: wild, data: JSON.stringify({ type: wild, sequence_number: 1 }) });
      expect(parsed.kind).toBe("event");
      if (parsed.kind !== "event") return;
      expect(parsed.issue).toBeUndefined();
      expect(parsed.event.type).toBe(spec);
      expect((parsed.event as { original_type?: string }).original_type).toBe(wild);
    }
  });

  it("X2: passes unknown and provider-prefixed events through", () => {
    for (const type of ["acme:trace_event", "response.web_search_call.searching", "response.brand_new"]) {
      const parsed = parseMessage({
        event: type,
        data: JSON.stringify({ type, sequence_number: 1, extra: [1] }),
      });
      expect(parsed).toEqual({ kind: "event", event: { type, sequence_number: 1, extra: [1] } });
    }
  });

  it("S4: recovers a missing type from the event: name, and an error body without type", () => {
    const named = parseMessage({ event: "response.in_progress", data: '{"sequence_number":1}' });
    expect(named.kind === "event" && named.event.type).toBe("response.in_progress");
    expect(named.kind === "event" && named.issue?.rule).toBe("S4");
    const error = parseMessage({ data: '{"error":{"message":"boom","code":"x"}}' });
    expect(error.kind === "event" && error.event.type).toBe("error");
  });

  it("reports JSON that is not an event object as invalid", () => {
    expect(parseMessage({ data: "[1,2]" }).kind).toBe("invalid");
    expect(parseMessage({ data: '"text"' }).kind).toBe("invalid");
    expect(parseMessage({ data: '{"no":"type"}' }).kind).toBe("invalid");
  });

  it("bad JSON throws a malformed ResponseStreamError naming the event", () => {
    let caught: unknown;
    try {
      parseMessage({ event: "response.output_text.delta", data: '{"type": "response.output_text.delta", ' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ResponseStreamError);
    expect((caught as ResponseStreamError).kind).toBe("malformed");
    expect((caught as ResponseStreamError).message).toContain("response.output_text.delta");
  });

  it("never puts a credential from the data into the error message", () => {
    let caught: unknown;
    try {
      parseMessage({ data: '{"auth":"Bearer sk-abcdefghijklmnopqrstuvwxyz",' });
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).not.toContain("sk-abcdefghijklmnopqrstuvwxyz");
  });
});
