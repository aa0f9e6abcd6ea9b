import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "../../src/errors.js";
import { rejection } from "../support/thrown.js";
import { recordingLogger, sendJSON, startServer, type TestServer } from "./helpers.js";

/** Everything an error could leak through: message, stack, fields, cause chain. */
function dumpError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(String(current.message), String(current.stack));
      parts.push(JSON.stringify({ ...current }));
      current = current.cause;
    } else {
      parts.push(JSON.stringify(current));
      current = undefined;
    }
  }
  return parts.join("\n");
}

describe("HTTP errors map to typed classes (E1, E2)", () => {
  let server: TestServer;
  // The test names the answer in the path: /v1/responses?status=404&shape=spec
  beforeAll(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url, "http://x");
      const status = Number(url.searchParams.get("status"));
      const shape = url.searchParams.get("shape");
      const headers = { "x-request-id": `req_${status}` };
      switch (shape) {
        case "spec":
          return sendJSON(
            res,
            status,
            {
              error: {
                message: `failure ${status}`,
                type: "invalid_request",
                code: "bad_thing",
                param: "input",
              },
            },
            headers,
          );
        case "bare-string":
          return sendJSON(res, status, { error: "model not loaded" }, headers);
        case "detail-string":
          return sendJSON(res, status, { detail: "Not authenticated" });
        case "detail-list":
          return sendJSON(res, status, {
            detail: [
              { loc: ["body", "model"], msg: "field required", type: "missing" },
              { loc: ["body", "input"], msg: "invalid", type: "value_error" },
            ],
          });
        case "message":
          return sendJSON(res, status, { message: "quota exhausted", code: 42 });
        case "html": {
          res.writeHead(status, { "content-type": "text/html" });
          const filler = "<p>nginx</p>".repeat(2000);
          return res.end(`<html><head><title>502 Bad Gateway</title></head><body>${filler}</body></html>`);
        }
        case "html-no-type":
          res.writeHead(status, { "request-id": "alt_req" });
          return res.end("<!DOCTYPE html><html><body>Gateway Timeout</body></html>");
        case "plain":
          res.writeHead(status, { "content-type": "text/plain" });
          return res.end("upstream   connect error\n  or disconnect");
        default:
          res.writeHead(status);
          return res.end();
      }
    });
  });
  afterAll(() => server.close());

  const client = () => new OpenResponses({ baseURL: server.origin, maxRetries: 0 });
  const failWith = (status: number, shape: string) =>
    rejection(client().responses.create({ model: "m" }, { query: { status: String(status), shape } }));

  const cases: [number, new (...args: never[]) => APIError][] = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, APIError],
  ];
  for (const [status, ErrorClass] of cases) {
    it(`E1: ${status} becomes ${ErrorClass.name} with status, type, code, param, request id, headers, body`, async () => {
      const error = await failWith(status, "spec");
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(APIError);
      const e = error as APIError;
      expect(e.name).toBe(ErrorClass.name);
      expect(e.status).toBe(status);
      expect(e.message).toBe(`${status} failure ${status}`);
      expect(e.type).toBe("invalid_request");
      expect(e.code).toBe("bad_thing");
      expect(e.param).toBe("input");
      expect(e.requestId).toBe(`req_${status}`);
      expect(e.headers["x-request-id"]).toBe(`req_${status}`);
      expect(e.body).toEqual({
        error: { message: `failure ${status}`, type: "invalid_request", code: "bad_thing", param: "input" },
      });
    });
  }

  it("a bare string `error` gives its text as the message", async () => {
    const e = (await failWith(500, "bare-string")) as APIError;
    expect(e).toBeInstanceOf(InternalServerError);
    expect(e.message).toBe("500 model not loaded");
  });

  it("FastAPI `{detail}` as a string and as a validation list give one readable line", async () => {
    expect(((await failWith(401, "detail-string")) as APIError).message).toBe("401 Not authenticated");
    const e = (await failWith(422, "detail-list")) as APIError;
    expect(e).toBeInstanceOf(UnprocessableEntityError);
    expect(e.message).toBe("422 body.model: field required; body.input: invalid");
  });

  it("`{message, code}` at the top level is read too", async () => {
    const e = (await failWith(429, "message")) as APIError;
    expect(e.message).toBe("429 quota exhausted");
    expect(e.code).toBe("42");
  });

  it("an HTML page from a proxy on 502 becomes a short line naming it", async () => {
    const e = (await failWith(502, "html")) as APIError;
    expect(e).toBeInstanceOf(InternalServerError);
    expect(e.message).toBe("502 Bad Gateway (HTML body from a proxy)");
    expect(typeof e.body).toBe("string");
  });

  it("HTML without a content type on 504 is recognised, and `request-id` is read", async () => {
    const e = (await failWith(504, "html-no-type")) as APIError;
    expect(e.message).toBe("504 Gateway Timeout (HTML body from a proxy)");
    expect(e.requestId).toBe("alt_req");
  });

  it("plain text is collapsed to one line; an empty body names the status", async () => {
    expect(((await failWith(500, "plain")) as APIError).message).toBe(
      "500 upstream connect error or disconnect",
    );
    const empty = (await failWith(404, "empty")) as APIError;
    expect(empty).toBeInstanceOf(NotFoundError);
    expect(empty.message).toBe("404 Not Found (no body)");
    expect(empty.body).toBe("");
  });
});

