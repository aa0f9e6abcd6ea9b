/**
 * The engine keeps a copy of the first event of each standard type (events.ts), so that a full garbage
 * collection between streams does not drop the parsed events' hidden classes and the code built on
 * them. The copy is made with JSON.stringify, which recurses: an event nested past the stack's depth,
 * which JSON.parse reads without trouble, must not break the stream. This file runs on its own (a fresh
 * module), so these are the first events of their types the engine sees.
 */

import { describe, expect, it } from "vitest";
import { ResponseStream } from "../../src/streaming/index.js";
import { Events, messageItem, sseResponse } from "./fixtures.js";

describe("the copies of each type's first event", () => {
  it("an event nested past JSON.stringify's depth is read as any other (X4: unknown fields kept)", async () => {
    // Written out by hand: JSON.stringify itself cannot write it.
    const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    const events = new Events()
      .created()
      .message(0, ["deep ", "down"])
      .completed([messageItem("msg_0", "deep down")]).list;
    // Every event carries the deep field, so each type's first event is one the copy cannot be made of.
    const body = events
      .map(
        (event) =>
          `event: ${String(event.type)}\ndata: ${JSON.stringify(event).slice(0, -1)},"x_nested":${deep}}\n\n`,
      )
      .join("");
    let withField = 0;
    const stream = ResponseStream.fromSSEResponse(sseResponse(`${body}data: [DONE]\n\n`));
    stream.on("event", (event) => {
      if (Array.isArray((event as { x_nested?: unknown }).x_nested)) withField += 1;
    });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe("deep down");
    expect(withField).toBe(events.length);
    expect(stream.violations).toEqual([]);
  });
});
