/**
 * The client's WebSocket follows the client's bounds: no permessage-deflate (a small compressed frame
 * cannot inflate inside the socket), and the socket refuses a message past `maxEventBytes` before
 * buffering it, so a hostile server's huge message ends the turn with a typed error.
 */

import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { OpenResponses } from "../../src/client/index.js";
import { ResponseStreamError } from "../../src/errors.js";
import { resolveSocketFactory } from "../../src/websocket/platform.js";

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * A WebSocket server (compression offered) that answers each `response.create` with one text delta of
 * `deltaChars` characters; reports which extensions each connection negotiated.
 */
async function hostileServer(deltaChars: number) {
  const extensions: string[] = [];
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: true });
  servers.push(server);
  server.on("connection", (socket) => {
    extensions.push(socket.extensions);
    socket.on("message", () => {
      socket.send(
        JSON.stringify({
          type: "response.created",
          sequence_number: 0,
          response: { id: "resp_1", object: "response", status: "in_progress", output: [] },
        }),
      );
      socket.send(
        JSON.stringify({
          type: "response.output_text.delta",
          sequence_number: 1,
          item_id: "msg_1",
          output_index: 0,
          content_index: 0,
          delta: "A".repeat(deltaChars),
        }),
      );
    });
  });
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, extensions };
}

describe("connect(): the socket's own limits follow the client's bounds", () => {
  it("ws is opened without permessage-deflate and with maxPayload = maxEventBytes", async () => {
    const opened: unknown[] = [];
    class Recording {
      readyState = 0;
      constructor(...args: unknown[]) {
        opened.push(args[2]);
      }
      send(): void {}
      close(): void {}
      addEventListener(): void {}
    }
    const factory = await resolveSocketFactory(Recording as never);
    factory.open("ws://h/v1/responses", { a: "b" }, undefined, { maxPayload: 1234 });
    expect(opened[0]).toEqual({ headers: { a: "b" }, perMessageDeflate: false, maxPayload: 1234 });
  });

  it("a server offering compression gets none; a 5 MB message past maxEventBytes (1 MiB) fails the turn with a typed error", async () => {
    const server = await hostileServer(5 * 1024 * 1024);
    const client = new OpenResponses({ baseURL: server.url, apiKey: null, maxEventBytes: 1024 * 1024 });
    const session = client.responses.connect();
    try {
      const started = Date.now();
      const error = await session
        .create({ model: "m", input: "x" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseStreamError);
      expect((error as ResponseStreamError).kind).toBe("malformed");
      expect((error as Error).message).toMatch(/maxEventBytes/);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(server.extensions).toEqual([""]);
    } finally {
      await session.close();
    }
  });

  it("a message within maxEventBytes but past maxResponseBytes is still refused (the event bound never exceeds it)", async () => {
    const server = await hostileServer(300_000);
    const client = new OpenResponses({ baseURL: server.url, apiKey: null, maxResponseBytes: 100_000 });
    const session = client.responses.connect();
    try {
      const error = await session
        .create({ model: "m", input: "x" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseStreamError);
    } finally {
      await session.close();
    }
  });
});
