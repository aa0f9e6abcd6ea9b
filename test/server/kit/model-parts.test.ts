/** S8: a part a model should not yield (wrong field types, a standard item through `item`) fails cleanly. */

import { describe, expect, it } from "vitest";
import type { ModelPart } from "../../../src/server/model.js";
import { runEvents, terminalOf, types } from "./helpers.js";

const malformed: Array<[string, unknown]> = [
  ["a text part without a delta", { type: "text" }],
  ["a numeric text delta", { type: "text", delta: 5 }],
  ["a function call without a name", { type: "function_call", arguments: "{}" }],
  ["an unknown phase", { type: "phase", phase: "draft" }],
  ["an annotation that is not an object", { type: "annotation", annotation: 5 }],
  ["a summary index that is not a number", { type: "reasoning_summary", delta: "a", summaryIndex: "1" }],
  ["a null item", { type: "item", item: null }],
  ["a standard item sent as an extension item", { type: "item", item: { type: "message", content: [] } }],
  ["an extension item with a numeric id", { type: "item", item: { type: "acme:x", id: 5 } }],
  ["encrypted content that is not a string", { type: "reasoning_encrypted", encryptedContent: 5 }],
  ["a compaction without content", { type: "compaction" }],
  ["usage that is not an object", { type: "usage", usage: "many" }],
  ["an incomplete part without a reason", { type: "incomplete" }],
];

describe("S8: malformed model parts", () => {
  for (const [name, part] of malformed) {
    it(`S8: ${name} ends in error (invalid_model_part) then response.failed, with nothing malformed sent`, async () => {
      const events = await runEvents([{ type: "text", delta: "ok " }, part as ModelPart]);
      expect(types(events).slice(-2)).toEqual(["error", "response.failed"]);
      expect(events.at(-2)).toMatchObject({ error: { code: "invalid_model_part" } });
      expect(terminalOf(events).status).toBe("failed");
      // Every delta on the wire is a string (the event schemas require it).
      for (const event of events) {
        if ("delta" in event) expect(typeof event.delta).toBe("string");
      }
      // The text that came before the bad part is kept, in a completed item (S6).
      expect(terminalOf(events).output).toMatchObject([{ type: "message", status: "completed" }]);
    });
  }

  it("well-formed parts of every kind still pass", async () => {
    const events = await runEvents([
      { type: "reasoning_summary", delta: "thinking", summaryIndex: 0 },
      { type: "reasoning_encrypted", encryptedContent: "opaque" },
      { type: "phase", phase: "final_answer" },
      { type: "text", delta: "hi" },
      {
        type: "annotation",
        annotation: { type: "url_citation", url: "https://x", start_index: 0, end_index: 2, title: "x" },
      },
      { type: "item", item: { type: "acme:note", text: "n" } },
      { type: "usage", usage: { input_tokens: 3 } },
    ]);
    expect(terminalOf(events).status).toBe("completed");
  });
});
