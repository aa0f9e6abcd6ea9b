/**
 * The client core at its edges: what happens after the terminal event over real HTTP, and
 * proof that leaving a loop early aborts the fetch itself.
 */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import type { FetchLike } from "../../src/core/options.js";
import { APIError, APIUserAbortError, OpenResponsesError, ResponseStreamError } from "../../src/errors.js";
import { sleep, sseFrame, startSSE, type TestServer, textStreamEvents, trackedServers } from "./helpers.js";

const serve = trackedServers();

const clientFor = (server: TestServer, extra: ConstructorParameters<typeof OpenResponses>[0] = {}) =>
  new OpenResponses({ baseURL: server.origin, maxRetries: 0, logLevel: "off", ...extra });

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await sleep(10);
}

/** Sends a whole text stream, terminal event included, without `[DONE]`; the caller decides what follows. */
function sendAllButDone(res: ServerResponse, text: string[]): void {
  startSSE(res);
  for (const event of textStreamEvents(text)) res.write(sseFrame(event));
}

describe("after the terminal event (observed in the wild: the terminal event, not [DONE], completes a response)", () => {
  it("S5: a connection reset after the terminal event loses nothing over the client's transport", async () => {
    const server = await serve((_req, res) => {
      sendAllButDone(res, ["Hel", "lo"]);
      setTimeout(() => res.socket?.destroy(), 30);
    });
    const stream = clientFor(server).responses.stream({ model: "m" });
    const final = await stream.finalResponse();
    expect(final.status).toBe("completed");
    expect(await stream.finalText()).toBe("Hello");
  });

  it("S5: iterating a stream whose connection drops after the terminal event ends quietly", async () => {
    const server = await serve((_req, res) => {
      sendAllButDone(res, ["Hel", "lo"]);
      setTimeout(() => res.socket?.destroy(), 30);
    });
    const types: string[] = [];
    for await (const event of clientFor(server).responses.stream({ model: "m" })) types.push(event.type);
    expect(types.at(-1)).toBe("response.completed");
  });

  it("S5: a server that keeps the connection open after the terminal event delays nothing", async () => {
    const closed: { at?: number } = {};
    let ended = false;
    const server = await serve((_req, res) => {
      sendAllButDone(res, ["Hel", "lo"]);
      res.on("close", () => {
        closed.at = Date.now();
      });
      // Bounded: the server itself ends the body after 8 s if the client never closes it.
      const timer = setTimeout(() => {
        ended = true;
        res.end();
      }, 8_000);
      res.on("close", () => clearTimeout(timer));
    });
    const started = Date.now();
    const stream = clientFor(server).responses.stream({ model: "m" });
    const final = await stream.finalResponse();
    expect(Date.now() - started).toBeLessThan(800);
    expect(final.status).toBe("completed");
    // The client closes the connection itself once the grace period (1 s) has passed.
    await waitFor(() => closed.at !== undefined, 5_000);
    expect(closed.at).toBeDefined();
    expect(ended).toBe(false);
    expect(closed.at! - started).toBeLessThan(4_000);
  });
});

describe("leaving a loop early aborts the fetch itself", () => {
  it("`break` aborts the signal fetch was given, and the server sees the socket close mid-write", async () => {
    const progress = { written: 0, total: 0, closedAt: -1 };
    const server = await serve((_req, res) => {
      startSSE(res);
      const events = textStreamEvents(Array.from({ length: 100 }, (_, i) => `d${i} `));
      progress.total = events.length;
      res.on("close", () => {
        progress.closedAt = progress.written;
      });
      // Slow on purpose (one event per 20 ms, ~2 s in all), so an early close is visible; bounded in count.
      const timer = setInterval(() => {
        if (progress.closedAt >= 0 || progress.written >= events.length) {
          clearInterval(timer);
          if (progress.closedAt < 0) res.end();
          return;
        }
        res.write(sseFrame(events[progress.written++]!));
      }, 20);
    });
    const signals: AbortSignal[] = [];
    const recordingFetch: FetchLike = (url, init) => {
      if (init.signal) signals.push(init.signal);
      return fetch(url, init);
    };
    let deltas = 0;
    for await (const event of clientFor(server, { fetch: recordingFetch }).responses.stream({ model: "m" })) {
      if (event.type === "response.output_text.delta" && ++deltas === 2) break;
    }
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    await waitFor(() => progress.closedAt >= 0);
    expect(progress.closedAt).toBeGreaterThanOrEqual(0);
    expect(progress.closedAt).toBeLessThan(progress.total);
  });
});

