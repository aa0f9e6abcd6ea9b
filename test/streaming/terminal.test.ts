/**
 * What follows a terminal event on a byte stream (docs/rules.md, "Observed in the wild": the terminal event, not
 * `[DONE]`, completes a response). A server that keeps the connection open after it must not keep
 * finalResponse() or a for-await loop waiting, and a failure after it loses nothing.
 */
import { describe, expect, it } from "vitest";
import { ProtocolError, ResponseStreamError } from "../../src/errors.js";
import { DRAIN_GRACE_MS, DRAIN_MAX_BYTES } from "../../src/streaming/drain.js";
import { ResponseStream } from "../../src/streaming/response-stream.js";
import { until } from "../support/until.js";
import { Events, type Loose, messageItem, toSSE } from "./fixtures.js";

const encoder = new TextEncoder();

function helloStream(): Loose[] {
  return new Events()
    .created()
    .message(0, ["Hel", "lo"])
    .completed([messageItem("msg_0", "Hello")]).list;
}

/**
 * A byte stream that delivers `text` and then stays open (no `[DONE]`, no end) until cancelled; `then`
 * is delivered `afterMs` later if given. Records whether and why it was cancelled.
 */
function openAfter(text: string, then?: { text: string; afterMs: number }) {
  const state: { cancelled: boolean } = { cancelled: false };
  let step = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      step += 1;
      if (step === 1) {
        controller.enqueue(encoder.encode(text));
        return;
      }
      if (step === 2 && then) {
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            if (!state.cancelled) controller.enqueue(encoder.encode(then.text));
            resolve();
          }, then.afterMs),
        );
      }
      // Silence: a pending pull that only cancel() ends.
      return new Promise<void>(() => undefined);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

const lateDelta: Loose = {
  type: "response.output_text.delta",
  sequence_number: 50,
  item_id: "msg_0",
  output_index: 0,
  content_index: 0,
  delta: " late",
};

describe("S5: after the terminal event of a byte stream", () => {
  it("finalResponse() resolves at the terminal event although the body stays open", async () => {
    const { stream: body, state } = openAfter(toSSE(helloStream(), { done: false }));
    const stream = ResponseStream.fromReadableStream(body, { terminalGraceMs: 5_000 });
    const started = Date.now();
    const final = await stream.finalResponse();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(final.status).toBe("completed");
    expect(await stream.finalText()).toBe("Hello");
    // Still draining within the grace period, then closed from this side.
    expect(state.cancelled).toBe(false);
    stream.abort(); // the test's own cleanup: nothing to wait 5 s for
    expect(state.cancelled).toBe(true);
    expect(await stream.finalResponse()).toBe(final); // an abort after completion changes nothing
  });

  it("a for-await loop ends once the grace period passes, and the source is cancelled", async () => {
    const { stream: body, state } = openAfter(toSSE(helloStream(), { done: false }));
    const stream = ResponseStream.fromReadableStream(body, { terminalGraceMs: 50 });
    const types: string[] = [];
    const started = Date.now();
    for await (const event of stream) types.push(event.type);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(types.at(-1)).toBe("response.completed");
    expect(state.cancelled).toBe(true);
    expect(stream.violations).toEqual([]);
  });

  it("events arriving within the grace period are still checked (S5) and change nothing", async () => {
    const { stream: body, state } = openAfter(toSSE(helloStream(), { done: false }), {
      text: toSSE([lateDelta], { done: false }),
      afterMs: 20,
    });
    const stream = ResponseStream.fromReadableStream(body, { terminalGraceMs: 300 });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.slice(-2)).toEqual(["response.completed", "response.output_text.delta"]);
    expect(stream.violations.map((v) => v.rule)).toEqual(["S5"]);
    expect(await stream.finalText()).toBe("Hello");
    expect(state.cancelled).toBe(true);
  });

  it("strict mode settles when the grace period ends, so a late event still fails (S5)", async () => {
    const quiet = openAfter(toSSE(helloStream(), { done: false }));
    const ok = ResponseStream.fromReadableStream(quiet.stream, { strict: true, terminalGraceMs: 50 });
    expect((await ok.finalResponse()).status).toBe("completed");
    expect(quiet.state.cancelled).toBe(true);

    const late = openAfter(toSSE(helloStream(), { done: false }), {
      text: toSSE([lateDelta], { done: false }),
      afterMs: 10,
    });
    const strict = ResponseStream.fromReadableStream(late.stream, { strict: true, terminalGraceMs: 2_000 });
    const error = await strict.finalResponse().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).rule).toBe("S5");
    expect(late.state.cancelled).toBe(true);
  });

  it("leaving a loop after the terminal event (before [DONE]) completes the response, even in strict mode", async () => {
    const { stream: body, state } = openAfter(toSSE(helloStream(), { done: false }));
    const stream = ResponseStream.fromReadableStream(body, { strict: true, terminalGraceMs: 5_000 });
    for await (const event of stream) if (event.type === "response.completed") break;
    expect((await stream.finalResponse()).status).toBe("completed");
    expect(state.cancelled).toBe(true);
  });

  it("a read error after the terminal event ends an iteration quietly, even a typed one", async () => {
    // The client's transport reports a dropped connection as a typed ResponseStreamError.
    const drop = new ResponseStreamError("The stream was interrupted: connection lost.", {
      kind: "interrupted",
      partialResponse: null,
    });
    let step = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        step += 1;
        if (step === 1) controller.enqueue(encoder.encode(toSSE(helloStream(), { done: false })));
        else controller.error(drop);
      },
    });
    const stream = ResponseStream.fromReadableStream(body);
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe("response.completed");
    expect(await stream.finalText()).toBe("Hello");
  });
});

