/**
 * What a hostile server (or anyone in the middle) streams cannot pollute
 * `Object.prototype`, cannot make the client allocate by an index, and cannot make the terminal
 * reconciliation duplicate an item or leave a hole. Events are written as raw JSON text, as on the wire,
 * so `"__proto__"` is an own key exactly as `JSON.parse` makes it.
 */
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { OpenResponses } from "../../src/client/index.js";
import { ResponseStream } from "../../src/streaming/index.js";
import { startSSE, trackedServers } from "../client/helpers.js";

const serve = trackedServers();

/** The own property names of Object.prototype before any test ran. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  // Whatever a test did, the prototype must be untouched (and is repaired, so one failure stays one).
  const names = Object.getOwnPropertyNames(Object.prototype).sort();
  for (const name of names) {
    if (!PROTOTYPE_NAMES.includes(name)) delete (Object.prototype as Record<string, unknown>)[name];
  }
  expect(names).toEqual(PROTOTYPE_NAMES);
});

function isPolluted(): boolean {
  const probe = {} as Record<string, unknown>;
  return (
    probe.polluted !== undefined ||
    probe.polluted2 !== undefined ||
    probe.polluted3 !== undefined ||
    Object.getOwnPropertyNames(Object.prototype).length !== PROTOTYPE_NAMES.length
  );
}

const created = (seq: number) =>
  `{"type":"response.created","sequence_number":${seq},"response":{"id":"r","object":"response","status":"in_progress","output":[]}}`;

/**
 * The attack: an item and a part added without `__proto__`, then their `.done` events and the terminal
 * snapshot with one, so that a merge reading `target["__proto__"]` would walk into Object.prototype.
 */
function pollutingEvents(): string[] {
  return [
    created(0),
    `{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"message","id":"m1","role":"assistant","status":"in_progress","content":[]}}`,
    `{"type":"response.content_part.added","sequence_number":2,"output_index":0,"content_index":0,"item_id":"m1","part":{"type":"output_text","text":"","annotations":[]}}`,
    `{"type":"response.output_text.delta","sequence_number":3,"output_index":0,"content_index":0,"item_id":"m1","delta":"Hi"}`,
    `{"type":"response.content_part.done","sequence_number":4,"output_index":0,"content_index":0,"item_id":"m1","part":{"type":"output_text","text":"Hi","annotations":[],"__proto__":{"polluted2":"yes"}}}`,
    `{"type":"response.output_item.done","sequence_number":5,"output_index":0,"item":{"type":"message","id":"m1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hi","__proto__":{"polluted2":"yes"}}],"__proto__":{"polluted2":"yes"},"constructor":{"prototype":{"polluted3":"yes"}}}}`,
    `{"type":"response.completed","sequence_number":6,"response":{"id":"r","object":"response","status":"completed","__proto__":{"polluted3":"yes"},"output":[{"type":"message","id":"m1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hi","annotations":[]}],"__proto__":{"polluted3":"yes"},"constructor":{"prototype":{"polluted3":"yes"}}}]}}`,
  ];
}

async function* messages(data: string[]) {
  for (const entry of data) yield { data: entry };
}

function expectCleanSnapshot(final: unknown): void {
  expect(isPolluted()).toBe(false);
  const response = final as { output: Record<string, unknown>[] };
  const item = response.output[0] as Record<string, unknown>;
  expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
  expect(Object.keys(item)).not.toContain("__proto__");
  expect(Object.keys(response)).not.toContain("__proto__");
  // `constructor` is a key like any other: kept as data, never followed into Object.
  expect(Object.hasOwn(item, "constructor")).toBe(true);
  expect(item.constructor).toEqual({ prototype: { polluted3: "yes" } });
  const content = item.content as Record<string, unknown>[];
  expect(Object.keys(content[0] as object)).not.toContain("__proto__");
  expect(content[0]?.text).toBe("Hi");
  // A snapshot stringifies and spreads as a plain object.
  expect(JSON.parse(JSON.stringify(final))).toEqual({ ...(final as object) });
}