describe("PendingResponseStream.abort(reason)", () => {
  it("passes the reason on once the stream is open: finalResponse() rejects with it as the cause", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      res.write(sseFrame(textStreamEvents(["x"])[0]!));
      // Bounded: ends by itself if the client never closes.
      const timer = setTimeout(() => res.end(), 5_000);
      res.on("close", () => clearTimeout(timer));
    });
    const pending = clientFor(server).responses.stream({ model: "m" });
    await pending; // the headers have arrived
    pending.abort("user went away");
    const error = await pending.finalResponse().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as APIUserAbortError).cause).toBe("user went away");
  });
});

describe("no error contains the API key", () => {
  it("a key with a character headers reject gives a typed error without the key", async () => {
    const server = await serve((_req, res) => res.end());
    for (const key of [
      "sk-first\nsecond-half-9f8e7d",
      "sk-nul\u0000part-9f8e7d",
      "sk-dash\u2014part-9f8e7d",
    ]) {
      const client = clientFor(server, { apiKey: key });
      const error = await client.responses.create({ model: "m" }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OpenResponsesError);
      const text = `${(error as Error).message}\n${(error as Error).stack}\n${String((error as Error).cause)}`;
      expect(text).toMatch(/API key cannot be sent in the Authorization header/);
      expect(text).not.toContain("9f8e7d");
    }
    expect(server.requests).toHaveLength(0);
  });

  it("a per-request header with such a value is named, not quoted", async () => {
    const server = await serve((_req, res) => res.end());
    const error = await clientFor(server)
      .responses.create({ model: "m" }, { headers: { "x-gateway-token": "tok-line\nbreak-5a4b3c" } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OpenResponsesError);
    expect((error as Error).message).toContain('"x-gateway-token"');
    expect(`${(error as Error).message}${(error as Error).stack}`).not.toContain("5a4b3c");
  });

  it("an invalid authHeader name is reported as such", async () => {
    const server = await serve((_req, res) => res.end());
    const client = clientFor(server, { apiKey: "sk-valid-key-123456", authHeader: "api key" });
    const error = await client.responses.create({ model: "m" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/authHeader option is not a valid header name/);
    expect((error as Error).message).not.toContain("sk-valid-key-123456");
  });

  it("a non-JSON body that quotes the key leaves no trace of it in the error's cause", async () => {
    const key = "zz-custom-token-77aa"; // no well-known key shape: only its registration redacts it
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(key); // short, so JSON.parse quotes all of it
    });
    const error = await clientFor(server, { apiKey: key })
      .responses.create({ model: "m" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(APIError);
    const cause = (error as Error).cause as Error;
    expect(cause).toBeInstanceOf(Error);
    expect(cause.message).toMatch(/not valid JSON/);
    expect(`${cause.message}${cause.stack}${(error as Error).message}`).not.toContain(key);
  });

  it("an SSE data line that quotes the key is malformed, and its cause is redacted too", async () => {
    const key = "zz-stream-token-88bb";
    const server = await serve((_req, res) => {
      startSSE(res);
      res.end(`data: ${key}\n\n`);
    });
    const error = await clientFor(server, { apiKey: key })
      .responses.stream({ model: "m" })
      .finalResponse()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect((error as ResponseStreamError).kind).toBe("malformed");
    const cause = (error as Error).cause as Error;
    expect(cause.message).toMatch(/not valid JSON/);
    expect(`${cause.message}${cause.stack}${(error as Error).message}`).not.toContain(key);
  });
});
