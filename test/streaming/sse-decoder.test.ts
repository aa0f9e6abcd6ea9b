import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ResponseStreamError } from "../../src/errors.js";
import { SSEDecoder, type SSEMessage } from "../../src/streaming/sse-decoder.js";
import { withCpuTime } from "../support/cpu-time.js";

const encoder = new TextEncoder();

function decodeChunks(chunks: Uint8Array[], decoder = new SSEDecoder()): SSEMessage[] {
  const out: SSEMessage[] = [];
  for (const chunk of chunks) out.push(...decoder.push(chunk));
  out.push(...decoder.flush());
  return out;
}

function decodeText(text: string): SSEMessage[] {
  return decodeChunks([encoder.encode(text)]);
}

describe("SSE decoder (WHATWG rules)", () => {
  it("S1: decodes event and data fields with LF endings", () => {
    expect(decodeText('event: response.created\ndata: {"a":1}\n\n')).toEqual([
      { event: "response.created", data: '{"a":1}' },
    ]);
  });

  it("handles CRLF and bare CR line endings the same as LF", () => {
    const lf = decodeText("event: x\ndata: 1\n\ndata: 2\n\n");
    expect(decodeText("event: x\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n")).toEqual(lf);
    expect(decodeText("event: x\rdata: 1\r\rdata: 2\r\r")).toEqual(lf);
  });

  it("treats a CR at the end of one chunk and an LF at the start of the next as one line break", () => {
    const chunks = [encoder.encode("data: 1\r"), encoder.encode("\n\r"), encoder.encode("\ndata: 2\r\n\r\n")];
    expect(decodeChunks(chunks)).toEqual([{ data: "1" }, { data: "2" }]);
  });

  it("joins multi-line data with \\n", () => {
    expect(decodeText("data: a\ndata: b\ndata:c\n\n")).toEqual([{ data: "a\nb\nc" }]);
  });

  it("ignores comment lines (observed in the wild: `: keep-alive`)", () => {
    expect(decodeText(": keep-alive\ndata: 1\n: another\n\n: ping\n\n")).toEqual([{ data: "1" }]);
  });

  it("strips only one leading space after the colon", () => {
    expect(decodeText("data:  two spaces\n\n")).toEqual([{ data: " two spaces" }]);
    expect(decodeText("data:none\n\n")).toEqual([{ data: "none" }]);
  });

  it("accepts a field without a colon (the value is empty)", () => {
    expect(decodeText("data\ndata\n\n")).toEqual([{ data: "\n" }]);
    expect(decodeText("event\ndata: x\n\n")).toEqual([{ data: "x" }]);
  });

  it("reads a chunk of many lines without a colon in linear time (each line searched alone)", async () => {
    // 800,000 such lines before one event, in one chunk: searched on to the next colon in the chunk,
    // as an earlier decoder did, they took seconds of CPU (the square of the chunk); line by line, tens
    // of milliseconds. CPU time, not the wall clock, so the bound holds on a busy machine.
    const text = `${"x\n".repeat(800_000)}data: {}\n\n`;
    const { value, cpuMs } = await withCpuTime(async () => decodeText(text));
    expect(value).toEqual([{ data: "{}" }]);
    expect(cpuMs).toBeLessThan(2_000);
  });

  it("reads lines that only begin like `data:` or `event:` as the fields they are", () => {
    // Cut short at the line break, at the end of the text, or spelt differently: none is a data or event line.
    expect(decodeText("dat\ndata: 1\ndatum: 2\ndaxa: 5\nevent\neven: 3\nevents: 4\nevxnt: 6\n\n")).toEqual([
      { data: "1" },
    ]);
    expect(decodeText("data: 1\nevent:x\nd\ne\n\ndata: 2\nevent")).toEqual([
      { data: "1", event: "x" },
      { data: "2" },
    ]);
    expect(decodeText("Data: 1\nEvent: y\ndata: 2\n\n")).toEqual([{ data: "2" }]);
  });

  it("keeps the id across events and reads retry", () => {
    expect(decodeText("id: 7\nretry: 1500\ndata: a\n\ndata: b\n\nretry: x1\nid\ndata: c\n\n")).toEqual([
      { id: "7", retry: 1500, data: "a" },
      { id: "7", data: "b" },
      { id: "", data: "c" },
    ]);
  });

  it("ignores an id containing NUL and unknown fields", () => {
    expect(decodeText("id: a\0b\nfoo: bar\ndata: z\n\n")).toEqual([{ data: "z" }]);
  });

  it("does not dispatch a block without data", () => {
    expect(decodeText("event: lonely\n\ndata: 1\n\n")).toEqual([{ data: "1" }]);
  });

  it("strips one leading UTF-8 BOM, from bytes and from text", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode("data: 1\n\n")]);
    expect(decodeChunks([bytes.slice(0, 2), bytes.slice(2)])).toEqual([{ data: "1" }]);
    const decoder = new SSEDecoder();
    expect([...decoder.pushText("\ufeffdata: 2\n\n"), ...decoder.flush()]).toEqual([{ data: "2" }]);
  });

  it("reassembles UTF-8 characters split across chunks", () => {
    const bytes = encoder.encode("data: héllo 世界 🎉\n\n");
    const chunks = Array.from(bytes, (b) => new Uint8Array([b]));
    expect(decodeChunks(chunks)).toEqual([{ data: "héllo 世界 🎉" }]);
  });

  it("turns a character cut off at the very end of the body into U+FFFD, as a streaming TextDecoder does", () => {
    const bytes = encoder.encode("data: ok\n\ndata: 世");
    expect(decodeChunks([bytes.slice(0, bytes.length - 1)])).toEqual([{ data: "ok" }, { data: "\ufffd" }]);
  });

  it("dispatches a final event the server did not end with a blank line", () => {
    expect(decodeText("data: 1\n\ndata: 2\n")).toEqual([{ data: "1" }, { data: "2" }]);
    expect(decodeText("data: 3")).toEqual([{ data: "3" }]);
  });

  it("keeps [DONE] as an ordinary data message (the parser gives it meaning)", () => {
    expect(decodeText("data: [DONE]\n\n")).toEqual([{ data: "[DONE]" }]);
  });

  it("throws a malformed ResponseStreamError past the event size bound, counting pending lines too", () => {
    const decoder = new SSEDecoder({ maxEventSize: 100 });
    expect(decoder.push(encoder.encode(`data: ${"a".repeat(50)}\n\n`))).toHaveLength(1);
    let caught: unknown;
    try {
      decoder.push(encoder.encode(`data: ${"b".repeat(200)}`)); // no line end yet
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ResponseStreamError);
    expect((caught as ResponseStreamError).kind).toBe("malformed");
    expect((caught as ResponseStreamError).message).toMatch(/size limit of 100/);

    const multi = new SSEDecoder({ maxEventSize: 100 });
    expect(() => {
      for (let i = 0; i < 20; i++) multi.push(encoder.encode("data: 0123456789\n"));
    }).toThrow(ResponseStreamError);
  });

  it("stays linear: 1-byte chunks of a 512 KiB line examine each character a bounded number of times", () => {
    // Count the characters the string searches could examine, by wrapping them for the duration of the
    // test: an implementation that re-scanned its buffer on every chunk would examine ~n²/2 of them.
    const proto = String.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const originals = { indexOf: proto.indexOf!, split: proto.split! };
    let examined = 0;
    let joins = 0;
    const originalJoin = Array.prototype.join;
    proto.indexOf = function (this: string, search: unknown, from?: unknown) {
      examined += this.length - (typeof from === "number" ? from : 0);
      return originals.indexOf.call(this, search, from);
    };
    proto.split = function (this: string, ...args: unknown[]) {
      examined += this.length;
      return originals.split.apply(this, args);
    };
    Array.prototype.join = function (this: unknown[], separator?: string) {
      joins += 1;
      return originalJoin.call(this, separator);
    };
    const size = 512 * 1024;
    const body = encoder.encode(`data: ${"x".repeat(size)}\n\n`);
    const messages: SSEMessage[] = [];
    try {
      const decoder = new SSEDecoder();
      for (let i = 0; i < body.length; i++) messages.push(...decoder.push(body.subarray(i, i + 1)));
    } finally {
      proto.indexOf = originals.indexOf;
      proto.split = originals.split;
      Array.prototype.join = originalJoin;
    }
    expect(messages).toHaveLength(1);
    expect(messages[0]!.data.length).toBe(size);
    expect(examined).toBeLessThanOrEqual(3 * body.length);
    expect(joins).toBeLessThanOrEqual(2); // the pieces of the long line are joined once
  });

  it("property: any split of the bytes into chunks yields the same events", () => {
    const line = fc.constantFrom("\n", "\r", "\r\n");
    const value = fc.string({
      unit: fc.constantFrom("a", "é", "世", "🎉", " ", ":", "{", "}", '"'),
      maxLength: 12,
    });
    const field = fc.oneof(
      fc.tuple(fc.constantFrom("data", "event", ": comment", "id", "data:"), value, line),
      fc.tuple(fc.constant(""), fc.constant(""), line),
    );
    const stream = fc
      .array(field, { maxLength: 25 })
      .map((fields) => fields.map(([name, v, end]) => (name === "" ? end : `${name}: ${v}${end}`)).join(""));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const bytes = encoder.encode(text);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let last = 0;
        for (const p of points) {
          chunks.push(bytes.slice(last, p));
          last = p;
        }
        chunks.push(bytes.slice(last));
        expect(decodeChunks(chunks)).toEqual(decodeChunks([bytes]));
      }),
      { numRuns: 400 },
    );
  });

  it("property: events taken whole from a chunk are the events read line by line", () => {
    // Mostly the common shape (`event:` + `data:` + blank line), with each way of leaving it: no space
    // after the colon, CR line ends, an `id` or `retry` or comment line, a second data line, an empty
    // name, a block cut short. One byte per push never holds a whole event, so it reads line by line.
    const value = fc.string({ unit: fc.constantFrom("a", "é", "世", " ", ":", "{", '"'), maxLength: 8 });
    const block = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(value, value).map(([n, d]) => `event: ${n}\ndata: ${d}\n\n`) },
      { weight: 3, arbitrary: value.map((d) => `data: ${d}\n\n`) },
      fc.tuple(value, value).map(([n, d]) => `event:${n}\ndata:${d}\n\n`),
      fc.tuple(value, value).map(([n, d]) => `event: ${n}\r\ndata: ${d}\r\n\r\n`),
      fc.tuple(value, value).map(([n, d]) => `event: ${n}\ndata: ${d}\r\n`),
      fc.tuple(value, value).map(([i, d]) => `id: ${i}\ndata: ${d}\n\n`),
      value.map((d) => `retry: 5\ndata: ${d}\n\n`),
      value.map((d) => `: note\ndata: ${d}\n\n`),
      fc.tuple(value, value).map(([a, b]) => `data: ${a}\ndata: ${b}\n\n`),
      value.map((d) => `event: \ndata: ${d}\n\n`),
      value.map((n) => `event: ${n}\n`),
      fc.constant("\n"),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 20 }), (blocks) => {
        const bytes = encoder.encode(blocks.join(""));
        const oneByOne = Array.from(bytes, (byte) => Uint8Array.of(byte));
        expect(decodeChunks([bytes])).toEqual(decodeChunks(oneByOne));
      }),
      { numRuns: 400 },
    );
  });

  it("an event taken whole over the size bound still fails at its bound", () => {
    const decoder = new SSEDecoder({ maxEventSize: 20 });
    // 9 + 11 characters: at the bound, accepted; one more past it fails.
    expect(decoder.push(encoder.encode("event: e\ndata: 1234\n\n"))).toEqual([{ event: "e", data: "1234" }]);
    expect(() => decoder.push(encoder.encode("event: e\ndata: 1234567890\n\n"))).toThrow(ResponseStreamError);
  });
});
