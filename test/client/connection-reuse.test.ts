/**
 * Streams and the connection pool (S3): after `data: [DONE]` the client reads what is left of the body
 * in the background instead of cancelling it, so `fetch` puts the connection back in its pool and the
 * next request reuses it; a server that keeps the body open after `[DONE]` costs at most the drain's
 * grace and holds no caller up (keep-alive.test.ts shows it keeps no process alive either). Servers here
 * count their TCP connections.
 */

import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/index.js";
import { DRAIN_GRACE_MS } from "../../src/streaming/drain.js";
import { Events, messageItem, toSSE } from "../streaming/fixtures.js";
import { until } from "../support/until.js";

const BODY = toSSE(
  new Events()
    .created()
    .message(0, ["Hel", "lo"])
    .completed([messageItem("msg_0", "Hello")]).list,
);

interface CountingServer {
  url: string;
  /** TCP connections accepted so far. */
  connections: number;
  /** Responses whose connection closed before the server ended them. */
  cutShort: number;
  server: Server;
  held: ServerResponse[];
}

let running: CountingServer | undefined;

afterEach(async () => {
  const current = running;
  running = undefined;
  if (!current) return;
  for (const response of current.held) response.destroy();
  current.server.closeAllConnections();
  await new Promise((done) => current.server.close(done));
});

/**
 * A server answering every request with `BODY` (ending in `[DONE]`) written before its end: `ends`
 * ends the body a few milliseconds later, in a write of its own (as a server producing tokens does);
 * `holds` never ends it.
 */
async function countingServer(mode: "ends" | "holds"): Promise<CountingServer> {
  const state: CountingServer = {
    url: "",
    connections: 0,
    cutShort: 0,
    server: createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write(BODY);
        response.on("close", () => {
          if (!response.writableEnded) state.cutShort += 1;
        });
        if (mode === "ends") setTimeout(() => response.end(), 5);
        else state.held.push(response);
      });
    }),
    held: [],
  };
  state.server.on("connection", () => {
    state.connections += 1;
  });
  // Keep idle connections far longer than the test: only the client's choices open or close one.
  state.server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => state.server.listen(0, "127.0.0.1", done));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/v1`;
  running = state;
  return state;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe("S3: streamed requests reuse their connection", () => {
  it("sequential streams (finalResponse and for-await) go over one connection", async () => {
    const server = await countingServer("ends");
    const client = new OpenResponses({ baseURL: server.url, apiKey: "test", maxRetries: 0 });
    for (let i = 0; i < 3; i++) {
      const stream = await client.responses.stream({ model: "m", input: "hi" });
      expect((await stream.finalResponse()).output_text).toBe("Hello");
      // The end of the body comes after [DONE]: give the background drain its moment.
      await pause(DRAIN_GRACE_MS / 2);
    }
    for (let i = 0; i < 3; i++) {
      const stream = await client.responses.stream({ model: "m", input: "hi" });
      let text = "";
      for await (const event of stream) if (event.type === "response.output_text.delta") text += event.delta;
      expect(text).toBe("Hello");
      await pause(DRAIN_GRACE_MS / 2);
    }
    // One connection, or two when a drain was slow to see the end before the next request (a busy
    // machine): cancelling at [DONE], as before, opened one per stream.
    expect(server.connections).toBeLessThanOrEqual(2);
    expect(server.cutShort).toBe(0);
  });

  it("a server holding the body open after [DONE]: the stream completes, and the client closes that connection", async () => {
    const server = await countingServer("holds");
    const client = new OpenResponses({ baseURL: server.url, apiKey: "test", maxRetries: 0 });
    const stream = await client.responses.stream({ model: "m", input: "hi" });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe("response.completed");
    expect((await stream.finalResponse()).output_text).toBe("Hello");
    await until(() => server.cutShort === 1, "the held response closed by the client");
  });
});
