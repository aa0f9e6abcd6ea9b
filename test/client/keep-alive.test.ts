/**
 * Nothing the client holds keeps a process alive once the caller has let go of it: a stream created
 * and never read, a stream read to its end, a stream left after a few events (neither read on nor
 * cancelled: no timer of the client's may stay set between reads), a WebSocket session left open after
 * a turn or with none. The stream left mid-way comes from a server that sends all of it within 40 ms: while
 * a server is still sending, the unfinished HTTP request keeps its socket (fetch's, not the client's)
 * referenced, as any fetch whose body is neither read nor cancelled does, and whether the kit's mock had
 * finished by then depended on the machine's load.
 * Each case runs in a child process (fixtures/let-go.ts) against a server here that keeps idle
 * connections for 60 s, so anything the client held would keep the child alive far past the bound.
 */

import { spawn } from "node:child_process";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResponsesHandler, mockModel, type RunningServer, serve } from "../../src/server/index.js";
import { sseFrame, textStreamEvents } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const FIXTURE = resolve(import.meta.dirname, "fixtures/let-go.ts");
/** How long after letting go the child may take to exit (the fixes bring it to well under a second). */
const BOUND_MS = 4_000;

let server: RunningServer;
/**
 * Answers every request with a whole event stream in three writes 20 ms apart (so that the client reads
 * it in several chunks, and leaves some unread), then keeps the connection idle.
 */
let whole: Server;
const FRAMES = textStreamEvents(Array.from({ length: 60 }, (_, i) => `${i} `)).map(sseFrame);
const PIECES = [FRAMES.slice(0, 10), FRAMES.slice(10, 30), FRAMES.slice(30)].map((part) => part.join(""));

beforeAll(async () => {
  server = await serve({ handler: createResponsesHandler({ model: mockModel() }), port: 0 });
  // Hold idle HTTP connections a long time, as a real server may: the client must not wait on them.
  (server.server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = 60_000;
  whole = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(PIECES[0]);
      setTimeout(() => response.write(PIECES[1]), 20);
      setTimeout(() => response.end(PIECES[2]), 40);
    });
  });
  whole.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => whole.listen(0, "127.0.0.1", done));
});
afterAll(async () => {
  await server?.close();
  whole?.closeAllConnections();
  await new Promise((done) => whole?.close(done));
});

/** Runs the fixture; resolves to how long after letting go it exited (killed after 30 s: a failure). */
function letGo(mode: string, baseURL = `${server.url}/v1`): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, baseURL, mode], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      const measured = /exited (\d+) ms after letting go/.exec(stderr);
      if (code !== 0 || !measured)
        reject(new Error(`the child did not exit by itself (code ${code}): ${stderr}`));
      else resolvePromise(Number(measured[1]));
    });
  });
}

describe("a process exits once the caller lets go of what the client made", { timeout: 60_000 }, () => {
  for (const mode of [
    "unread-stream",
    "pending-stream",
    "read-stream",
    "left-mid-stream",
    "open-session",
    "ready-session",
  ]) {
    it(mode, async () => {
      const baseURL =
        mode === "left-mid-stream"
          ? `http://127.0.0.1:${(whole.address() as AddressInfo).port}/v1`
          : `${server.url}/v1`;
      expect(await letGo(mode, baseURL)).toBeLessThan(BOUND_MS);
    });
  }
});

describe("S3: a server that keeps the body open after [DONE]", { timeout: 60_000 }, () => {
  it("does not keep a process that read the stream alive (the drain after [DONE] is bounded)", async () => {
    const held: ServerResponse[] = [];
    const holding = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        const created = {
          type: "response.created",
          sequence_number: 0,
          response: { id: "r", object: "response", status: "in_progress", output: [] },
        };
        const completed = {
          type: "response.completed",
          sequence_number: 1,
          response: { id: "r", object: "response", status: "completed", output: [] },
        };
        response.write(
          `data: ${JSON.stringify(created)}\n\ndata: ${JSON.stringify(completed)}\n\ndata: [DONE]\n\n`,
        );
        held.push(response);
      });
    });
    await new Promise<void>((done) => holding.listen(0, "127.0.0.1", done));
    try {
      const url = `http://127.0.0.1:${(holding.address() as AddressInfo).port}/v1`;
      expect(await letGo("read-stream", url)).toBeLessThan(BOUND_MS);
    } finally {
      for (const response of held) response.destroy();
      holding.closeAllConnections();
      await new Promise((done) => holding.close(done));
    }
  });
});
