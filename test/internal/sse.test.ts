import { describe, expect, it } from "vitest";
import { formatSSE, SSE_DONE } from "../../src/internal/sse.js";
import { SSEDecoder } from "../../src/streaming/sse-decoder.js";

describe("SSE framing (S1–S3)", () => {
  it("frames one event as an event line, one data line of JSON and a blank line", () => {
    const event = { type: "response.output_text.delta", delta: "a\nb", sequence_number: 3 };
    expect(formatSSE(event)).toBe(`event: response.output_text.delta\ndata: ${JSON.stringify(event)}\n\n`);
    expect(formatSSE(event).split("\n")).toHaveLength(4); // the newline in the delta is escaped in JSON
  });
  it("ends with data: [DONE]", () => {
    expect(SSE_DONE).toBe("data: [DONE]\n\n");
  });
  it("reads back through the client's decoder unchanged", () => {
    const event = { type: "response.completed", response: { id: "r", text: "ü 🎉" } };
    const decoder = new SSEDecoder();
    const messages = decoder.push(new TextEncoder().encode(formatSSE(event) + SSE_DONE));
    expect(messages.map((m) => [m.event, m.data])).toEqual([
      ["response.completed", JSON.stringify(event)],
      [undefined, "[DONE]"],
    ]);
  });
});
