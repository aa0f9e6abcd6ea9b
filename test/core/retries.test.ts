import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import {
  backoffDelay,
  DEFAULT_RETRY_TIMING,
  isRetryableStatus,
  shouldRetryResponse,
} from "../../src/core/retry.js";
import { retryWait, serverRequestedDelay } from "../../src/core/retry-after.js";
import {
  APIConnectionError,
  APIUserAbortError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
  ResponseStreamError,
} from "../../src/errors.js";
import {
  FAST_RETRIES,
  type Handler,
  recordingLogger,
  responseResource,
  sendJSON,
  sseFrame,
  startServer,
  startSSE,
  type TestServer,
  textStreamEvents,
  trackedServers,
} from "../client/helpers.js";

const serve = trackedServers();

const clientFor = (server: TestServer, extra: ConstructorParameters<typeof OpenResponses>[0] = {}) =>
  new OpenResponses({ baseURL: server.origin, retryTiming: FAST_RETRIES, logLevel: "off", ...extra });

const ok = (res: Parameters<Handler>[1]) => sendJSON(res, 200, responseResource("done"));

describe("retry policy (unit)", () => {
  it("retries 408, 409, 429 and 5xx only", () => {
    expect([408, 409, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
  });

  it("x-should-retry overrides the status either way", () => {
    expect(shouldRetryResponse(503, new Headers({ "x-should-retry": "false" }))).toBe(false);
    expect(shouldRetryResponse(400, new Headers({ "x-should-retry": "true" }))).toBe(true);
    expect(shouldRetryResponse(400, new Headers({ "x-should-retry": "maybe" }))).toBe(false);
  });

  it("reads retry-after-ms, retry-after in seconds and as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(serverRequestedDelay(new Headers({ "retry-after-ms": "250" }), now)).toBe(250);
    expect(serverRequestedDelay(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(serverRequestedDelay(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now)).toBe(
      5000,
    );
    expect(serverRequestedDelay(new Headers({ "retry-after": "Wed, 31 Dec 2025 00:00:00 GMT" }), now)).toBe(
      0,
    );
    expect(serverRequestedDelay(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(serverRequestedDelay(new Headers({ "retry-after-ms": "-5", "retry-after": "1" }), now)).toBe(1000);
  });

  it("caps a server-requested wait at maxRetryAfterMs (60 s by default)", () => {
    expect(retryWait(0, new Headers({ "retry-after": "3600" }), DEFAULT_RETRY_TIMING, "u").delay).toBe(
      60_000,
    );
  });

  it("warns when it waits less than the server asked for, and only then", () => {
    const url = "https://api.example.test/v1/responses";
    expect(retryWait(0, new Headers({ "retry-after": "3600" }), DEFAULT_RETRY_TIMING, url)).toEqual({
      delay: 60_000,
      capped: `${url} asked to wait 3600000 ms; waiting the cap, 60000 ms`,
    });
    expect(retryWait(0, new Headers({ "retry-after-ms": "250" }), DEFAULT_RETRY_TIMING, url)).toEqual({
      delay: 250,
      capped: undefined,
    });
    const backoff = retryWait(0, new Headers(), DEFAULT_RETRY_TIMING, url);
    expect(backoff.capped).toBeUndefined();
    expect(backoff.delay).toBeGreaterThanOrEqual(375);
    expect(backoff.delay).toBeLessThanOrEqual(500);
  });

  it("backs off exponentially from 0.5 s to 8 s with up to 25% jitter", () => {
    const none = () => 0;
    const full = () => 1;
    expect(backoffDelay(0, DEFAULT_RETRY_TIMING, none)).toBe(500);
    expect(backoffDelay(1, DEFAULT_RETRY_TIMING, none)).toBe(1000);
    expect(backoffDelay(3, DEFAULT_RETRY_TIMING, none)).toBe(4000);
    expect(backoffDelay(10, DEFAULT_RETRY_TIMING, none)).toBe(8000);
    expect(backoffDelay(0, DEFAULT_RETRY_TIMING, full)).toBe(375);
  });
});

describe("retries against a real server", () => {
  it("429 then success: waits retry-after-ms and reuses the same Idempotency-Key", async () => {
    const server = await serve((_req, res, index) =>
      index === 0
        ? sendJSON(
            res,
            429,
            { error: { message: "slow down", type: "too_many_requests" } },
            { "retry-after-ms": "20" },
          )
        : ok(res),
    );
    const started = Date.now();
    const response = await clientFor(server).responses.create({ model: "m" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(response.output_text).toBe("done");
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first!.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.headers["idempotency-key"]).toBe(first!.headers["idempotency-key"]);
  });

  it("retry-after in seconds (0) is honoured too", async () => {
    const server = await serve((_req, res, index) =>
      index === 0 ? sendJSON(res, 503, { error: "busy" }, { "retry-after": "0" }) : ok(res),
    );
    await clientFor(server).responses.create({ model: "m" });
    expect(server.requests).toHaveLength(2);
  });

  it("a far-away retry-after is capped and logged as a warning", async () => {
    const { lines, logger } = recordingLogger();
    const server = await serve((_req, res, index) =>
      index === 0 ? sendJSON(res, 429, { error: "later" }, { "retry-after": "3600" }) : ok(res),
    );
    const started = Date.now();
    await clientFor(server, { logLevel: "warn", logger }).responses.create({ model: "m" });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(lines.some((l) => l.level === "warn" && /asked to wait 3600000 ms/.test(l.text))).toBe(true);
  });

  it("separate calls get separate keys; a given idempotencyKey is used on every attempt", async () => {
    const server = await serve((_req, res, index) =>
      index === 1 ? sendJSON(res, 500, { error: "x" }) : ok(res),
    );
    const client = clientFor(server);
    await client.responses.create({ model: "m" });
    await client.responses.create({ model: "m" }, { idempotencyKey: "my-key-1" });
    const keys = server.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[1]).toBe("my-key-1");
    expect(keys[2]).toBe("my-key-1");
  });

  it("503 with x-should-retry: false is not retried", async () => {
    const server = await serve((_req, res) =>
      sendJSON(res, 503, { error: "no" }, { "x-should-retry": "false" }),
    );
    await expect(clientFor(server).responses.create({ model: "m" })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(server.requests).toHaveLength(1);
  });

  it("400 is not retried, unless the server says x-should-retry: true", async () => {
    const plain = await serve((_req, res) => sendJSON(res, 400, { error: { message: "bad" } }));
    await expect(clientFor(plain).responses.create({ model: "m" })).rejects.toBeInstanceOf(BadRequestError);
    expect(plain.requests).toHaveLength(1);
    const told = await serve((_req, res, index) =>
      index === 0 ? sendJSON(res, 400, { error: { message: "bad" } }, { "x-should-retry": "true" }) : ok(res),
    );
    await clientFor(told).responses.create({ model: "m" });
    expect(told.requests).toHaveLength(2);
  });

  it("408 and 409 are retried", async () => {
    const server = await serve((_req, res, index) =>
      index === 0 ? sendJSON(res, 408, {}) : index === 1 ? sendJSON(res, 409, {}) : ok(res),
    );
    await clientFor(server).responses.create({ model: "m" });
    expect(server.requests).toHaveLength(3);
  });

  it("the retry count is bounded by maxRetries (client and per request)", async () => {
    const server = await serve((_req, res) => sendJSON(res, 500, { error: { message: "down" } }));
    await expect(
      clientFor(server, { maxRetries: 3 }).responses.create({ model: "m" }),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(4);
    await expect(clientFor(server).responses.create({ model: "m" }, { maxRetries: 0 })).rejects.toThrow(
      /500 down/,
    );
    expect(server.requests).toHaveLength(5);
    await expect(clientFor(server).responses.create({ model: "m" })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(server.requests).toHaveLength(8); // the default: 2 retries
  });

  it("a dropped connection is retried, then succeeds", async () => {
    const server = await serve((_req, res, index) => (index === 0 ? res.socket?.destroy() : ok(res)));
    const response = await clientFor(server).responses.create({ model: "m" });
    expect(response.output_text).toBe("done");
    expect(server.requests).toHaveLength(2);
  });

  it("connection refused is retried and ends in APIConnectionError", async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    let calls = 0;
    const client = new OpenResponses({
      baseURL: closed.origin,
      retryTiming: FAST_RETRIES,
      logLevel: "off",
      maxRetries: 2,
      fetch: (url, init) => {
        calls++;
        return fetch(url, init);
      },
    });
    await expect(client.responses.create({ model: "m" })).rejects.toBeInstanceOf(APIConnectionError);
    expect(calls).toBe(3);
  });

  it("a stream is retried before its headers (503), then streams", async () => {
    const server = await serve((_req, res, index) => {
      if (index === 0) return sendJSON(res, 503, { error: "warming up" }, { "retry-after-ms": "1" });
      startSSE(res);
      for (const event of textStreamEvents(["a", "b"])) res.write(sseFrame(event));
      res.end();
    });
    expect(await clientFor(server).responses.stream({ model: "m" }).finalText()).toBe("ab");
    expect(server.requests).toHaveLength(2);
  });

  it("a stream that has begun is never retried, even when it is cut", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      const events = textStreamEvents(["a", "b", "c"]);
      for (const event of events.slice(0, 5)) res.write(sseFrame(event));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await clientFor(server, { maxRetries: 5 })
      .responses.stream({ model: "m" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect(server.requests).toHaveLength(1);
  });

  it("aborting during the wait between retries rejects with APIUserAbortError at once", async () => {
    const server = await serve((_req, res) =>
      sendJSON(res, 429, { error: "x" }, { "retry-after-ms": "10000" }),
    );
    const controller = new AbortController();
    const quiet = () => {};
    const client = new OpenResponses({
      baseURL: server.origin,
      logLevel: "info",
      // The client logs a retry just before it starts to wait: the abort comes once that wait runs.
      logger: {
        error: quiet,
        warn: quiet,
        debug: quiet,
        info: (message: string) => {
          if (message.includes("retry 1 of")) setTimeout(() => controller.abort(), 20);
        },
      },
      retryTiming: { maxRetryAfterMs: 60_000 },
    });
    const pending = client.responses.create({ model: "m" }, { signal: controller.signal });
    const started = Date.now();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.requests).toHaveLength(1);
  });

  it("RateLimitError is what remains when every retry is rate-limited", async () => {
    const server = await serve((_req, res) => sendJSON(res, 429, { error: "x" }, { "retry-after-ms": "1" }));
    await expect(
      clientFor(server, { maxRetries: 1 }).responses.create({ model: "m" }),
    ).rejects.toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(2);
  });
});
