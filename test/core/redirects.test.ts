/**
 * Credentials never leave the origin they were configured for. Two loopback servers
 * on different ports are two origins; the first redirects to the second, which records what arrived.
 */
import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { RedirectError } from "../../src/errors.js";
import { responseResource, sendJSON, type TestServer, trackedServers } from "../client/helpers.js";

const serve = trackedServers();
const KEY = "gateway-key-5d1f0c9a7e";
const TENANT_SECRET = "tenant-pass-0b8e4471";
const TOKEN = "x-token-value-99a0c3";

function redirector(status: number, to: () => string): Promise<TestServer> {
  return serve((_req, res) => {
    res.writeHead(status, { location: to() });
    res.end();
  });
}

function clientFor(origin: string, extra: ConstructorParameters<typeof OpenResponses>[0] = {}) {
  return new OpenResponses({
    baseURL: origin,
    apiKey: KEY,
    authHeader: "api-key",
    maxRetries: 0,
    logLevel: "off",
    defaultHeaders: { "x-tenant": "acme", "x-tenant-pass": TENANT_SECRET, "x-session-token": TOKEN },
    secretHeaders: ["X-Tenant-Pass"],
    ...extra,
  });
}

describe("redirects keep credentials on their origin", () => {
  it("a 307 to another origin is followed without any auth header, secret or credential-named header", async () => {
    const other = await serve((_req, res) => sendJSON(res, 200, responseResource("from the other origin")));
    const first = await redirector(307, () => `${other.origin}/v1/responses`);
    const result = await clientFor(first.origin).responses.create({ model: "m", input: "hi" });
    expect(result.output_text).toBe("from the other origin");
    expect(first.requests[0]?.headers["api-key"]).toBe(KEY);
    const received = other.requests[0];
    expect(received?.method).toBe("POST");
    expect(JSON.parse(received?.body ?? "{}")).toMatchObject({ model: "m", input: "hi" });
    expect(received?.headers["api-key"]).toBeUndefined();
    expect(received?.headers.authorization).toBeUndefined();
    expect(received?.headers["x-tenant-pass"]).toBeUndefined();
    expect(received?.headers["x-session-token"]).toBeUndefined();
    // What is not a credential still goes along.
    expect(received?.headers["x-tenant"]).toBe("acme");
    expect(JSON.stringify(received?.headers)).not.toContain(KEY);
  });

  it("Authorization (the default auth header) is dropped too, and a per-request secret header", async () => {
    const other = await serve((_req, res) => sendJSON(res, 200, responseResource("ok")));
    const first = await redirector(308, () => `${other.origin}/v1/responses`);
    const client = new OpenResponses({ baseURL: first.origin, apiKey: KEY, maxRetries: 0, logLevel: "off" });
    await client.responses.create({ model: "m" }, { headers: { "x-api-key": "per-request-secret-1" } });
    expect(first.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    expect(other.requests[0]?.headers["x-api-key"]).toBeUndefined();
  });

  it("a streamed request redirected to another origin arrives there without credentials", async () => {
    const other = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: [DONE]\n\n");
    });
    const first = await redirector(307, () => `${other.origin}/v1/responses`);
    await clientFor(first.origin)
      .responses.stream({ model: "m" })
      .finalResponse()
      .catch(() => undefined);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers["api-key"]).toBeUndefined();
  });

  it("a redirect within the same origin keeps the credentials", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/v1/responses") {
        res.writeHead(307, { location: "/v2/responses" });
        res.end();
      } else sendJSON(res, 200, responseResource("moved"));
    });
    const result = await clientFor(server.origin).responses.create({ model: "m" });
    expect(result.output_text).toBe("moved");
    expect(server.requests[1]?.url).toBe("/v2/responses");
    expect(server.requests[1]?.headers["api-key"]).toBe(KEY);
    expect(server.requests[1]?.headers["x-tenant-pass"]).toBe(TENANT_SECRET);
  });

  for (const status of [301, 302, 303]) {
    it(`a ${status} on a POST is a RedirectError, never a silent GET`, async () => {
      const other = await serve((_req, res) => sendJSON(res, 200, responseResource("a GET answer")));
      const first = await redirector(status, () => `${other.origin}/somewhere?token=${TOKEN}`);
      const error = await clientFor(first.origin)
        .responses.create({ model: "m" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedirectError);
      expect((error as RedirectError).status).toBe(status);
      expect((error as RedirectError).message).toMatch(/GET/);
      expect(other.requests).toHaveLength(0);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    });
  }

  it("a GET is followed across origins (without credentials) on a 302", async () => {
    const other = await serve((_req, res) => sendJSON(res, 200, { ok: true }));
    const first = await redirector(302, () => `${other.origin}/v1/thing`);
    const client = clientFor(first.origin);
    const result = await client.transport.requestJSON<{ ok: boolean }>({ method: "GET", path: "/thing" });
    expect(result.data.ok).toBe(true);
    expect(other.requests[0]?.method).toBe("GET");
    expect(other.requests[0]?.headers["api-key"]).toBeUndefined();
  });

  it("in a browser (fetch hides a manual redirect: opaqueredirect) any redirect is a RedirectError", async () => {
    const seen: RequestInit[] = [];
    const client = new OpenResponses({
      baseURL: "https://api.example/v1",
      apiKey: KEY,
      maxRetries: 0,
      logLevel: "off",
      fetch: async (_url, init) => {
        seen.push(init);
        return {
          type: "opaqueredirect",
          status: 0,
          ok: false,
          headers: new Headers(),
          body: null,
        } as Response;
      },
    });
    const error = await client.responses.create({ model: "m" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as RedirectError).message).toMatch(/baseURL/);
    expect(seen[0]?.redirect).toBe("manual");
  });

  it("a redirect loop ends with a RedirectError", async () => {
    const server = await serve((req, res) => {
      res.writeHead(307, { location: req.url === "/v1/responses" ? "/v1/a" : "/v1/responses" });
      res.end();
    });
    const error = await clientFor(server.origin)
      .responses.create({ model: "m" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(server.requests.length).toBeLessThanOrEqual(22);
  });
});
