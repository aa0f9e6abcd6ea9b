import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APIConnectionTimeoutError,
  APIUserAbortError,
  OpenResponsesError,
  ProtocolError,
  ResponseStreamError,
} from "../../src/errors.js";
import type { ResponseStreamEvent } from "../../src/streaming/events.js";
import { ResponseStream } from "../../src/streaming/response-stream.js";
import type { SSEMessage } from "../../src/streaming/sse-decoder.js";
import { rejection } from "../support/thrown.js";
import {
  chunkStream,
  Events,
  everyEventStream,
  type Loose,
  messageItem,
  responseResource,
  sseResponse,
  toSSE,
} from "./fixtures.js";

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function helloStream(): Loose[] {
  return new Events()
    .created()
    .message(0, ["Hel", "lo"])
    .completed([messageItem("msg_0", "Hello")]).list;
}

describe("ResponseStream over SSE bytes", () => {
  it("iterates every standard event type, typed, and resolves the final response", async () => {
    const { events, output } = everyEventStream();
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(events)));
    const seen = await collect(stream);
    expect(seen).toEqual(events);
    const final = await stream.finalResponse();
    expect(final.output).toEqual(output);
    expect(final.status).toBe("completed");
    expect(stream.violations).toEqual([]);
    expect(stream.differences).toEqual([]);
  });

  it("finalResponse() drains the stream and fires typed listeners", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(helloStream())));
    const deltas: string[] = [];
    const all: string[] = [];
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    stream.on("event", (event) => all.push(event.type));
    const final = await stream.finalResponse();
    expect(deltas).toEqual(["Hel", "lo"]);
    expect(all).toHaveLength(helloStream().length);
    expect(stream.eventCount).toBe(helloStream().length);
    expect(await stream.finalText()).toBe("Hello");
    expect(stream.text).toBe("Hello");
    expect(final.output).toEqual([messageItem("msg_0", "Hello")]);
  });

  it(".off removes a listener; extension listeners receive extension events", async () => {
    const events = new Events()
      .created()
      .add("acme:trace_event", { detail: 7 })
      .message(0, ["a", "b"])
      .completed([]).list;
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(events)));
    const deltas: string[] = [];
    const traces: unknown[] = [];
    const listener = (event: { delta: string }) => {
      deltas.push(event.delta);
      stream.off("response.output_text.delta", listener);
    };
    stream.on("response.output_text.delta", listener);
    stream.on("acme:trace_event", (event) => traces.push(event.detail));
    await stream.finalResponse();
    expect(deltas).toEqual(["a"]);
    expect(traces).toEqual([7]);
  });

  it("listeners on the wild reasoning_text name fire for the normalised event too", async () => {
    const events = new Events()
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
      .add("response.reasoning_text.delta", { item_id: "r", output_index: 0, content_index: 0, delta: "hm" })
      .add("response.reasoning_text.done", {
        item_id: "r",
        output_index: 0,
        content_index: 0,
        text: "hm",
      }).list;
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(events)));
    const wild: string[] = [];
    const spec: string[] = [];
    stream.on("response.reasoning_text.delta", (event) => wild.push(String(event.delta)));
    stream.on("response.reasoning.delta", (event) => spec.push(event.delta));
    await rejection(stream.finalResponse()); // no terminal event
    expect(wild).toEqual(["hm"]);
    expect(spec).toEqual(["hm"]);
    expect((stream.snapshot.output[0] as Loose).content).toEqual([{ type: "reasoning_text", text: "hm" }]);
  });

  it("handles the wire variations of the wild: CRLF, comments, no event: lines, no [DONE]", async () => {
    const events = helloStream();
    for (const text of [
      toSSE(events, { eol: "\r\n", comments: true }),
      toSSE(events, { eol: "\r" }),
      toSSE(events, { eventLines: false }),
      toSSE(events, { done: false }),
    ]) {
      const stream = ResponseStream.fromSSEResponse(sseResponse(text));
      expect(await collect(stream)).toEqual(events);
      expect((await stream.finalResponse()).status).toBe("completed");
    }
  });

  it("passes extra fields and un-prefixed hosted-tool events and items through (X2, X4)", async () => {
    const call = { type: "web_search_call", id: "ws_1", status: "completed", action: { query: "q" } };
    const e = new Events()
      .created()
      .add("response.output_item.added", { output_index: 0, item: { ...call, status: "in_progress" } })
      .add("response.web_search_call.searching", { output_index: 0, item_id: "ws_1" })
      .add("response.code_interpreter_call_code.delta", { output_index: 0, item_id: "ws_1", delta: "x" })
      .add("response.output_item.done", { output_index: 0, item: call })
      .message(1, ["ok"]);
    for (const event of e.list) {
      if (event.type === "response.output_text.delta")
        Object.assign(event, { obfuscation: "pad", logprobs: [] });
    }
    e.add("response.completed", {
      response: responseResource("completed", [], { completed_at: 5, extra_field: 1 }),
    });
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(e.list)));
    const seen = await collect(stream);
    expect(seen.map((x) => x.type)).toContain("response.web_search_call.searching");
    expect(seen.find((x) => x.type === "response.output_text.delta")).toMatchObject({ obfuscation: "pad" });
    const final = await stream.finalResponse();
    expect(final.output[0]).toEqual(call);
    expect((final as unknown as Loose).extra_field).toBe(1);
    expect(stream.violations.map((v) => v.rule)).toEqual(["X1", "X1", "X1"]);
  });

  it("textDeltas() yields the output_text deltas", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(helloStream())));
    const deltas: string[] = [];
    for await (const delta of stream.textDeltas()) deltas.push(delta);
    expect(deltas).toEqual(["Hel", "lo"]);
  });

  it("is consumed once: a second consumer gets a clear error", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(helloStream())));
    const final = stream.finalResponse();
    expect(() => stream[Symbol.asyncIterator]()).toThrow(OpenResponsesError);
    expect(() => stream.toReadableStream()).toThrow(/already being consumed/);
    await final;
    // finalResponse() after iteration started returns the same outcome.
    expect(await stream.finalResponse()).toBe(await final);
  });

  it("finalResponse() after a for-await loop resolves without re-reading", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(helloStream())));
    let count = 0;
    for await (const _ of stream) count += 1;
    expect(count).toBe(helloStream().length);
    expect((await stream.finalResponse()).status).toBe("completed");
  });

  it("S8: an error event rejects finalResponse() with the error and the partial response", async () => {
    const events = new Events()
      .created()
      .message(0, ["partial"])
      .add("error", { error: { type: "server_error", code: "overloaded", message: "Busy", param: null } })
      .add("response.failed", {
        response: responseResource("failed", [], { error: { code: "overloaded", message: "Busy" } }),
      }).list;
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(events)));
    // Iteration delivers every event, the error and response.failed included, then throws the failure.
    const seen: string[] = [];
    const thrown = await rejection(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
    );
    expect(seen.slice(-2)).toEqual(["error", "response.failed"]);
    const error = (await rejection(stream.finalResponse())) as ResponseStreamError;
    expect(thrown).toBe(error);
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect(error.kind).toBe("error_event");
    expect(error.code).toBe("overloaded");
    expect(error.type).toBe("server_error");
    expect(error.message).toBe("Busy");
    expect(error.partialResponse?.output).toEqual([messageItem("msg_0", "partial")]);
  });

  it("response.failed rejects with kind response_failed and the response's error", async () => {
    const events = new Events()
      .created()
      .message(0, ["half"])
      .add("response.failed", {
        response: responseResource("failed", [], {
          error: { code: "model_error", message: "The model crashed" },
        }),
      }).list;
    const error = (await rejection(
      ResponseStream.fromSSEResponse(sseResponse(toSSE(events))).finalResponse(),
    )) as ResponseStreamError;
    expect(error.kind).toBe("response_failed");
    expect(error.code).toBe("model_error");
    expect(error.message).toBe("The model crashed");
    expect(error.partialResponse?.status).toBe("failed");
    expect(error.partialResponse?.output).toEqual([messageItem("msg_0", "half")]);
  });

  it("response.incomplete resolves (the response is usable) with status incomplete", async () => {
    const events = new Events()
      .created()
      .message(0, ["cut"], "msg_0", "incomplete")
      .add("response.incomplete", { response: responseResource("incomplete") }).list;
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(events)));
    const final = await stream.finalResponse();
    expect(final.status).toBe("incomplete");
    expect(stream.violations).toEqual([]);
  });

  it("a stream cut before a terminal event rejects as interrupted, keeping the text", async () => {
    const events = new Events().created().message(0, ["kept ", "text"]).list;
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(events, { done: false })));
    const seen: string[] = [];
    let thrown: unknown;
    try {
      for await (const event of stream) seen.push(event.type);
    } catch (error) {
      thrown = error;
    }
    expect(seen).toHaveLength(events.length);
    expect(thrown).toBeInstanceOf(ResponseStreamError);
    expect((thrown as ResponseStreamError).kind).toBe("interrupted");
    expect((thrown as ResponseStreamError).partialResponse?.output).toEqual([
      messageItem("msg_0", "kept text"),
    ]);
    expect(await rejection(stream.finalResponse())).toBe(thrown);
  });

  it("[DONE] without a terminal event is interrupted too", async () => {
    const events = new Events().created().message(0, ["x"]).list;
    const error = (await rejection(
      ResponseStream.fromSSEResponse(sseResponse(toSSE(events))).finalResponse(),
    )) as ResponseStreamError;
    expect(error.kind).toBe("interrupted");
  });

  it("a body cut in the middle of an event is interrupted, not malformed", async () => {
    const text = toSSE(helloStream(), { done: false });
    const cut = text.slice(0, text.indexOf('"Hel"') + 3);
    const error = (await rejection(
      ResponseStream.fromSSEResponse(sseResponse(cut)).finalResponse(),
    )) as ResponseStreamError;
    expect(error.kind).toBe("interrupted");
    expect(error.partialResponse?.output).toHaveLength(1);
  });

  it("bad JSON rejects as malformed with the partial response and cancels the request", async () => {
    const good = toSSE(new Events().created().message(0, ["before"]).list.slice(0, 4), { done: false });
    let aborted: unknown = "not called";
    const stream = ResponseStream.fromSSEResponse(
      sseResponse(`${good}data: {not json}\n\n${toSSE(helloStream())}`),
      {
        abort: (reason) => {
          aborted = reason;
        },
      },
    );
    const error = (await rejection(stream.finalResponse())) as ResponseStreamError;
    expect(error.kind).toBe("malformed");
    expect(error.partialResponse?.output[0]).toMatchObject({ content: [{ text: "before" }] });
    expect(aborted).toBe(error);
  });

  it("an event over maxEventSize rejects as malformed", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(helloStream())), { maxEventSize: 100 });
    const error = (await rejection(stream.finalResponse())) as ResponseStreamError;
    expect(error.kind).toBe("malformed");
    expect(error.message).toMatch(/size limit/);
  });

  it("strict mode throws ProtocolError naming the rule at the offending event; lenient records it", async () => {
    const events = helloStream();
    events.splice(2, 1); // drop content_part.added → S7
    const lenient = ResponseStream.fromSSEResponse(sseResponse(toSSE(events)));
    await lenient.finalResponse();
    expect(lenient.violations.map((v) => v.rule)).toContain("S7");

    let aborted = false;
    const strict = ResponseStream.fromSSEResponse(sseResponse(toSSE(events)), {
      strict: true,
      abort: () => {
        aborted = true;
      },
    });
    const seen: string[] = [];
    let thrown: unknown;
    try {
      for await (const event of strict) seen.push(event.type);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect((thrown as ProtocolError).rule).toBe("S7");
    expect((thrown as ProtocolError).eventType).toBe("response.output_text.delta");
    expect(seen).toEqual(["response.created", "response.output_item.added"]);
    expect(aborted).toBe(true);
    expect(await rejection(strict.finalResponse())).toBe(thrown);
  });

  it("S5: events after the terminal event are reported and do not change the final response", async () => {
    const events = helloStream();
    events.push({
      type: "response.output_text.delta",
      sequence_number: 50,
      item_id: "msg_0",
      output_index: 0,
      content_index: 0,
      delta: " late",
    });
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(events)));
    const final = await stream.finalResponse();
    expect(await stream.finalText()).toBe("Hello");
    expect(final.output).toEqual([messageItem("msg_0", "Hello")]);
    expect(stream.violations.map((v) => v.rule)).toEqual(["S5"]);
  });

  it("S2: an event: name that differs from type is recorded, in stream order", async () => {
    const text = toSSE(helloStream()).replace(
      "event: response.output_text.delta",
      "event: response.output_text.done",
    );
    const stream = ResponseStream.fromSSEResponse(sseResponse(text));
    await stream.finalResponse();
    expect(stream.violations).toEqual([
      expect.objectContaining({ rule: "S2", eventType: "response.output_text.delta", sequenceNumber: 3 }),
    ]);
  });

  it("exposes requestId (from x-request-id or the option) and the underlying Response", async () => {
    const response = sseResponse(toSSE(helloStream()), { "x-request-id": "req_123" });
    const stream = ResponseStream.fromSSEResponse(response);
    expect(stream.requestId).toBe("req_123");
    expect(stream.response).toBe(response);
    const explicit = ResponseStream.fromSSEResponse(sseResponse(""), { requestId: "req_x" });
    expect(explicit.requestId).toBe("req_x");
    await rejection(explicit.finalResponse());
  });

  it("abort() ends a byte stream that never answers, and rejects with APIUserAbortError", async () => {
    const silent = new ReadableStream<Uint8Array>({ pull: () => new Promise<void>(() => undefined) });
    const stream = ResponseStream.fromReadableStream(silent);
    const final = stream.finalResponse();
    stream.abort();
    expect(await rejection(final)).toBeInstanceOf(APIUserAbortError);
  });

  it("a read error from the transport that is already typed (e.g. a timeout) is passed on unchanged", async () => {
    const timeout = new APIConnectionTimeoutError("Request timed out.");
    let sent = false;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) {
          controller.error(timeout);
          return;
        }
        sent = true;
        controller.enqueue(new TextEncoder().encode(toSSE(new Events().created().list, { done: false })));
      },
    });
    const stream = ResponseStream.fromReadableStream(failing);
    expect(await rejection(stream.finalResponse())).toBe(timeout);
    expect(stream.snapshot.id).toBe("resp_1"); // what arrived is still there
  });

  it("any other read error becomes an interrupted ResponseStreamError with the cause", async () => {
    const cause = new TypeError("terminated");
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(cause);
      },
    });
    const error = (await rejection(
      ResponseStream.fromReadableStream(failing).finalResponse(),
    )) as ResponseStreamError;
    expect(error.kind).toBe("interrupted");
    expect(error.cause).toBe(cause);
    expect(error.message).toContain("terminated");
  });

  it("a Response without a body rejects as interrupted", async () => {
    const error = (await rejection(
      ResponseStream.fromSSEResponse(new Response(null)).finalResponse(),
    )) as ResponseStreamError;
    expect(error.kind).toBe("interrupted");
  });

  it("a listener that throws fails the stream with its own error", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(helloStream())));
    const boom = new Error("listener bug");
    stream.on("response.output_text.delta", () => {
      throw boom;
    });
    expect(await rejection(stream.finalResponse())).toBe(boom);
  });

  it("property: any split of the bytes into chunks yields the same events and final text", async () => {
    const { events } = everyEventStream();
    const bytes = new TextEncoder().encode(toSSE(events, { eol: "\r\n", comments: true }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let last = 0;
        for (const point of points) {
          chunks.push(bytes.slice(last, point));
          last = point;
        }
        chunks.push(bytes.slice(last));
        const stream = ResponseStream.fromReadableStream(chunkStream(chunks));
        expect(await collect(stream)).toEqual(events);
        expect(await stream.finalText()).toBe("Héllo 世界 🎉");
      }),
      { numRuns: 150 },
    );
  });
});

