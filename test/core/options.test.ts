import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { buildURL, DEFAULT_BASE_URL, normalizeBaseURL, stripCredentials } from "../../src/core/base-url.js";
import { readEnv } from "../../src/core/env.js";
import { OpenResponsesError } from "../../src/errors.js";
import {
  recordingLogger,
  responseResource,
  sendJSON,
  startServer,
  type TestServer,
} from "../client/helpers.js";

describe("base URL rule (H2)", () => {
  it("uses a URL with a path as given", () => {
    expect(normalizeBaseURL("https://host/v1")).toBe("https://host/v1");
    expect(normalizeBaseURL("https://host/api/v1beta/openai")).toBe("https://host/api/v1beta/openai");
    expect(normalizeBaseURL("https://host/api/v1beta/openai/")).toBe("https://host/api/v1beta/openai");
  });

  it("turns a bare origin into {origin}/v1, with or without a trailing slash", () => {
    expect(normalizeBaseURL("http://localhost:1234")).toBe("http://localhost:1234/v1");
    expect(normalizeBaseURL("http://localhost:1234/")).toBe("http://localhost:1234/v1");
  });

  it("keeps a query string on the base and joins endpoint paths before it", () => {
    const base = normalizeBaseURL("https://host/openai?api-version=2025-01-01");
    expect(buildURL(base, "/responses")).toBe("https://host/openai/responses?api-version=2025-01-01");
    expect(buildURL(base, "responses/compact", { extra: "1", skipped: undefined })).toBe(
      "https://host/openai/responses/compact?api-version=2025-01-01&extra=1",
    );
  });

  it("rejects a relative or non-http URL with a typed error", () => {
    expect(() => normalizeBaseURL("localhost:1234/v1")).toThrow(OpenResponsesError);
    expect(() => normalizeBaseURL("/v1")).toThrow(/not an absolute URL/);
    expect(() => normalizeBaseURL("ftp://host/v1")).toThrow(/protocol ftp:/);
  });

  it("rejects a base URL carrying user:password without ever quoting the password", async () => {
    const base = "http://ada:hunter2-pass@127.0.0.1:9/v1";
    expect(() => new OpenResponses({ baseURL: base, maxRetries: 0 })).toThrow(OpenResponsesError);
    const error = captureError(() => normalizeBaseURL(base));
    expect(error.message).toContain("http://127.0.0.1:9/v1");
    expect(error.message).not.toContain("hunter2-pass");
    expect(error.stack).not.toContain("hunter2-pass");
    // Registered as a secret: any later message that quotes it is scrubbed too.
    expect(new OpenResponsesError("echo hunter2-pass").message).not.toContain("hunter2-pass");
  });

  it("rejects a base URL whose password is not valid percent-encoding with its own error, not a URIError", () => {
    const base = "https://ada:%zz-hunter3-pass@127.0.0.1:9/v1";
    const error = captureError(() => normalizeBaseURL(base));
    expect(error).toBeInstanceOf(OpenResponsesError);
    expect(error.message).toContain("https://127.0.0.1:9/v1");
    expect(error.message).not.toContain("hunter3-pass");
    expect(new OpenResponsesError("echo %zz-hunter3-pass").message).not.toContain("hunter3-pass");
  });

  it("strips user info and the query from URLs shown in errors", () => {
    expect(stripCredentials("https://user:pw@host/v1/responses?key=sk-secret123456")).toBe(
      "https://host/v1/responses",
    );
  });

  it("defaults to the OpenAI base URL when neither option nor env is set", () => {
    const saved = process.env.OPENRESPONSES_BASE_URL;
    delete process.env.OPENRESPONSES_BASE_URL;
    try {
      expect(new OpenResponses({ apiKey: "sk-default-base-1" }).baseURL).toBe(DEFAULT_BASE_URL);
    } finally {
      if (saved !== undefined) process.env.OPENRESPONSES_BASE_URL = saved;
    }
  });
});

describe("environment", () => {
  const names = [
    "OPENRESPONSES_BASE_URL",
    "OPENRESPONSES_API_KEY",
    "OPENRESPONSES_MODEL",
    "OPENRESPONSES_LOG",
  ];
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("readEnv trims, treats empty as unset, and survives a runtime without process", () => {
    process.env.OPENRESPONSES_MODEL = "  m1  ";
    expect(readEnv("OPENRESPONSES_MODEL")).toBe("m1");
    process.env.OPENRESPONSES_MODEL = "   ";
    expect(readEnv("OPENRESPONSES_MODEL")).toBeUndefined();
    const proc = globalThis.process;
    // Simulates a browser: no global `process` at all.
    Object.defineProperty(globalThis, "process", { value: undefined, configurable: true, writable: true });
    try {
      expect(readEnv("OPENRESPONSES_MODEL")).toBeUndefined();
    } finally {
      Object.defineProperty(globalThis, "process", { value: proc, configurable: true, writable: true });
    }
  });

  it("takes base URL, key, model and log level from the environment when options are absent", () => {
    process.env.OPENRESPONSES_BASE_URL = "http://127.0.0.1:9";
    process.env.OPENRESPONSES_MODEL = "env-model";
    process.env.OPENRESPONSES_LOG = "debug";
    const client = new OpenResponses();
    expect(client.baseURL).toBe("http://127.0.0.1:9/v1");
    expect(client.model).toBe("env-model");
    expect(client.logLevel).toBe("debug");
    expect(new OpenResponses({ baseURL: "http://other:1/x", model: "opt" }).baseURL).toBe("http://other:1/x");
  });

  it("rejects negative timeout and maxRetries", () => {
    expect(() => new OpenResponses({ baseURL: "http://h", timeout: -1 })).toThrow(/timeout/);
    expect(() => new OpenResponses({ baseURL: "http://h", maxRetries: -1 })).toThrow(/maxRetries/);
  });
});