/**
 * A byte stream that delivers `text`, then `tail` pieces (each on its own pull) and ends; records the
 * pulls that reached the end and whether it was cancelled.
 */
function endsAfter(text: string, tail: string[]) {
  const state = { cancelled: false, ended: false };
  const pieces = [text, ...tail];
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pieces.shift();
      if (next === undefined) {
        state.ended = true;
        controller.close();
      } else controller.enqueue(encoder.encode(next));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe("S3: after [DONE] on a byte stream, the rest of the body is drained, bounded", () => {
  it("a body that ends after [DONE] is read to its end, not cancelled (so fetch can reuse the connection)", async () => {
    const { stream: body, state } = endsAfter(toSSE(helloStream()), ["\n", ": bye\n"]);
    const stream = ResponseStream.fromReadableStream(body);
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe("response.completed");
    await until(() => state.ended, "the body read to its end after [DONE]");
    expect(state.cancelled).toBe(false);
    expect(await stream.finalText()).toBe("Hello");
  });

  it("a body held open after [DONE] does not hold the consumer, and is cancelled after the grace", async () => {
    const { stream: body, state } = openAfter(toSSE(helloStream()));
    const stream = ResponseStream.fromReadableStream(body, { terminalGraceMs: 60_000 });
    const started = Date.now();
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe("response.completed");
    expect((await stream.finalResponse()).status).toBe("completed");
    // The loop ended at [DONE], before the drain's grace ran out (it cancels the body when it does).
    expect(state.cancelled).toBe(false);
    await until(() => state.cancelled, "the held body cancelled after the grace");
    expect(Date.now() - started).toBeGreaterThanOrEqual(DRAIN_GRACE_MS - 5);
  });

  it("more than DRAIN_MAX_BYTES after [DONE] cancels the body without reading the rest", async () => {
    const junk = ": x\n".repeat(DRAIN_MAX_BYTES / 4 + 1);
    const { stream: body, state } = endsAfter(toSSE(helloStream()), [junk, junk, junk]);
    const stream = ResponseStream.fromReadableStream(body);
    expect(await stream.finalText()).toBe("Hello");
    // Past the bound it is cancelled with junk still unread, where without one it would be read to its end.
    await until(() => state.cancelled, "the body cancelled past DRAIN_MAX_BYTES");
    expect(state.ended).toBe(false);
    expect(stream.violations).toEqual([]);
  });

  it("what follows [DONE] is not parsed: junk there is neither an error nor a violation", async () => {
    const { stream: body, state } = endsAfter(toSSE(helloStream()), ["data: {not json\n\n"]);
    const stream = ResponseStream.fromReadableStream(body, { strict: true });
    const final = await stream.finalResponse();
    expect(final.status).toBe("completed");
    await until(() => state.ended, "the body read to its end after [DONE]");
    expect(stream.violations).toEqual([]);
  });
});