describe("toReadableStream / fromReadableStream", () => {
  it("round-trips every event losslessly, including extension and normalised events", async () => {
    const { events } = everyEventStream();
    const withExtras = [
      ...events.slice(0, 3),
      { type: "acme:trace_event", sequence_number: 2.5, nested: { a: [1, "é"] } },
      ...events.slice(3),
    ];
    const source = ResponseStream.fromSSEResponse(sseResponse(toSSE(withExtras)));
    const passed = ResponseStream.fromReadableStream(source.toReadableStream());
    expect(await collect(passed)).toEqual(withExtras);
    expect(await passed.finalResponse()).toEqual(await source.finalResponse());
  });

  it("passes an interruption on as an error on the other side", async () => {
    const source = ResponseStream.fromSSEResponse(
      sseResponse(toSSE(new Events().created().list, { done: false })),
    );
    const passed = ResponseStream.fromReadableStream(source.toReadableStream());
    const error = (await rejection(passed.finalResponse())) as ResponseStreamError;
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect(error.kind).toBe("interrupted");
  });
});

describe("fromMessages (WebSocket-style sources)", () => {
  it("ends the turn at the terminal event and returns the source iterator", async () => {
    let returned = false;
    const messages: SSEMessage[] = [
      ...helloStream().map((event) => ({ data: JSON.stringify(event) })),
      { data: JSON.stringify({ type: "response.created", sequence_number: 100 }) }, // the next turn
    ];
    const source: AsyncIterable<SSEMessage> = {
      [Symbol.asyncIterator]() {
        let index = 0;
        return {
          next: async () =>
            index < messages.length
              ? { done: false, value: messages[index++]! }
              : { done: true, value: undefined },
          return: async () => {
            returned = true;
            return { done: true, value: undefined };
          },
        };
      },
    };
    const stream = ResponseStream.fromMessages(source);
    const seen = await collect(stream);
    expect(seen).toEqual(helloStream());
    expect(returned).toBe(true);
    expect(stream.violations).toEqual([]);
    expect(await stream.finalText()).toBe("Hello");
  });

  it("abort() ends a source that never answers and rejects with APIUserAbortError", async () => {
    let abortedWith: unknown;
    const source: AsyncIterable<SSEMessage> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<SSEMessage>>(() => undefined),
      }),
    };
    const stream = ResponseStream.fromMessages(source, { abort: (reason) => (abortedWith = reason) });
    const final = stream.finalResponse();
    stream.abort("user");
    expect(await rejection(final)).toBeInstanceOf(APIUserAbortError);
    expect(abortedWith).toBe("user");
  });
});

