/**
 * No model turn can starve the event loop. A turn that never awaits I/O would otherwise run in
 * microtasks only: every other client would wait for its whole length, and a WebSocket client that left
 * would never be noticed, so its turns would go on until the heap ran out.
 */
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createResponsesHandler, serve } from "../../../src/server/index.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";
import { startFixture, until } from "./child.js";

const json = { "content-type": "application/json" };

describe("a long turn does not hold up the server", () => {
  it("another client's request is answered while a long turn runs, and leaving stops the turn at once", async () => {
    let parts = 0;
    let stopped = false;
    async function* model(request: ModelRequest): AsyncGenerator<ModelPart> {
      if (request.body.input !== "long") {
        yield { type: "text", delta: "hello" };
        return;
      }
      try {
        // Never awaits anything: without the kit's yielding this runs to the end in microtasks.
        for (let i = 0; i < 3_000_000 && !request.signal.aborted; i++) {
          parts++;
          yield { type: "text", delta: "x" };
        }
      } finally {
        stopped = true;
      }
    }
    const server = await serve({ handler: createResponsesHandler({ model }), port: 0 });
    const controller = new AbortController();
    try {
      const long = fetch(`${server.url}/v1/responses`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ input: "long" }),
        signal: controller.signal,
      }).catch(() => null);
      await until(() => parts > 1000, 10_000, "the long turn starting");
      const started = Date.now();
      const other = await fetch(`${server.url}/v1/responses`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ input: "hi" }),
        signal: AbortSignal.timeout(20_000),
      });
      expect(other.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(stopped).toBe(false); // the long turn was still running

      // The long turn's client leaves: its model is stopped within a few event-loop turns.
      controller.abort();
      await until(() => stopped, 2000, "the long turn stopping");
      const after = parts;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(parts).toBe(after);
      await long;
    } finally {
      controller.abort();
      await server.close();
    }
  }, 60_000);
});

describe("a WebSocket client that leaves stops its turns (child with a 96 MiB heap)", () => {
  it("after the client closes, the running and queued turns stop and the heap does not grow", async () => {
    const fixture = await startFixture("endless-server.ts", { heapMb: 96 });
    try {
      const ws = new WebSocket(`${fixture.url.replace("http", "ws")}/v1/responses`);
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      let received = 0;
      ws.on("message", () => {
        received++;
      });
      for (let i = 0; i < 6; i++) ws.send(JSON.stringify({ type: "response.create", input: "endless" }));
      await until(() => received >= 20, 10_000, "events arriving");
      ws.terminate();

      const mark = fixture.reports.length;
      const last = () => fixture.reports.at(-1) ?? {};
      // The server notices the client left and ends the turn; the queued ones never start.
      await until(
        () => fixture.exited() !== null || (fixture.reports.length > mark + 1 && last().running === 0),
        5000,
        "turns stopping",
      );
      expect(fixture.exited()).toBeNull();
      const settled = last();
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(fixture.exited()).toBeNull();
      const now = last();
      expect(now.parts).toBe(settled.parts);
      expect(now.started).toBe(1);
      expect(now.heapUsed as number).toBeLessThan(80 * 1024 * 1024);

      // And the server still answers.
      const answer = await fetch(`${fixture.url}/v1/responses`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ input: "hi" }),
        signal: AbortSignal.timeout(5000),
      });
      expect(answer.status).toBe(200);
    } finally {
      await fixture.stop();
    }
  }, 60_000);
});