describe("keys from the wire are data, never a way into a prototype", () => {
  it("an item added with a __proto__ key is copied in without it", async () => {
    const final = await ResponseStream.fromMessages(
      messages([
        created(0),
        `{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"message","id":"m1","role":"assistant","content":[{"type":"output_text","text":"Hi","__proto__":{"polluted":"yes"}}],"__proto__":{"polluted":"yes"}}}`,
        `{"type":"response.completed","sequence_number":2,"response":{"id":"r","object":"response","status":"completed","output":[]}}`,
      ]),
    ).finalResponse();
    const item = final.output[0] as unknown as Record<string, unknown>;
    expect(Object.keys(item)).not.toContain("__proto__");
    expect(Object.keys((item.content as object[])[0] as object)).not.toContain("__proto__");
    expect(item).toEqual({
      type: "message",
      id: "m1",
      role: "assistant",
      content: [{ type: "output_text", text: "Hi" }],
    });
  });

  it("S6/S7: __proto__ and constructor keys in items, parts and the terminal snapshot (messages)", async () => {
    const stream = ResponseStream.fromMessages(messages(pollutingEvents()));
    const final = await stream.finalResponse();
    expectCleanSnapshot(final);
  });

  it("the same over SSE through the client", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      for (const data of pollutingEvents()) res.write(`data: ${data}\n\n`);
      res.end("data: [DONE]\n\n");
    });
    const client = new OpenResponses({ baseURL: server.origin, maxRetries: 0, logLevel: "off" });
    const final = await client.responses.stream({ model: "m" }).finalResponse();
    expectCleanSnapshot(final);
  });

  it("the same over a WebSocket turn (W2)", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    wss.on("connection", (socket) => {
      socket.on("message", () => {
        for (const data of pollutingEvents()) socket.send(data);
      });
    });
    const { port } = wss.address() as AddressInfo;
    const client = new OpenResponses({
      baseURL: `http://127.0.0.1:${port}/v1`,
      maxRetries: 0,
      logLevel: "off",
    });
    const session = client.responses.connect();
    try {
      const final = await session.create({ model: "m" }).finalResponse();
      expectCleanSnapshot(final);
    } finally {
      await session.close();
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});

