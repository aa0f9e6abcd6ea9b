import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { APIConnectionError, APIUserAbortError, ResponseStreamError } from "../../src/errors.js";
import { ResponseStream } from "../../src/streaming/index.js";
import { Events, messageItem, sseResponse, toSSE } from "./fixtures.js";

// The stream's lifecycle events (connect, end, abort, error), once/off/done(), and a snapshot that is
// exactly at the event being handled, however many events one chunk carried.

function textEvents(deltas: string[]): Events {
  return new Events()
    .created()
    .message(0, deltas)
    .completed([messageItem("msg_0", deltas.join(""))]);
}

describe("a consistent snapshot", () => {
  it("during for await, snapshot/text/eventCount are at the event delivered, with every event in one chunk", async () => {
    const deltas = ["Hel", "lo", " wor", "ld"];
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(textEvents(deltas).list)));
    let seen = "";
    let count = 0;
    for await (const event of stream) {
      count += 1;
      expect(stream.eventCount).toBe(count);
      if (event.type === "response.output_text.delta") {
        seen += event.delta;
        expect(stream.text).toBe(seen);
      }
      if (event.type !== "response.completed") expect(stream.snapshot.status).not.toBe("completed");
      else expect(stream.snapshot.status).toBe("completed");
    }
    expect(seen).toBe("Hello world");
  });

  it("in listeners too, whoever consumes the stream", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(textEvents(["a", "b", "c"]).list)));
    const texts: string[] = [];
    stream.on("response.output_text.delta", () => texts.push(stream.text));
    await stream.finalResponse();
    expect(texts).toEqual(["a", "ab", "abc"]);
  });

  it("a protocol violation later in the chunk is not seen before its event", async () => {
    const events = textEvents(["x", "y"]).list;
    const last = events[events.length - 1]!;
    last.sequence_number = 0; // S4 broken, but only at the last event
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(events)));
    const counts: number[] = [];
    for await (const _event of stream) counts.push(stream.violations.length);
    expect(counts.slice(0, -1).every((n) => n === 0)).toBe(true);
    expect(counts.at(-1)).toBeGreaterThan(0);
  });
});

describe("lifecycle events, once, off, done()", () => {
  it("connect first, then events, then end; once fires once; off removes", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(textEvents(["a", "b"]).list)));
    const log: string[] = [];
    const onDelta = () => log.push("delta(on)");
    stream.on("connect", () => log.push("connect"));
    stream.on("response.output_text.delta", onDelta);
    stream.once("response.output_text.delta", () => log.push("delta(once)"));
    stream.on("end", () => log.push("end"));
    stream.on("error", () => log.push("error"));
    await Promise.resolve(); // connect is told in a microtask
    stream.off("response.output_text.delta", onDelta);
    await stream.done();
    expect(log).toEqual(["connect", "delta(once)", "end"]);
  });

  it("error then end for an error event, response.failed and a cut stream; done() rejects", async () => {
    const cases: Array<[string, string | string[]]> = [
      ["error event", toSSE([...new Events().created().add("error", { message: "boom", code: "x" }).list])],
      [
        "failed",
        toSSE(
          new Events()
            .created()
            .add("response.failed", { response: { id: "r", status: "failed", output: [] } }).list,
        ),
      ],
      ["cut", toSSE(new Events().created().message(0, ["a"]).list, { done: false })],
    ];
    for (const [name, text] of cases) {
      const stream = ResponseStream.fromSSEResponse(sseResponse(text));
      const log: string[] = [];
      stream.on("error", (error) => log.push(`error:${error.constructor.name}`));
      stream.on("abort", () => log.push("abort"));
      stream.on("end", () => log.push("end"));
      await expect(stream.done(), name).rejects.toBeInstanceOf(ResponseStreamError);
      expect(log, name).toEqual(["error:ResponseStreamError", "end"]);
    }
  });

  it("abort fires abort (not error) then end", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(textEvents(["a", "b"]).list)));
    const log: string[] = [];
    stream.on("abort", (error) => log.push(`abort:${error instanceof APIUserAbortError}`));
    stream.on("error", () => log.push("error"));
    stream.on("end", () => log.push("end"));
    stream.once("response.output_text.delta", () => stream.abort());
    await expect(stream.done()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(log).toEqual(["abort:true", "end"]);
  });

  it("a listener added after the end is still told", async () => {
    const stream = ResponseStream.fromSSEResponse(sseResponse(toSSE(textEvents(["a"]).list)));
    await stream.done();
    const told = await new Promise<string>((resolve) => stream.on("end", () => resolve("end")));
    expect(told).toBe("end");
  });

  it("responses.stream(): error and end fire for a transport failure before any stream exists", async () => {
    const client = new OpenResponses({
      baseURL: "http://127.0.0.1:9",
      apiKey: null,
      maxRetries: 0,
      logLevel: "off",
    });
    const log: string[] = [];
    const pending = client.responses
      .stream({ model: "m" })
      .on("connect", () => log.push("connect"))
      .on("error", (error) => log.push(`error:${error instanceof APIConnectionError}`))
      .once("end", () => log.push("end"));
    await expect(pending.done()).rejects.toBeInstanceOf(APIConnectionError);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(["error:true", "end"]);
  });

  it("responses.stream(): connect, events, end against a real stream", async () => {
    const client = new OpenResponses({
      baseURL: "http://127.0.0.1:1",
      apiKey: null,
      logLevel: "off",
      fetch: async () => sseResponse(toSSE(textEvents(["a", "b"]).list)),
    });
    const log: string[] = [];
    await client.responses
      .stream({ model: "m" })
      .on("connect", () => log.push("connect"))
      .on("response.created", () => log.push("created"))
      .on("response.completed", () => log.push("completed"))
      .on("end", () => log.push("end"))
      .done();
    expect(log).toEqual(["connect", "created", "completed", "end"]);
  });
});
