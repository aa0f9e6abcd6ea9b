/**
 * Every error the Node adapter produces carries an E1 body (Node's own 400/431/408
 * answers have none), and a browser WebSocket upgrade must name an allowed Host (DNS rebinding).
 */
import { connect } from "node:net";
import { Duplex } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import { startServe } from "../../cli/spawn-cli.js";
import { scriptedModel } from "../kit/helpers.js";

let server: RunningServer;
beforeAll(async () => {
  server = await serve({
    handler: createResponsesHandler({ model: scriptedModel([{ type: "text", delta: "hi" }]) }),
    port: 0,
    allowedHosts: ["chat.example.test"],
  });
});
afterAll(() => server.close());

/** Sends raw bytes and resolves with everything the server answers before closing. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1");
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("end", () => resolve(text));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve(text);
    });
    socket.write(bytes);
  });
}

function e1Of(answer: string): { status: number; error: Record<string, unknown> } {
  const [head = "", body = ""] = answer.split("\r\n\r\n");
  expect(head.toLowerCase()).toContain("content-type: application/json");
  const parsed = JSON.parse(body) as { error: Record<string, unknown> };
  expect(Object.keys(parsed.error).sort()).toEqual(["code", "message", "param", "type"]);
  return { status: Number(head.split(" ")[1]), error: parsed.error };
}

describe("Node's own error answers carry an E1 body", () => {
  it("headers over Node's limit: 431 with an E1 body", async () => {
    const answer = await raw(`GET /v1/responses HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    const { status, error } = e1Of(answer);
    expect(status).toBe(431);
    expect(error.code).toBe("headers_too_large");
  });

  it("a request that is not HTTP: 400 with an E1 body", async () => {
    const { status, error } = e1Of(await raw("NOT HTTP AT ALL\r\n\r\n"));
    expect(status).toBe(400);
    expect(error.type).toBe("invalid_request");
  });

  it("a request timeout: 408 with an E1 body", async () => {
    let written = "";
    const socket = new Duplex({
      read() {},
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    const timeout = Object.assign(new Error("Request timeout"), { code: "ERR_HTTP_REQUEST_TIMEOUT" });
    (server.server as unknown as import("node:http").Server).emit("clientError", timeout, socket);
    await new Promise((resolve) => setImmediate(resolve));
    const { status, error } = e1Of(written);
    expect(status).toBe(408);
    expect(error.code).toBe("request_timeout");
  });
});

const upgradeTo = (port: number, headers: Record<string, string>) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/responses`, { headers });
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("error", () => resolve(-1));
  });

describe("WebSocket upgrades from browser pages need an allowed Host", () => {
  const upgrade = (headers: Record<string, string>) => upgradeTo(server.port, headers);

  it("Origin and Host both naming an attacker's host (DNS rebinding) are refused with 403", async () => {
    const host = `evil.example:${server.port}`;
    expect(await upgrade({ origin: `http://${host}`, host })).toBe(403);
  });

  it("same-origin pages on localhost, an IP address or a configured name get in; so do non-browser clients", async () => {
    const port = server.port;
    expect(await upgrade({ origin: `http://localhost:${port}`, host: `localhost:${port}` })).toBe(101);
    expect(await upgrade({ origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` })).toBe(101);
    expect(await upgrade({ origin: `http://[::1]:${port}`, host: `[::1]:${port}` })).toBe(101);
    expect(
      await upgrade({ origin: `http://chat.example.test:${port}`, host: `chat.example.test:${port}` }),
    ).toBe(101);
    expect(await upgrade({ host: `evil.example:${port}` })).toBe(101);
  });
});

describe("openresponses serve --allowed-hosts", () => {
  it("admits a same-origin page under a listed name and refuses another name", async () => {
    const { child, url } = await startServe(["--allowed-hosts", "chat.example.test, other.test"]);
    try {
      const port = Number(new URL(url).port);
      const named = (name: string) => ({ origin: `http://${name}:${port}`, host: `${name}:${port}` });
      expect(await upgradeTo(port, named("chat.example.test"))).toBe(101);
      expect(await upgradeTo(port, named("other.test"))).toBe(101);
      expect(await upgradeTo(port, named("evil.example"))).toBe(403);
    } finally {
      child.kill("SIGKILL");
    }
  }, 40_000);
});