describe("indexes are bounded (S6, S7)", () => {
  const delta = (seq: number, fields: string) =>
    `{"type":"response.output_text.delta","sequence_number":${seq},${fields},"delta":"x${seq}"}`;

  it("an output_index far beyond the items seen is a violation and a placeholder at the next slot", async () => {
    const started = Date.now();
    const stream = ResponseStream.fromMessages(
      messages([
        created(0),
        delta(1, `"output_index":10000000,"content_index":0`),
        delta(2, `"output_index":10000000,"content_index":0`),
        delta(3, `"output_index":1000000000,"content_index":0`),
        delta(4, `"output_index":-1,"content_index":0`),
        delta(5, `"output_index":1.5,"content_index":0`),
        `{"type":"response.completed","sequence_number":6,"response":{"id":"r","object":"response","status":"completed","output":[]}}`,
      ]),
    );
    const final = await stream.finalResponse();
    expect(final.output).toHaveLength(4);
    const texts = final.output.map((item) => (item as { content: { text: string }[] }).content[0]?.text);
    // Both events at 10000000 reach the same placeholder.
    expect(texts).toEqual(["x1x2", "x3", "x4", "x5"]);
    const rules = stream.violations.filter((v) => v.message.includes("output_index"));
    expect(rules.map((v) => v.rule)).toEqual(["S6", "S6", "S6", "S6"]);
    expect(JSON.stringify(final).length).toBeLessThan(5000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("a content_index or summary_index far beyond the parts seen is bounded the same way", async () => {
    const stream = ResponseStream.fromMessages(
      messages([
        created(0),
        `{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"message","id":"m","role":"assistant","content":[]}}`,
        delta(2, `"output_index":0,"content_index":20000000`),
        delta(3, `"output_index":0,"content_index":20000000`),
        delta(4, `"output_index":0,"content_index":-7`),
        `{"type":"response.output_item.added","sequence_number":5,"output_index":1,"item":{"type":"reasoning","id":"rs","summary":[]}}`,
        `{"type":"response.reasoning_summary_text.delta","sequence_number":6,"output_index":1,"summary_index":30000000,"delta":"think"}`,
        `{"type":"response.output_text.annotation.added","sequence_number":7,"output_index":0,"content_index":20000000,"annotation_index":40000000,"annotation":{"type":"url_citation"}}`,
      ]),
    );
    await stream.finalResponse().catch(() => undefined);
    const snapshot = stream.snapshot;
    const message = snapshot.output[0] as { content: { text: string; annotations?: unknown[] }[] };
    expect(message.content.map((part) => part.text)).toEqual(["x2x3", "x4"]);
    expect(message.content[0]?.annotations).toHaveLength(1);
    const reasoning = snapshot.output[1] as { summary: { text: string }[] };
    expect(reasoning.summary.map((part) => part.text)).toEqual(["think"]);
    expect(stream.text).toBe("x2x3x4");
    expect(stream.violations.some((v) => v.rule === "S7" && v.message.includes("content_index"))).toBe(true);
    expect(stream.violations.some((v) => v.message.includes("summary_index"))).toBe(true);
    expect(stream.violations.some((v) => v.message.includes("annotation_index"))).toBe(true);
  });

  it("strict mode throws a ProtocolError at an index out of bounds", async () => {
    const stream = ResponseStream.fromMessages(
      messages([created(0), delta(1, `"output_index":1000000000,"content_index":0`)]),
      { strict: true },
    );
    await expect(stream.finalResponse()).rejects.toMatchObject({ rule: "S6" });
  });
});

describe("the terminal snapshot is matched by id, then index (S5)", () => {
  const added = (seq: number, index: number, id: string) =>
    `{"type":"response.output_item.added","sequence_number":${seq},"output_index":${index},"item":{"type":"message","id":"${id}","role":"assistant","status":"in_progress","content":[]}}`;
  const text = (seq: number, index: number, id: string, value: string) =>
    `{"type":"response.output_text.delta","sequence_number":${seq},"output_index":${index},"content_index":0,"item_id":"${id}","delta":"${value}"}`;
  const item = (id: string, value: string) =>
    `{"type":"message","id":"${id}","role":"assistant","status":"completed","content":[{"type":"output_text","text":"${value}","annotations":[]}]}`;
  const completed = (seq: number, items: string[]) =>
    `{"type":"response.completed","sequence_number":${seq},"response":{"id":"r","object":"response","status":"completed","output":[${items.join(",")}]}}`;
  const ids = (output: unknown[]) => output.map((entry) => (entry as { id: string }).id);

  it("a terminal output that skips an item never lists another twice", async () => {
    const final = await ResponseStream.fromMessages(
      messages([
        created(0),
        added(1, 0, "a"),
        text(2, 0, "a", "first"),
        added(3, 1, "b"),
        text(4, 1, "b", "second"),
        completed(5, [item("b", "second")]),
      ]),
    ).finalResponse();
    expect(ids(final.output)).toEqual(["a", "b"]);
    const texts = final.output.map((entry) => (entry as { content: { text: string }[] }).content[0]?.text);
    expect(texts).toEqual(["first", "second"]);
  });

  it("an emptied terminal meeting streamed indexes with a hole leaves no hole", async () => {
    const final = await ResponseStream.fromMessages(
      messages([created(0), added(1, 0, "a"), added(2, 2, "c"), text(3, 2, "c", "z"), completed(4, [])]),
    ).finalResponse();
    expect(final.output).toHaveLength(2);
    expect(Object.keys(final.output)).toEqual(["0", "1"]);
    expect(ids(final.output)).toEqual(["a", "c"]);
  });

  it("terminal items in another order are matched by id, and an id changed at a stable index by index", async () => {
    const final = await ResponseStream.fromMessages(
      messages([
        created(0),
        added(1, 0, "a"),
        text(2, 0, "a", "A"),
        added(3, 1, "b"),
        text(4, 1, "b", "B"),
        added(5, 2, "tmp"),
        text(6, 2, "tmp", "C"),
        completed(7, [item("b", "B"), item("a", "A"), item("final-c", "C")]),
      ]),
    ).finalResponse();
    expect(ids(final.output)).toEqual(["b", "a", "final-c"]);
    expect(new Set(final.output).size).toBe(3);
  });
});
