/**
 * The idle engine that response-stream.ts keeps between streams (so that a full garbage collection with
 * no stream alive does not drop the engine's hidden classes and its optimised code), and the copies of
 * each type's first event that events.ts keeps for the same reason, must hold nothing of the streams
 * before them: a stream that ended, however it ended, is collected with its response and its events.
 */

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { ResponseStream } from "../../src/streaming/index.js";
import { Events, messageItem, sseResponse, toSSE } from "./fixtures.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Collects until every reference is cleared (or gives up after a few rounds, leaving the test to fail). */
async function collected(refs: Array<WeakRef<object>>): Promise<boolean> {
  for (let round = 0; round < 10; round++) {
    // WeakRefs hold their targets until the current job ends: let it end before each collection.
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
    if (refs.every((ref) => ref.deref() === undefined)) return true;
  }
  return false;
}

function body(text: string): string {
  return toSSE(
    new Events()
      .created()
      .message(0, [text])
      .completed([messageItem("msg_0", text)]).list,
  );
}

describe("the idle engine kept between streams", () => {
  it("keeps no stream that completed, nor its response, nor its events (only emptied copies of them)", async () => {
    const refs: Array<WeakRef<object>> = [];
    await (async () => {
      for (let i = 0; i < 3; i++) {
        const stream = ResponseStream.fromSSEResponse(sseResponse(body(`reply ${i}`)));
        stream.on("event", (event) => refs.push(new WeakRef(event)));
        const final = await stream.finalResponse();
        expect(final.output_text).toBe(`reply ${i}`);
        refs.push(new WeakRef(stream), new WeakRef(final));
      }
    })();
    expect(await collected(refs)).toBe(true);
  });

  it("keeps no stream that was aborted or cut, nor its partial response", async () => {
    const refs: Array<WeakRef<object>> = [];
    await (async () => {
      const aborted = ResponseStream.fromSSEResponse(sseResponse(body("never read")));
      aborted.abort();
      await aborted.finalResponse().catch(() => undefined);
      const full = body("cut short");
      const cut = ResponseStream.fromSSEResponse(sseResponse(full.slice(0, full.length / 2)));
      const error = await cut.finalResponse().then(
        () => null,
        (failure: unknown) => failure as object,
      );
      expect(error).not.toBeNull();
      refs.push(new WeakRef(aborted), new WeakRef(cut), new WeakRef(error as object));
    })();
    expect(await collected(refs)).toBe(true);
  });
});
