/**
 * A WebSocket client that never reads must not make the server buffer for it: every reply, error
 * envelopes included, waits for the socket, and a client that reads nothing is cut off. Against a
 * child process with a small heap, so unbounded buffering shows as growth (or as the child dying).
 */
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createResponsesEngine } from "../../../src/server/kit/engine.js";
import { mockModel } from "../../../src/server/mock/index.js";
import { createSocketSender } from "../../../src/server/node/socket-sender.js";
import { ResponsesConnection } from "../../../src/server/websocket/connection.js";
import { type ChildReport, startFixture, until } from "./child.js";

const memoryOf = (report: ChildReport | undefined) =>
  ((report?.heapUsed as number | undefined) ?? 0) + ((report?.external as number | undefined) ?? 0);

/**
 * A raw client: the upgrade by hand, then nothing read. `frames` masked text frames of one byte ("x"),
 * written as fast as the socket takes them; resolves once all are written or the server cut it off.
 */
async function floodWithoutReading(url: string, frames: number): Promise<{ closed: () => boolean }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let closed = false;
  socket.on("close", () => {
    closed = true;
  });
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  socket.write(
    "GET /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  // Read the 101 answer, then never read again.
  await new Promise<void>((resolve) => {
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      socket.pause();
      resolve();
    };
    socket.on("data", onData);
  });
  // FIN + text opcode, masked, length 1, a zero mask, "x".
  const frame = Buffer.from([0x81, 0x81, 0, 0, 0, 0, 0x78]);
  const batch = Buffer.concat(Array.from({ length: 10_000 }, () => frame));
  const started = Date.now();
  for (let sent = 0; sent < frames && !closed && Date.now() - started < 20_000; sent += 10_000) {
    if (!socket.write(batch)) {
      // The server stopped reading: wait for it, or for the cut-off.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, 500);
        socket.once("drain", done);
        socket.once("close", done);
      });
    }
  }
  return { closed: () => closed };
}

