/**
 * A WebSocket client that never reads must not make the server buffer for it: every reply, error
 * envelopes included, waits for the socket, and a client that reads nothing is cut off. Against a
 * child process with a small heap, so unbounded buffering shows as growth (or as the child dying).
 */
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createResponsesEngine } from "../../../src/server/kit/engine.js";
import { mockModel } from "../../../src/server/mock/index.js";
import { createSocketSender } from "../../../src/server/node/socket-sender.js";
import { ResponsesConnection } from "../../../src/server/websocket/connection.js";
import { type ChildReport, startFixture, until } from "./child.js";

const memoryOf = (report: ChildReport | undefined) =>
  ((report?.heapUsed as number | undefined) ?? 0) + ((report?.external as number | undefined) ?? 0);

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/v1/responses`);
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

describe("W8: error replies respect backpressure; a client that does not read is cut off", () => {
  it("a client that never reads sends 500,000 tiny invalid frames (3.5 MB): memory stays bounded, during and after", async () => {
    const fixture = await startFixture("websocket-server.ts", { heapMb: 64, env: { WS_IDLE_MS: "3000" } });
    try {
      await until(() => fixture.reports.length >= 3, 5000, "reports");
      const baseline = Math.max(...fixture.reports.map(memoryOf));
      const ws = await open(fixture.url);
      // Reads nothing from now on: the server's replies can only pile up on its side.
      ws.pause();
      let closed = false;
      ws.on("close", () => {
        closed = true;
      });
      ws.on("error", () => {});
      const frames = 500_000;
      const started = Date.now();
      for (let sent = 0; sent < frames && !closed && Date.now() - started < 20_000; ) {
        for (let i = 0; i < 10_000; i++, sent++) ws.send("x");
        await new Promise((resolve) => setImmediate(resolve));
      }
      // The server stopped reading once its replies waited: the frames back up on the client's side.
      const stoppedSending = Date.now();
      let peak = 0;
      const sample = setInterval(() => {
        peak = Math.max(peak, memoryOf(fixture.reports.at(-1)));
      }, 50);
      try {
        // Cut off within the idle timeout of its last read (3 s here), plus slack for a loaded machine.
        await until(() => closed || fixture.exited() !== null, 15_000, "the server cutting the client off");
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
      ws.terminate();
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
