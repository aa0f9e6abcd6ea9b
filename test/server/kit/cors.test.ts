/** Opt-in CORS on `createResponsesHandler`: preflight answers and headers on every kind of answer. */

import { describe, expect, it } from "vitest";
import { createResponsesHandler, sequentialIds } from "../../../src/server/index.js";
import { FIXED_NOW, parseSSE, post, scriptedModel, specError } from "./helpers.js";

const key = "sk-cors-test-0123456789";
const handlerFor = (options: Partial<Parameters<typeof createResponsesHandler>[0]> = {}) =>
  createResponsesHandler({
    model: scriptedModel([{ type: "text", delta: "Hello" }]),
    idGenerator: sequentialIds(),
    now: () => FIXED_NOW,
    ...options,
  });

function preflight(origin: string, path = "/v1/responses"): Request {
  return new Request(`http://localhost${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type, idempotency-key",
    },
  });
}

describe("CORS is off by default", () => {
  it("OPTIONS is a 405 and answers carry no CORS headers", async () => {
    const handler = handlerFor();
    const response = await handler(preflight("https://app.example"));
    await specError(response, 405);
    const answer = await handler(post("/v1/responses", { input: "hi" }, { origin: "https://app.example" }));
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("cors: true", () => {
  const handler = handlerFor({ cors: true, apiKey: key });

  it("answers a preflight with 204, before the API-key check", async () => {
    const response = await handler(preflight("https://app.example"));
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")).toBe(
      "authorization, content-type, idempotency-key",
    );
    expect(Number(response.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    expect(await response.text()).toBe("");
  });

  it("preflight on compact works too; an unknown route stays a 404 (with the header)", async () => {
    expect((await handler(preflight("https://a.example", "/v1/responses/compact"))).status).toBe(204);
    const missing = await handler(preflight("https://a.example", "/v1/other"));
    expect(missing.headers.get("access-control-allow-origin")).toBe("*");
    await specError(missing, 404);
  });

  it("JSON answers, SSE streams and errors (401) carry the header", async () => {
    const auth = { authorization: `Bearer ${key}`, origin: "https://app.example" };
    const json = await handler(post("/v1/responses", { input: "hi" }, auth));
    expect(json.status).toBe(200);
    expect(json.headers.get("access-control-allow-origin")).toBe("*");
    expect(json.headers.get("access-control-expose-headers")).toContain("x-request-id");

    const sse = await handler(post("/v1/responses", { input: "hi", stream: true }, auth));
    expect(sse.headers.get("access-control-allow-origin")).toBe("*");
    expect(sse.headers.get("content-type")).toContain("text/event-stream");
    expect(parseSSE(await sse.text()).at(-1)?.data).toBe("[DONE]");

    const denied = await handler(post("/v1/responses", { input: "hi" }, { origin: "https://app.example" }));
    expect(denied.headers.get("access-control-allow-origin")).toBe("*");
    await specError(denied, 401);
  });

  it("a GET is still a 405, now allowing OPTIONS", async () => {
    const response = await handler(new Request("http://localhost/v1/responses", { method: "GET" }));
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    await specError(response, 405);
  });
});

describe("cors: { origin } lists the origins allowed", () => {
  const handler = handlerFor({ cors: { origin: ["https://app.example", "https://admin.example/"] } });

  it("an allowed origin is echoed, with Vary: Origin", async () => {
    const response = await handler(preflight("https://admin.example"));
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://admin.example");
    expect(response.headers.get("vary")).toContain("Origin");
    const answer = await handler(post("/v1/responses", { input: "hi" }, { origin: "https://app.example" }));
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(answer.headers.get("vary")).toContain("Origin");
  });

  it("another origin gets no allow headers, and its POST is refused (403) before the model; non-browser calls still work", async () => {
    const response = await handler(preflight("https://evil.example"));
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-methods")).toBeNull();
    const answer = await handler(post("/v1/responses", { input: "hi" }, { origin: "https://evil.example" }));
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("origin_not_allowed");
    expect((await handler(post("/v1/responses", { input: "hi" }))).status).toBe(200);
  });

  it("a single origin string works", async () => {
    const single = handlerFor({ cors: { origin: "https://app.example" } });
    const response = await single(preflight("https://app.example"));
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
  });
});
