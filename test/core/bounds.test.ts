/**
 * What a response may grow to and how long a call may take are bounded
 * (`maxResponseBytes`, `maxBodyBytes`, `totalTimeout`). A server that never stops, or never finishes,
 * ends in a typed error carrying what arrived, instead of a heap OOM or an endless wait.
 */
import { spawn } from "node:child_process";
import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { OpenResponses } from "../../src/client/index.js";
import { APIConnectionTimeoutError, ResponseStreamError, ResponseTooLargeError } from "../../src/errors.js";
import {
  sendJSON,
  sseFrame,
  startSSE,
  type TestServer,
  textStreamEvents,
  trackedServers,
} from "../client/helpers.js";

const serve = trackedServers();

const clientFor = (server: TestServer, extra: ConstructorParameters<typeof OpenResponses>[0] = {}) =>
  new OpenResponses({ baseURL: server.origin, maxRetries: 0, logLevel: "off", ...extra });

/** Writes the start of a text stream, then deltas for ever (until the client goes away, or 20 s). */
function endlessStream(res: ServerResponse, closed: { value: boolean }): void {
  startSSE(res);
  const events = textStreamEvents(["start"]);
  for (const event of events.slice(0, 5)) res.write(sseFrame(event));
  let sequence = 10;
  const delta = "x".repeat(1000);
  const started = Date.now();
  const pump = () => {
    if (res.destroyed || Date.now() - started > 20_000) return;
    let ok = true;
    for (let i = 0; i < 50 && ok; i++) {
      ok = res.write(
        sseFrame({
          type: "response.output_text.delta",
          item_id: "msg_1",
          output_index: 0,
          content_index: 0,
          delta,
          sequence_number: sequence++,
        }),
      );
    }
    if (ok) setImmediate(pump);
    else res.once("drain", pump);
  };
  res.on("close", () => {
    closed.value = true;
  });
  pump();
}

/** Writes a JSON body that never ends (an array of numbers), until the client goes away, or 20 s. */
function endlessJSON(res: ServerResponse, closed: { value: boolean }): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"id":"resp_1","object":"response","output":[');
  const chunk = "1,".repeat(5000);
  const started = Date.now();
  const pump = () => {
    if (res.destroyed || Date.now() - started > 20_000) return;
    if (res.write(chunk)) setImmediate(pump);
    else res.once("drain", pump);
  };
  res.on("close", () => {
    closed.value = true;
  });
  pump();
}

async function until(check: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
}