describe("ResponseStream over a real loopback HTTP server", () => {
  let server: Server;
  let base: string;
  let closedEarly = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_http" });
      if (req.url === "/hello") {
        res.end(toSSE(helloStream(), { eol: "\r\n" }));
      } else if (req.url === "/reset") {
        res.write(
          toSSE(new Events().created().message(0, ["before reset"]).list.slice(0, 5), { done: false }),
        );
        setTimeout(() => res.socket?.destroy(), 20);
      } else if (req.url === "/reset-after-terminal") {
        res.write(toSSE(helloStream(), { done: false }));
        setTimeout(() => res.socket?.destroy(), 20);
      } else if (req.url === "/endless") {
        const e = new Events().created();
        e.add("response.output_item.added", {
          output_index: 0,
          item: { type: "message", id: "m", status: "in_progress", role: "assistant", content: [] },
        });
        e.add("response.content_part.added", {
          item_id: "m",
          output_index: 0,
          content_index: 0,
          part: { type: "output_text", text: "", annotations: [] },
        });
        res.write(toSSE(e.list, { done: false }));
        let sequence = 3;
        const timer = setInterval(() => {
          const event = {
            type: "response.output_text.delta",
            sequence_number: sequence++,
            item_id: "m",
            output_index: 0,
            content_index: 0,
            delta: "x",
          };
          res.write(toSSE([event], { done: false }));
        }, 5);
        res.on("close", () => {
          clearInterval(timer);
          closedEarly += 1;
        });
        // Bound the loop in time even if the client never cancels.
        setTimeout(() => {
          clearInterval(timer);
          res.end();
        }, 5_000);
      } else {
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("streams a response from fetch, with the request id", async () => {
    const response = await fetch(`${base}/hello`);
    const stream = ResponseStream.fromSSEResponse(response);
    expect(stream.requestId).toBe("req_http");
    expect(await stream.finalText()).toBe("Hello");
  });

  it("a connection reset mid-stream rejects as interrupted with the partial text", async () => {
    const stream = ResponseStream.fromSSEResponse(await fetch(`${base}/reset`));
    const error = (await rejection(stream.finalResponse())) as ResponseStreamError;
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect(error.kind).toBe("interrupted");
    expect((error.partialResponse!.output[0] as Loose).content).toEqual([
      { type: "output_text", text: "before reset", annotations: [] },
    ]);
  });

  it("a connection dropped after the terminal event (no [DONE]) loses nothing", async () => {
    const stream = ResponseStream.fromSSEResponse(await fetch(`${base}/reset-after-terminal`));
    expect(await stream.finalText()).toBe("Hello");
    expect(stream.violations).toEqual([]);
  });

  it("break in for-await cancels the request (abort is called and the server sees the close)", async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/endless`, { signal: controller.signal });
    let abortCalls = 0;
    const stream = ResponseStream.fromSSEResponse(response, {
      abort: (reason) => {
        abortCalls += 1;
        controller.abort(reason);
      },
    });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta" && ++deltas === 3) break;
    }
    expect(abortCalls).toBe(1);
    expect(await rejection(stream.finalResponse())).toBeInstanceOf(APIUserAbortError);
    const deadline = Date.now() + 3_000;
    while (closedEarly === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(closedEarly).toBe(1);
  });
});