describe("W8: error replies respect backpressure; a client that does not read is cut off", () => {
  it("a client that never reads sends 1,000,000 tiny invalid frames (7 MB): memory stays bounded, during and after", async () => {
    const fixture = await startFixture("websocket-server.ts", { heapMb: 64, env: { WS_IDLE_MS: "1000" } });
    try {
      await until(() => fixture.reports.length >= 3, 5000, "reports");
      const baseline = Math.max(...fixture.reports.map(memoryOf));
      let peak = 0;
      const sample = setInterval(() => {
        peak = Math.max(peak, memoryOf(fixture.reports.at(-1)));
      }, 50);
      let client: { closed: () => boolean };
      try {
        client = await floodWithoutReading(fixture.url, 1_000_000);
        const stoppedSending = Date.now();
        // Cut off within the idle timeout of its last read (1 s here), plus slack for a loaded machine.
        await until(() => client.closed() || fixture.exited() !== null, 15_000, "the cut-off");
        expect(fixture.exited()).toBeNull();
        expect(Date.now() - stoppedSending).toBeLessThan(15_000);
        const mark = fixture.reports.length;
        await until(() => fixture.reports.length > mark + 10, 5000, "reports after the cut");
      } finally {
        clearInterval(sample);
      }
      expect(fixture.exited()).toBeNull();
      // Before: hundreds of megabytes of queued error replies, still growing after the client stopped.
      expect(peak - baseline).toBeLessThan(48 * 1024 * 1024);
      expect(memoryOf(fixture.reports.at(-1)) - baseline).toBeLessThan(24 * 1024 * 1024);

      // And the server still answers.
      const answer = await fetch(`${fixture.url}/v1/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: "hi" }),
        signal: AbortSignal.timeout(5000),
      });
      expect(answer.status).toBe(200);
    } finally {
      await fixture.stop();
    }
  }, 60_000);
});

describe("W8: ResponsesConnection waits for every send, error replies included", () => {
  it("while a reply waits for the client, no other message is answered and reading pauses", async () => {
    const sent: string[] = [];
    const calls: string[] = [];
    let flush: () => void = () => {};
    const engine = createResponsesEngine({ model: mockModel() });
    const connection = new ResponsesConnection({
      engine,
      store: engine.store,
      maxAgeMs: Number.POSITIVE_INFINITY,
      maxQueuedMessages: 4,
      send: (text) => {
        sent.push(text);
        // The socket is full: this reply is flushed only when the test says so.
        return new Promise<void>((resolve) => {
          flush = resolve;
        });
      },
      close: () => {},
      pause: () => calls.push("pause"),
      resume: () => calls.push("resume"),
    });
    for (let i = 0; i < 50; i++) connection.receive("not json");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toHaveLength(1);
    expect(calls).toEqual(["pause"]);
    // A lane refusal, normally answered at once, waits its turn too.
    connection.receive(JSON.stringify({ type: "response.create", stream_id: "b", input: "hi" }));
    expect(sent).toHaveLength(1);
    flush();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toHaveLength(2);
    connection.dispose();
  });
});

describe("the socket sender: backpressure, then a bound", () => {
  function fakeSocket() {
    const socket = {
      bufferedAmount: 0,
      readyState: 1,
      terminated: false,
      callbacks: [] as Array<() => void>,
      send(text: string, callback?: () => void) {
        socket.bufferedAmount += text.length;
        if (callback) socket.callbacks.push(callback);
      },
      terminate() {
        socket.terminated = true;
        socket.readyState = 3;
      },
    };
    return socket;
  }

  it("below the high-water mark a send does not wait; above it, it waits for the flush", async () => {
    const socket = fakeSocket();
    const sender = createSocketSender(socket, {
      highWaterBytes: 100,
      maxBufferedBytes: 1000,
      stallTimeoutMs: 60_000,
    });
    expect(sender.send("a".repeat(50))).toBeUndefined();
    const waiting = sender.send("b".repeat(80));
    expect(waiting).toBeInstanceOf(Promise);
    let done = false;
    void waiting?.then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    socket.bufferedAmount = 0;
    for (const callback of socket.callbacks) callback();
    await waiting;
    expect(done).toBe(true);
  });

  it("a peer whose buffer passes the bound is cut off; one that reads nothing while a send waits, too", async () => {
    const socket = fakeSocket();
    const cuts: string[] = [];
    const sender = createSocketSender(socket, {
      highWaterBytes: 100,
      maxBufferedBytes: 300,
      stallTimeoutMs: 50,
      onCutOff: (reason) => cuts.push(reason),
    });
    socket.bufferedAmount = 250;
    expect(sender.send("x".repeat(100))).toBeUndefined();
    expect(socket.terminated).toBe(true);
    expect(cuts).toEqual(["buffer"]);
    expect(sender.send("more")).toBeUndefined();

    const stalled = fakeSocket();
    const second = createSocketSender(stalled, {
      highWaterBytes: 100,
      maxBufferedBytes: 10_000,
      stallTimeoutMs: 50,
      onCutOff: (reason) => cuts.push(reason),
    });
    await second.send("y".repeat(200));
    expect(stalled.terminated).toBe(true);
    expect(cuts).toEqual(["buffer", "stall"]);
  });
});

describe("W8: answering a burst of bad messages does not hold up the event loop", () => {
  it("a chunk of 20,000 invalid messages is answered across event-loop turns, not in one block", async () => {
    let sent = 0;
    const engine = createResponsesEngine({ model: mockModel() });
    const connection = new ResponsesConnection({
      engine,
      store: engine.store,
      maxAgeMs: Number.POSITIVE_INFINITY,
      send: () => {
        sent++;
      },
      close: () => {},
    });
    // As `ws` delivers one TCP chunk of tiny frames: every message at once, synchronously.
    for (let i = 0; i < 20_000; i++) connection.receive(`{bad ${i}`);
    const atFirstTimer = await new Promise<number>((resolve) => setTimeout(() => resolve(sent), 0));
    expect(atFirstTimer).toBeLessThan(20_000);
    for (let i = 0; i < 500 && sent < 20_000; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toBe(20_000);
    connection.dispose();
  });
});