describe("maxResponseBytes: a stream that never ends stops at the bound", () => {
  it("fails with ResponseTooLargeError carrying the partial response, and closes the connection", async () => {
    const closed = { value: false };
    const server = await serve((_req, res) => endlessStream(res, closed));
    const client = clientFor(server, { maxResponseBytes: 200_000 });
    const error = await client.responses
      .stream({ model: "m" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toBeInstanceOf(ResponseStreamError);
    const tooLarge = error as ResponseTooLargeError;
    expect(tooLarge.kind).toBe("too_large");
    expect(tooLarge.limitName).toBe("maxResponseBytes");
    expect(tooLarge.limit).toBe(200_000);
    expect(tooLarge.receivedBytes).toBeGreaterThan(200_000);
    // Nothing streamed is lost: the text received before the bound is in the partial response.
    const message = tooLarge.partialResponse?.output[0] as { content: { text: string }[] };
    expect(message.content[0]?.text.startsWith("startxxx")).toBe(true);
    expect(message.content[0]?.text.length).toBeGreaterThan(100_000);
    expect(await until(() => closed.value)).toBe(true);
  });

  it("a per-request maxResponseBytes overrides the client's", async () => {
    const closed = { value: false };
    const server = await serve((_req, res) => endlessStream(res, closed));
    const client = clientFor(server, { maxResponseBytes: 1024 * 1024 * 1024 });
    const error = await client.responses
      .stream({ model: "m" }, { maxResponseBytes: 50_000 })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limit).toBe(50_000);
  });

  it("a stream within the bound is untouched, and the default bound is 256 MiB", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      for (const event of textStreamEvents(["Hel", "lo"])) res.write(sseFrame(event));
      res.end("data: [DONE]\n\n");
    });
    const client = clientFor(server);
    expect(client.maxResponseBytes).toBe(256 * 1024 * 1024);
    expect(client.maxBodyBytes).toBe(256 * 1024 * 1024);
    expect(await client.responses.stream({ model: "m" }).finalText()).toBe("Hello");
  });

  it("rejects a bound that is not a positive number", () => {
    expect(() => new OpenResponses({ maxResponseBytes: 0 })).toThrow(/maxResponseBytes/);
    expect(() => new OpenResponses({ maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
    expect(() => new OpenResponses({ totalTimeout: Number.NaN })).toThrow(/totalTimeout/);
  });
});

describe("maxBodyBytes: a JSON body that never ends stops at the bound", () => {
  it("fails with ResponseTooLargeError and cancels the body", async () => {
    const closed = { value: false };
    const server = await serve((_req, res) => endlessJSON(res, closed));
    const client = clientFor(server, { maxBodyBytes: 300_000 });
    const error = await client.responses.create({ model: "m" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    const tooLarge = error as ResponseTooLargeError;
    expect(tooLarge.limitName).toBe("maxBodyBytes");
    expect(tooLarge.partialResponse).toBeNull();
    expect(tooLarge.body?.startsWith('{"id":"resp_1"')).toBe(true);
    expect(await until(() => closed.value)).toBe(true);
  });

  it("a declared Content-Length over the bound fails before the body is read", async () => {
    const server = await serve((_req, res) => sendJSON(res, 200, { id: "r", pad: "y".repeat(5000) }));
    const error = await clientFor(server)
      .responses.create({ model: "m" }, { maxBodyBytes: 1000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).receivedBytes).toBeGreaterThan(5000);
  });

  it("a stream answered with an endless JSON body (S1 broken) stops at maxBodyBytes", async () => {
    const closed = { value: false };
    const server = await serve((_req, res) => endlessJSON(res, closed));
    const error = await clientFor(server, { maxBodyBytes: 100_000 })
      .responses.stream({ model: "m" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it("an endless error body is cut, and the error still reports the status", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      const started = Date.now();
      const pump = () => {
        if (res.destroyed || Date.now() - started > 20_000) return;
        if (res.write("oops ".repeat(2000))) setImmediate(pump);
        else res.once("drain", pump);
      };
      pump();
    });
    const error = await clientFor(server, { maxBodyBytes: 50_000 })
      .responses.create({ model: "m" })
      .catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(500);
    expect(String((error as { body?: unknown }).body).length).toBeLessThanOrEqual(50_000);
  });
});

describe("totalTimeout: a limit on the whole call, on top of the idle timeout", () => {
  it("a stream that keeps trickling (so the idle timeout never fires) ends at totalTimeout", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      for (const event of textStreamEvents(["a"]).slice(0, 5)) res.write(sseFrame(event));
      const timer = setInterval(() => {
        if (res.destroyed) clearInterval(timer);
        else res.write(": still here\n\n");
      }, 20);
      setTimeout(() => clearInterval(timer), 10_000);
      res.on("close", () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await clientFor(server, { timeout: 1000, totalTimeout: 400 })
      .responses.stream({ model: "m" })
      .finalResponse()
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect((error as ResponseStreamError).kind).toBe("interrupted");
    expect((error as ResponseStreamError).cause).toBeInstanceOf(APIConnectionTimeoutError);
    expect(String((error as Error).message)).toMatch(/total timeout of 400 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(3000);
  });

  it("a JSON body that trickles ends at totalTimeout with APIConnectionTimeoutError, never retried", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
      const timer = setInterval(() => {
        if (res.destroyed) clearInterval(timer);
        else res.write(" ");
      }, 20);
      setTimeout(() => clearInterval(timer), 10_000);
      res.on("close", () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await clientFor(server, { timeout: 1000, maxRetries: 3 })
      .responses.create({ model: "m" }, { totalTimeout: 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.requests).toHaveLength(1);
  });

  it("W3: a WebSocket turn that keeps trickling ends at the client's totalTimeout", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    wss.on("connection", (socket) => {
      socket.on("message", () => {
        const events = textStreamEvents(["a"]).slice(0, 5);
        for (const event of events) socket.send(JSON.stringify(event));
        let sequence = 10;
        const timer = setInterval(() => {
          socket.send(
            JSON.stringify({
              type: "response.output_text.delta",
              item_id: "msg_1",
              output_index: 0,
              content_index: 0,
              delta: "b",
              sequence_number: sequence++,
            }),
          );
        }, 20);
        setTimeout(() => clearInterval(timer), 10_000);
        socket.on("close", () => clearInterval(timer));
      });
    });
    const { port } = wss.address() as AddressInfo;
    const client = new OpenResponses({
      baseURL: `http://127.0.0.1:${port}/v1`,
      maxRetries: 0,
      logLevel: "off",
      timeout: 1000,
      totalTimeout: 400,
    });
    const session = client.responses.connect();
    const started = Date.now();
    try {
      const error = await session
        .create({ model: "m" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseStreamError);
      expect((error as ResponseStreamError).cause).toBeInstanceOf(APIConnectionTimeoutError);
      expect(String((error as Error).message)).toMatch(/total timeout of 400 ms/);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await session.close();
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });

  it("retries stop at totalTimeout: a wait that would pass it is not made", async () => {
    const server = await serve((_req, res) => sendJSON(res, 503, { error: { message: "busy" } }));
    const started = Date.now();
    const error = await clientFor(server, {
      maxRetries: 5,
      totalTimeout: 2000,
      // Every wait (at least 3.75 s with jitter) would pass the deadline: the first answer is final.
      retryTiming: { initialDelayMs: 5000, maxDelayMs: 5000, maxRetryAfterMs: 5000 },
    })
      .responses.create({ model: "m" })
      .catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
  });
});

/** Runs the endless-client fixture in a child process with `heapMb` of heap; resolves to how it ended. */
function runHeapLimitedClient(
  url: string,
  mode: "stream" | "json",
  limit: number,
  heapMb: number,
): Promise<{ code: number | null; outcome: string | null; stderr: string }> {
  const fixture = fileURLToPath(new URL("../client/fixtures/endless-client.ts", import.meta.url));
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, "--import", "tsx", fixture], {
    cwd: root,
    env: { ...process.env, ENDLESS_URL: url, ENDLESS_MODE: mode, ENDLESS_LIMIT: String(limit) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  // Bounded whatever happens: the child is killed after 40 s.
  const killer = setTimeout(() => child.kill("SIGKILL"), 40_000);
  return new Promise((resolve) => {
    child.on("exit", (code) => {
      clearTimeout(killer);
      const line = stdout.trim().split("\n").at(-1) ?? "";
      let outcome: string | null = null;
      try {
        outcome = (JSON.parse(line) as { outcome: string }).outcome;
      } catch {
        outcome = null;
      }
      resolve({ code, outcome, stderr: stderr.slice(-2000) });
    });
  });
}

describe("the bounds hold under a small heap, where the failure mode is an OOM", () => {
  it("an endless stream ends with ResponseTooLargeError in a 96 MB heap", async () => {
    const closed = { value: false };
    const server = await serve((_req, res) => endlessStream(res, closed));
    const result = await runHeapLimitedClient(server.origin, "stream", 16 * 1024 * 1024, 96);
    expect(result.stderr).not.toMatch(/heap out of memory/);
    expect(result.outcome).toBe("ResponseTooLargeError");
    expect(result.code).toBe(0);
  }, 60_000);

  it("an endless JSON body ends with ResponseTooLargeError in a 96 MB heap", async () => {
    const closed = { value: false };
    const server = await serve((_req, res) => endlessJSON(res, closed));
    const result = await runHeapLimitedClient(server.origin, "json", 16 * 1024 * 1024, 96);
    expect(result.stderr).not.toMatch(/heap out of memory/);
    expect(result.outcome).toBe("ResponseTooLargeError");
    expect(result.code).toBe(0);
  }, 60_000);
});
