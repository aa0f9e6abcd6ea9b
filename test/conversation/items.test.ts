/** Output items → request items: only the fields the ItemParam schemas cannot take change (I4, I5, X2, X4). */

import { describe, expect, it } from "vitest";
import { normalizeInput, toInputItem, toInputItems } from "../../src/conversation/items.js";
import { isValid } from "../../src/spec/index.js";

describe("toInputItem", () => {
  it("I5: reasoning keeps id, summary and encrypted_content untouched; raw content is dropped", () => {
    const item = {
      type: "reasoning",
      id: "rs_1",
      status: "completed",
      summary: [{ type: "summary_text", text: "short" }],
      content: [{ type: "reasoning_text", text: "long raw thoughts" }],
      encrypted_content: "gAAAA-opaque==",
    };
    const converted = toInputItem(item);
    expect(converted).toEqual({
      type: "reasoning",
      id: "rs_1",
      status: "completed",
      summary: [{ type: "summary_text", text: "short" }],
      encrypted_content: "gAAAA-opaque==",
    });
    expect(item.content).toHaveLength(1);
  });

  it("I4/X4: an assistant message keeps phase, status and unknown fields; output_text loses only logprobs", () => {
    const message = {
      type: "message",
      id: "msg_1",
      role: "assistant",
      status: "completed",
      phase: "commentary",
      vendor_field: { kept: true },
      content: [
        { type: "output_text", text: "Hi", annotations: [], logprobs: [{ token: "Hi", logprob: -0.1 }] },
        { type: "refusal", refusal: "no" },
      ],
    };
    expect(toInputItem(message)).toEqual({
      type: "message",
      id: "msg_1",
      role: "assistant",
      status: "completed",
      phase: "commentary",
      vendor_field: { kept: true },
      content: [
        { type: "output_text", text: "Hi", annotations: [] },
        { type: "refusal", refusal: "no" },
      ],
    });
    expect(isValid("AssistantMessageItemParam", toInputItem(message))).toBe(true);
  });

  it("P4: function calls and outputs are kept as they came", () => {
    const call = {
      type: "function_call",
      id: "fc_1",
      call_id: "c1",
      name: "f",
      arguments: '{"a":1}',
      status: "completed",
    };
    const output = {
      type: "function_call_output",
      id: "fco_1",
      call_id: "c1",
      output: "42",
      status: "completed",
    };
    expect(toInputItems([call, output])).toEqual([call, output]);
    expect(isValid("FunctionCallItemParam", toInputItem(call))).toBe(true);
  });

  it("X2: provider-prefixed and unknown items pass through exactly, as copies", () => {
    const prefixed = {
      type: "acme:search_result",
      id: "sr_1",
      status: "completed",
      hits: [{ url: "u", score: 0.5 }],
    };
    const converted = toInputItem(prefixed);
    expect(converted).toEqual(prefixed);
    expect(converted).not.toBe(prefixed);
    (converted as unknown as { hits: unknown[] }).hits.push("mutated");
    expect(prefixed.hits).toHaveLength(1);
  });

  it("compaction items keep their opaque content", () => {
    const compaction = { type: "compaction", id: "cmp_1", encrypted_content: "opaque" };
    expect(toInputItem(compaction)).toEqual(compaction);
  });
});

describe("normalizeInput", () => {
  it("turns a string into one user message with an input_text part, and copies item lists", () => {
    expect(normalizeInput("hi")).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
    ]);
    const items = [{ type: "message", role: "user", content: "x" }] as const;
    const normalized = normalizeInput([...items]);
    expect(normalized).toEqual(items);
    expect(normalized[0]).not.toBe(items[0]);
    expect(normalizeInput(null)).toEqual([]);
  });
});