describe("requests: auth, headers, query, model (H1)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) =>
      sendJSON(res, 200, responseResource("ok"), { "x-request-id": "r" }),
    );
  });
  afterAll(() => server.close());

  const last = () => server.requests[server.requests.length - 1]!;

  it("H1: sends Authorization: Bearer <key> and JSON content headers by default", async () => {
    const client = new OpenResponses({ baseURL: server.origin, apiKey: "key-bearer-default-1" });
    await client.responses.create({ model: "m", input: "hi" });
    expect(last().url).toBe("/v1/responses");
    expect(last().method).toBe("POST");
    expect(last().headers.authorization).toBe("Bearer key-bearer-default-1");
    expect(last().headers["content-type"]).toBe("application/json");
    expect(last().headers.accept).toBe("application/json");
    expect(JSON.parse(last().body)).toEqual({ model: "m", input: "hi" });
  });

  it("sends `api-key: K` without a scheme when the header name is changed", async () => {
    const client = new OpenResponses({
      baseURL: server.origin,
      apiKey: "key-azure-style-1",
      authHeader: "api-key",
    });
    await client.responses.create({ model: "m", input: "hi" });
    expect(last().headers["api-key"]).toBe("key-azure-style-1");
    expect(last().headers.authorization).toBeUndefined();
  });

  it("supports a custom scheme and a bare key on Authorization", async () => {
    await new OpenResponses({
      baseURL: server.origin,
      apiKey: "key-scheme-1",
      authScheme: "Token",
    }).responses.create({
      model: "m",
    });
    expect(last().headers.authorization).toBe("Token key-scheme-1");
    await new OpenResponses({
      baseURL: server.origin,
      apiKey: "key-scheme-2",
      authScheme: null,
    }).responses.create({
      model: "m",
    });
    expect(last().headers.authorization).toBe("key-scheme-2");
  });

  it("sends no auth header without a key", async () => {
    const saved = process.env.OPENRESPONSES_API_KEY;
    delete process.env.OPENRESPONSES_API_KEY;
    try {
      await new OpenResponses({ baseURL: server.origin }).responses.create({ model: "m" });
      expect(last().headers.authorization).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.OPENRESPONSES_API_KEY = saved;
    }
  });

  it("uses OPENRESPONSES_API_KEY when no apiKey option is given", async () => {
    const saved = process.env.OPENRESPONSES_API_KEY;
    process.env.OPENRESPONSES_API_KEY = "key-from-env-1";
    try {
      await new OpenResponses({ baseURL: server.origin }).responses.create({ model: "m" });
      expect(last().headers.authorization).toBe("Bearer key-from-env-1");
    } finally {
      if (saved === undefined) delete process.env.OPENRESPONSES_API_KEY;
      else process.env.OPENRESPONSES_API_KEY = saved;
    }
  });

  it("resolves an async apiKey function on every request", async () => {
    let calls = 0;
    const client = new OpenResponses({
      baseURL: server.origin,
      apiKey: async () => {
        calls++;
        return `key-rotating-${calls}`;
      },
    });
    await client.responses.create({ model: "m" });
    expect(last().headers.authorization).toBe("Bearer key-rotating-1");
    await client.responses.create({ model: "m" });
    expect(last().headers.authorization).toBe("Bearer key-rotating-2");
    expect(calls).toBe(2);
  });

  it("turns a failing apiKey function into a typed error without calling the server", async () => {
    const before = server.requests.length;
    const client = new OpenResponses({
      baseURL: server.origin,
      apiKey: () => {
        throw new Error("vault locked");
      },
    });
    await expect(client.responses.create({ model: "m" })).rejects.toThrow(
      /apiKey function failed: vault locked/,
    );
    const empty = new OpenResponses({ baseURL: server.origin, apiKey: async () => "" });
    await expect(empty.responses.create({ model: "m" })).rejects.toBeInstanceOf(OpenResponsesError);
    expect(server.requests.length).toBe(before);
  });

  it("merges default headers, per-request headers (which win) and removes a header set to null", async () => {
    const client = new OpenResponses({
      baseURL: server.origin,
      apiKey: "key-headers-1",
      defaultHeaders: { "x-team": "a", "x-trace": "t1", "OpenAI-Beta": "x" },
    });
    await client.responses.create({ model: "m" }, { headers: { "X-Team": "b", "openai-beta": null } });
    expect(last().headers["x-team"]).toBe("b");
    expect(last().headers["x-trace"]).toBe("t1");
    expect(last().headers["openai-beta"]).toBeUndefined();
  });

  it("adds defaultQuery and per-request query parameters", async () => {
    const client = new OpenResponses({
      baseURL: `${server.origin}/v1?api-version=1`,
      defaultQuery: { a: "1" },
    });
    await client.responses.create({ model: "m" }, { query: { b: "2" } });
    expect(last().url).toBe("/v1/responses?api-version=1&a=1&b=2");
  });

  it("fills `model` from the client's default when the body has none, and never overrides one", async () => {
    const client = new OpenResponses({ baseURL: server.origin, model: "default-model" });
    await client.responses.create({ input: "x" });
    expect(JSON.parse(last().body).model).toBe("default-model");
    await client.responses.create({ model: "explicit", input: "x" });
    expect(JSON.parse(last().body).model).toBe("explicit");
  });

  it("bad input (a non-object body, a body that cannot be JSON) is a typed error and sends nothing", async () => {
    const before = server.requests.length;
    const client = new OpenResponses({ baseURL: server.origin });
    const bad = null as unknown as { model: string };
    await expect(client.responses.create(bad)).rejects.toThrow(
      "responses.create() needs a request body object, got null.",
    );
    await expect(client.responses.stream(bad).finalResponse()).rejects.toBeInstanceOf(OpenResponsesError);
    await expect(client.responses.compact([] as unknown as { model: string })).rejects.toThrow(
      /got an array/,
    );
    const cyclic: Record<string, unknown> = { model: "m" };
    cyclic.metadata = cyclic;
    await expect(client.responses.create(cyclic)).rejects.toThrow(/cannot be serialised to JSON/);
    expect(server.requests.length).toBe(before);
  });

  it("connectionHeaders() gives auth and default headers for non-fetch transports", async () => {
    const client = new OpenResponses({
      baseURL: server.origin,
      apiKey: async () => "key-ws-upgrade-1",
      defaultHeaders: { "x-team": "a" },
    });
    expect(await client.transport.connectionHeaders()).toEqual({
      authorization: "Bearer key-ws-upgrade-1",
      "x-team": "a",
    });
  });

  it("uses a custom fetch", async () => {
    const seen: string[] = [];
    const client = new OpenResponses({
      baseURL: server.origin,
      fetch: (url, init) => {
        seen.push(`${init.method} ${url}`);
        return fetch(url, init);
      },
    });
    await client.responses.create({ model: "m" });
    expect(seen).toEqual([`POST ${server.origin}/v1/responses`]);
  });

  it("withOptions derives a client that keeps the key and changes the rest", async () => {
    const client = new OpenResponses({ baseURL: server.origin, apiKey: "key-derived-1", timeout: 1000 });
    const derived = client.withOptions({ timeout: 5 * 1000, defaultHeaders: { "x-derived": "yes" } });
    expect(derived.timeout).toBe(5000);
    await derived.responses.create({ model: "m" });
    expect(last().headers.authorization).toBe("Bearer key-derived-1");
    expect(last().headers["x-derived"]).toBe("yes");
  });

  it("never exposes the key on the client object", () => {
    const client = new OpenResponses({ baseURL: server.origin, apiKey: "key-hidden-object-1" });
    const seen = new WeakSet<object>();
    const dump = JSON.stringify(client, (_k, v: unknown) => {
      if (v && typeof v === "object") {
        if (seen.has(v)) return undefined;
        seen.add(v);
      }
      return typeof v === "function" ? "fn" : v;
    });
    expect(dump).not.toContain("key-hidden-object-1");
  });

  it("logs requests at debug level with the auth header redacted", async () => {
    const { lines, logger } = recordingLogger();
    const client = new OpenResponses({
      baseURL: server.origin,
      apiKey: "custom-gateway-token-xyz",
      logLevel: "debug",
      logger,
    });
    await client.responses.create({ model: "m" });
    expect(lines.some((l) => l.level === "debug" && l.text.includes("POST http://127.0.0.1"))).toBe(true);
    expect(lines.map((l) => l.text).join("\n")).not.toContain("custom-gateway-token-xyz");
    const quiet = recordingLogger();
    await new OpenResponses({
      baseURL: server.origin,
      logLevel: "warn",
      logger: quiet.logger,
    }).responses.create({
      model: "m",
    });
    expect(quiet.lines).toEqual([]);
  });
});

function captureError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}
