import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InternalServerError,
  ResponseStreamError,
} from "../../src/errors.js";
import { rejection } from "../support/thrown.js";
import {
  responseResource,
  sendJSON,
  sleep,
  sseFrame,
  startSSE,
  type TestServer,
  textStreamEvents,
  trackedServers,
} from "./helpers.js";

const serve = trackedServers();

const clientFor = (server: TestServer, extra: ConstructorParameters<typeof OpenResponses>[0] = {}) =>
  new OpenResponses({ baseURL: server.origin, maxRetries: 0, logLevel: "off", ...extra });

/** When the server saw the connection close, and whether it had sent the whole stream by then. */
interface Closed {
  at?: number;
  completed?: boolean;
}

/** Writes the events of a 50-delta stream one at a time, `gapMs` apart, until the client goes away. */
/** An idle timeout that interrupted the stream, its partial response holding the message `text`. */
function expectIdleTimeoutKeeping(error: unknown, text: string): void {
  expect(error).toBeInstanceOf(ResponseStreamError);
  const e = error as ResponseStreamError;
  expect(e.kind).toBe("interrupted");
  expect(e.cause).toBeInstanceOf(APIConnectionTimeoutError);
  expect(e.message).toMatch(/idle timeout/);
  const message = e.partialResponse?.output[0];
  expect(message?.type === "message" && message.content[0]).toMatchObject({ text });
}

function slowStream(res: ServerResponse, gapMs: number, closed: Closed) {
  startSSE(res);
  res.on("close", () => {
    closed.at = Date.now();
  });
  const deltas = Array.from({ length: 50 }, (_, i) => `d${i} `);
  const events = textStreamEvents(deltas);
  let i = 0;
  const timer = setInterval(() => {
    if (closed.at !== undefined || i >= events.length) {
      clearInterval(timer);
      if (closed.at === undefined) {
        closed.completed = true;
        res.end();
      }
      return;
    }
    res.write(sseFrame(events[i++]!));
  }, gapMs);
}

async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await sleep(10);
}

describe("stream faults keep the partial response", () => {
  it("a connection reset mid-stream gives ResponseStreamError(interrupted) with the text so far", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      const events = textStreamEvents(["partial ", "text", " lost"]);
      for (const event of events.slice(0, 6)) res.write(sseFrame(event)); // up to the 2nd delta
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await rejection(clientFor(server).responses.stream({ model: "m" }).finalResponse());
    expect(error).toBeInstanceOf(ResponseStreamError);
    const e = error as ResponseStreamError;
    expect(e.kind).toBe("interrupted");
    const message = e.partialResponse?.output[0];
    expect(message?.type === "message" && message.content[0]).toMatchObject({ text: "partial text" });
    expect(e.cause).toBeInstanceOf(APIConnectionError);
  });

  it("S5: a body that ends without a terminal event is interrupted, not completed", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      for (const event of textStreamEvents(["only"]).slice(0, 5)) res.write(sseFrame(event));
      res.end();
    });
    const error = await rejection(clientFor(server).responses.stream({ model: "m" }).finalResponse());
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect((error as ResponseStreamError).kind).toBe("interrupted");
    expect((error as ResponseStreamError).partialResponse?.id).toBe("resp_1");
  });

  it("bad JSON in a data line fails the stream with a typed error and the partial response", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      for (const event of textStreamEvents(["x"]).slice(0, 3)) res.write(sseFrame(event));
      res.end("event: response.output_text.delta\ndata: {not json\n\n");
    });
    const error = await rejection(clientFor(server).responses.stream({ model: "m" }).finalResponse());
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect((error as ResponseStreamError).partialResponse?.id).toBe("resp_1");
  });

  it("an HTML 502 from a proxy on a stream request is an InternalServerError, not a stream", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
    });
    const error = await rejection(clientFor(server).responses.stream({ model: "m" }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as Error).message).toBe("502 Bad Gateway (HTML body from a proxy)");
  });
});

