/**
 * The engine hands a turn's events out in batches of the events that were ready together, and the SSE
 * encoder writes one chunk per batch: the same bytes as one event per chunk, in far fewer writes, with
 * nothing held back that was ready and nothing produced ahead of the reader beyond one batch.
 */

import { describe, expect, it } from "vitest";
import { TurnEvents } from "../../../src/server/kit/event-batches.js";
import { MAX_BATCH_EVENTS } from "../../../src/server/kit/model-loop.js";
import { encodeSSE } from "../../../src/server/kit/sse.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";
import type { StreamingEvent } from "../../../src/spec/index.js";
import { testEngine } from "./helpers.js";

const deltas = (count: number): ModelPart[] =>
  Array.from({ length: count }, (_, i) => ({ type: "text", delta: `w${i} ` }));

async function run(model: Parameters<typeof testEngine>[0]) {
  const result = await testEngine(model).run({ model: "m", input: "hi" });
  if (!result.ok) throw new Error(result.error.error.message);
  return result.events;
}

async function chunks(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const decoder = new TextDecoder();
  const out: string[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(decoder.decode(value));
  }
}

const eventCount = (text: string) => text.split("\n\n").length - 1;

describe("event batches", () => {
  it("a model that never waits streams in batches of at most MAX_BATCH_EVENTS, with the same bytes as one event per chunk", async () => {
    const parts = deltas(1000);
    const batched = await chunks(encodeSSE(await run(() => parts[Symbol.iterator]())));
    // The same events one by one, through the generic path (any async iterable).
    const events: StreamingEvent[] = [];
    for await (const event of await run(() => parts[Symbol.iterator]())) events.push(event);
    const single = await chunks(
      encodeSSE(
        (async function* () {
          yield* events;
        })(),
      ),
    );
    expect(batched.join("")).toBe(single.join(""));
    expect(single.length).toBe(events.length + 1);
    expect(batched.length).toBeLessThan(events.length / 10);
    // A batch takes no new part once it holds MAX_BATCH_EVENTS, but the part that brings it there adds
    // all its events: here at most the closing ones (text, part and item done, completed), and the
    // last chunk also carries [DONE]. Where the boundaries fall depends on the 8 ms yield, so on load.
    const types = events.map((event) => event.type);
    const closing = events.length - 1 - types.lastIndexOf("response.output_text.delta");
    expect(closing).toBe(4);
    for (const chunk of batched) {
      expect(eventCount(chunk)).toBeLessThanOrEqual(MAX_BATCH_EVENTS - 1 + closing + 1);
    }
    expect(batched.at(-1)).toMatch(/event: response\.completed\n.*\n\ndata: \[DONE\]\n\n$/);
  });

  it("an async model's parts that arrive in the same turn of the event loop share a chunk", async () => {
    async function* model() {
      for (const part of deltas(20)) yield part;
    }
    const out = await chunks(encodeSSE(await run(model)));
    // created, in_progress, item and part added, 20 deltas, the done events, completed, [DONE].
    expect(out.length).toBeLessThanOrEqual(2);
    expect(eventCount(out.join(""))).toBe(4 + 20 + 4 + 1);
  });

  it("events that are ready leave at once: an async model waiting for its next part does not hold them back", async () => {
    let release: () => void = () => {};
    const waiting = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* model() {
      yield { type: "text" as const, delta: "first" };
      await waiting;
      yield { type: "text" as const, delta: "second" };
    }
    const reader = encodeSSE(await run(model)).getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (let i = 0; i < 10 && !text.includes('"delta":"first"'); i++) {
      text += decoder.decode((await reader.read()).value);
    }
    expect(text).toContain('"delta":"first"');
    expect(text).not.toContain('"delta":"second"');
    release();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toContain('"delta":"second"');
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("a timer set during a long turn of a model that never waits still runs before the turn ends (8 ms yields)", async () => {
    let parts = 0;
    let firedAt = -1;
    function* model() {
      setTimeout(() => {
        firedAt = parts;
      }, 0);
      // The model stops 10 parts after the timer ran, not at a time: on a loaded machine a 100 ms run
      // could be descheduled past its end between two yields. If the engine never yields, the timer
      // runs only after the turn, which gives up after 5 s.
      const until = performance.now() + 5_000;
      let after = 0;
      while (performance.now() < until && after < 10) {
        parts++;
        if (firedAt >= 0) after++;
        yield { type: "text" as const, delta: "x" };
      }
    }
    await chunks(encodeSSE(await run(model)));
    expect(firedAt).toBeGreaterThan(0);
    expect(firedAt).toBeLessThan(parts);
  });

  it("cancelling the stream while the model waits for its next part aborts the model and closes its generator", async () => {
    let signal: AbortSignal | undefined;
    let closed = false;
    async function* model(request: ModelRequest) {
      signal = request.signal;
      try {
        yield { type: "text" as const, delta: "hello" };
        // A model waiting on its provider, which gives up when told to.
        await new Promise((resolve) => request.signal.addEventListener("abort", resolve, { once: true }));
        yield { type: "text" as const, delta: "never sent" };
      } finally {
        closed = true;
      }
    }
    const reader = encodeSSE(await run(model)).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"delta":"hello"');
    await reader.cancel();
    expect(signal?.aborted).toBe(true);
    for (let i = 0; i < 50 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toBe(true);
  });

  it("a turn's events iterate one by one; leaving the loop early stops the model; the events are consumed once", async () => {
    let signal: AbortSignal | undefined;
    function* model(request: ModelRequest) {
      signal = request.signal;
      yield* deltas(500);
    }
    const events = await run(model);
    expect(events).toBeInstanceOf(TurnEvents);
    const seen: string[] = [];
    for await (const event of events) {
      seen.push(event.type);
      if (seen.length === 10) break;
    }
    expect(seen.slice(0, 4)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
    ]);
    expect(signal?.aborted).toBe(true);
    expect(() => encodeSSE(events)).toThrow(TypeError);
  });

  it("S4: the sequence numbers of a batched turn count up by one across batches", async () => {
    const events: StreamingEvent[] = [];
    for await (const event of await run(() => deltas(300)[Symbol.iterator]())) events.push(event);
    expect(events.length).toBeGreaterThan(2 * MAX_BATCH_EVENTS);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events.at(-1)?.type).toBe("response.completed");
  });
});