describe("no error, log line or stack contains the API key", () => {
  const KEY = "zq-gateway-credential-7731";
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      // The worst kind of server: it echoes the key back in the body and in a header.
      const auth = String(req.headers.authorization ?? req.headers["api-key"] ?? "");
      const url = new URL(req.url, "http://x");
      if (url.searchParams.get("mode") === "json-ok") {
        res.writeHead(200, { "content-type": "application/json", "x-echo": auth });
        return res.end(`not json, but here is your key: ${auth}`);
      }
      sendJSON(
        res,
        401,
        { error: { message: `Incorrect API key provided: ${auth}`, type: "auth", code: null, param: null } },
        { "x-echo-auth": auth, "x-request-id": "req_leak" },
      );
    });
  });
  afterAll(() => server.close());

  it("a key echoed in the error body and in a header is redacted everywhere", async () => {
    const { lines, logger } = recordingLogger();
    const client = new OpenResponses({ baseURL: server.origin, apiKey: KEY, logLevel: "debug", logger });
    const error = await rejection(client.responses.create({ model: "m" }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as APIError).message).toContain("Incorrect API key provided");
    expect(dumpError(error)).not.toContain(KEY);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => l.text).join("\n")).not.toContain(KEY);
  });

  it("a key resolved by an async function is registered and redacted", async () => {
    const rotated = "rotated-credential-5521-abc";
    const client = new OpenResponses({
      baseURL: server.origin,
      apiKey: async () => rotated,
      authHeader: "api-key",
    });
    const error = await rejection(client.responses.create({ model: "m" }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(dumpError(error)).not.toContain(rotated);
  });

  it("a credential set through defaultHeaders is redacted too", async () => {
    const headerKey = "hdr-only-credential-4410";
    const echo = await startServer((req, res) =>
      sendJSON(res, 403, { error: { message: `key ${String(req.headers["x-api-key"])} is not allowed` } }),
    );
    try {
      const client = new OpenResponses({ baseURL: echo.origin, defaultHeaders: { "x-api-key": headerKey } });
      const error = await rejection(client.responses.create({ model: "m" }));
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect((error as Error).message).toBe("403 key [redacted] is not allowed");
      expect(dumpError(error)).not.toContain(headerKey);
    } finally {
      await echo.close();
    }
  });

  it("a key in a query parameter never reaches a connection error", async () => {
    const queryKey = "query-secret-val-9901";
    // A port that was just released: nothing listens there, so the connection is refused.
    const closed = await startServer(() => undefined);
    await closed.close();
    const client = new OpenResponses({
      baseURL: `${closed.origin}/v1`,
      defaultQuery: { key: queryKey },
      maxRetries: 0,
    });
    const error = await rejection(client.responses.create({ model: "m" }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).url).toBe(`${closed.origin}/v1/responses`);
    expect((error as Error).message).toContain(`could not reach ${closed.origin}/v1/responses (`);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(dumpError(error)).not.toContain(queryKey);
  });

  it("a key in the base URL's query is registered and redacted from echoed bodies", async () => {
    const baseKey = "base-url-query-key-3321";
    const echo = await startServer((req, res) =>
      sendJSON(res, 400, { error: { message: `bad url ${req.url}` } }),
    );
    try {
      const client = new OpenResponses({ baseURL: `${echo.origin}/v1?api_key=${baseKey}` });
      const error = await rejection(client.responses.create({ model: "m" }));
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as Error).message).toBe("400 bad url /v1/responses?api_key=[redacted]");
      expect(dumpError(error)).not.toContain(baseKey);
    } finally {
      await echo.close();
    }
  });

  it("a 200 answer that is not JSON gives a typed error without the echoed key", async () => {
    const client = new OpenResponses({ baseURL: server.origin, apiKey: KEY });
    const error = await rejection(client.responses.create({ model: "m" }, { query: { mode: "json-ok" } }));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toMatch(/not JSON/);
    expect(dumpError(error)).not.toContain(KEY);
  });
});