describe("timeouts", () => {
  it("a server that never answers hits the timeout: APIConnectionTimeoutError naming the URL", async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await rejection(clientFor(server, { timeout: 150 }).responses.create({ model: "m" }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toBe(`Request to ${server.origin}/v1/responses timed out after 150 ms.`);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("timeouts are retried like other connection errors, and the per-request timeout wins", async () => {
    const server = await serve(() => undefined);
    const client = clientFor(server, { timeout: 60_000, maxRetries: 1, retryTiming: { initialDelayMs: 1 } });
    // Long enough for each attempt to reach the server on a busy machine before its timeout fires.
    const error = await rejection(client.responses.create({ model: "m" }, { timeout: 250 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    // The server runs in this process: it may read the second request just after the client gave up.
    await waitFor(() => server.requests.length >= 2);
    expect(server.requests).toHaveLength(2);
  });

  it("for JSON the timeout covers the whole body, not only the headers", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.flushHeaders();
      res.write('{"id":'); // ...and nothing more
    });
    const error = await rejection(clientFor(server, { timeout: 150 }).responses.create({ model: "m" }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it("for streams the timeout is an idle timeout: a long stream with short gaps completes", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      const events = textStreamEvents(Array.from({ length: 60 }, () => "x"));
      let i = 0;
      const timer = setInterval(() => {
        if (i >= events.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(sseFrame(events[i++]!));
      }, 20);
    });
    // 67 events x 20 ms = ~1.3 s in total, past the 1 s timeout, but never 1 s of silence. (The server
    // runs in this process: a timeout near the gaps would fire when a busy machine stalls the process,
    // whose timers run before it reads the data that arrived meanwhile.)
    const started = Date.now();
    const text = await clientFor(server, { timeout: 1000 }).responses.stream({ model: "m" }).finalText();
    expect(text).toBe("x".repeat(60));
    expect(Date.now() - started).toBeGreaterThan(1000);
  });

  it("a stream that goes silent hits the idle timeout, keeping the partial response", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      for (const event of textStreamEvents(["before ", "silence"]).slice(0, 5)) res.write(sseFrame(event));
    });
    // `timeout` bounds the wait for the headers too: long enough that they arrive on a busy machine.
    const error = await rejection(
      clientFor(server, { timeout: 1000 }).responses.stream({ model: "m" }).finalResponse(),
    );
    expectIdleTimeoutKeeping(error, "before ");
  });

  it("an idle timeout after many chunks: the silence is timed from the last data, every event before it kept", async () => {
    let lastWrite = 0;
    const deltas = Array.from({ length: 120 }, (_, i) => `d${i} `);
    const server = await serve((_req, res) => {
      startSSE(res);
      // Every event but the last few, one write each 10 ms (well past the timeout in all), then silence.
      const events = textStreamEvents(deltas).slice(0, -4);
      let i = 0;
      const timer = setInterval(() => {
        if (i >= events.length) {
          clearInterval(timer);
          return;
        }
        res.write(sseFrame(events[i++]!));
        lastWrite = Date.now();
      }, 10);
      res.on("close", () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await rejection(
      clientFor(server, { timeout: 600 }).responses.stream({ model: "m" }).finalResponse(),
    );
    const failedAt = Date.now();
    expectIdleTimeoutKeeping(error, deltas.join(""));
    // The data flowed for longer than the timeout; the timeout counts only the silence after it (a
    // timer set at the first read and not moved by the later ones would have fired mid-stream).
    expect(lastWrite - started).toBeGreaterThan(600);
    expect(failedAt - lastWrite).toBeGreaterThanOrEqual(590);
  });

  it("a stream whose headers never arrive hits the timeout before it opens", async () => {
    const server = await serve(() => undefined);
    const error = await rejection(clientFor(server, { timeout: 100 }).responses.stream({ model: "m" }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });
});

describe("abort", () => {
  it("an already aborted signal rejects at once and sends nothing", async () => {
    const server = await serve((_req, res) => sendJSON(res, 200, responseResource("x")));
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      clientFor(server).responses.create({ model: "m" }, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it("aborting the signal while waiting for a JSON answer rejects with APIUserAbortError", async () => {
    const controller = new AbortController();
    // The server never answers; the abort comes once it holds the request, so the client is waiting.
    const server = await serve(() => {
      controller.abort();
    });
    const pending = clientFor(server, { maxRetries: 2 }).responses.create(
      { model: "m" },
      { signal: controller.signal },
    );
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  it("aborting the signal mid-stream ends iteration with APIUserAbortError and closes the connection", async () => {
    const closed: Closed = {};
    const server = await serve((_req, res) => slowStream(res, 10, closed));
    const controller = new AbortController();
    const stream = await clientFor(server).responses.stream({ model: "m" }, { signal: controller.signal });
    let deltas = 0;
    const error = await (async () => {
      try {
        for await (const event of stream) {
          if (event.type === "response.output_text.delta" && ++deltas === 2) controller.abort();
        }
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(APIUserAbortError);
    await waitFor(() => closed.at !== undefined);
    expect(closed.at).toBeDefined();
    expect(closed.completed).toBeUndefined(); // closed by the client, not by the end of the stream
  });

  it("`break` in for-await aborts the underlying fetch", async () => {
    const closed: Closed = {};
    const server = await serve((_req, res) => slowStream(res, 10, closed));
    let deltas = 0;
    for await (const event of clientFor(server).responses.stream({ model: "m" })) {
      if (event.type === "response.output_text.delta" && ++deltas === 2) break;
    }
    await waitFor(() => closed.at !== undefined);
    expect(closed.at).toBeDefined();
    expect(closed.completed).toBeUndefined(); // closed by the client, not by the end of the stream
    expect(deltas).toBe(2);
  });

  it("stream.abort() closes the connection and finalResponse() rejects with APIUserAbortError", async () => {
    const closed: Closed = {};
    const server = await serve((_req, res) => slowStream(res, 10, closed));
    const stream = await clientFor(server).responses.stream({ model: "m" });
    const final = stream.finalResponse();
    await sleep(40);
    stream.abort();
    await expect(final).rejects.toBeInstanceOf(APIUserAbortError);
    await waitFor(() => closed.at !== undefined);
    expect(closed.at).toBeDefined();
    expect(closed.completed).toBeUndefined(); // closed by the client, not by the end of the stream
  });

  it("abort() on a pending stream() before the headers arrive rejects with APIUserAbortError", async () => {
    const server = await serve(() => undefined);
    const pending = clientFor(server).responses.stream({ model: "m" });
    setTimeout(() => pending.abort(), 30);
    await expect(pending.finalResponse()).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
