/**
 * HTTP requests from browser pages follow the policy WebSocket upgrades follow: a page on an origin the
 * `cors` option does not allow reaches nothing, and no page can run the model with a body it sent
 * without declaring it JSON (a `Blob` with no type needs no preflight). Clients that are not browsers
 * (no `Origin`, no `Sec-Fetch-Site`) are not affected.
 */
import { describe, expect, it } from "vitest";
import { createResponsesHandler } from "../../../src/server/index.js";
import { scriptedModel, specError } from "./helpers.js";

function setup(options: Partial<Parameters<typeof createResponsesHandler>[0]> = {}) {
  const model = scriptedModel([{ type: "text", delta: "Hello" }]);
  return { model, handler: createResponsesHandler({ model, ...options }) };
}

/** A POST as a page (or a script) would send it: `headers` as given, nothing added. */
function raw(path: string, body: BodyInit, headers: Record<string, string>, method = "POST"): Request {
  return new Request(`http://127.0.0.1:8080${path}`, { method, headers, body });
}

const blob = () => new Blob([JSON.stringify({ model: "m", input: "hi" })]);
const json = JSON.stringify({ model: "m", input: "hi" });

describe("browser pages over HTTP: the WebSocket upgrade's policy", () => {
  it("a cross-site POST with no Content-Type (a Blob body) does not run the model: 403 origin_not_allowed", async () => {
    const { model, handler } = setup();
    const answer = await handler(raw("/v1/responses", blob(), { origin: "https://evil.example" }));
    const error = await specError(answer, 403);
    expect(error.code).toBe("origin_not_allowed");
    expect(model.requests).toHaveLength(0);
  });

  it("a cross-site POST declared JSON, from an origin cors does not list, is refused too", async () => {
    const { model, handler } = setup({ cors: { origin: "https://app.example" } });
    const answer = await handler(
      raw("/v1/responses", json, { origin: "https://evil.example", "content-type": "application/json" }),
    );
    await specError(answer, 403);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(model.requests).toHaveLength(0);
  });

  it("a listed origin is served; the server's own page is served without any cors setting", async () => {
    const listed = setup({ cors: { origin: "https://app.example" } });
    const fromApp = await listed.handler(
      raw("/v1/responses", json, { origin: "https://app.example", "content-type": "application/json" }),
    );
    expect(fromApp.status).toBe(200);
    const own = setup();
    const fromOwnPage = await own.handler(
      raw("/v1/responses", json, {
        origin: "http://127.0.0.1:8080",
        host: "127.0.0.1:8080",
        "content-type": "application/json",
        "sec-fetch-site": "same-origin",
      }),
    );
    expect(fromOwnPage.status).toBe(200);
  });

  it("a browser POST with no Content-Type is 415, even from the server's own page or an allowed origin", async () => {
    const { model, handler } = setup({ cors: true });
    for (const headers of <Array<Record<string, string>>>[
      { origin: "https://app.example" },
      { origin: "http://127.0.0.1:8080", host: "127.0.0.1:8080" },
      { "sec-fetch-site": "same-origin" },
    ]) {
      const error = await specError(await handler(raw("/v1/responses", blob(), headers)), 415);
      expect(error.code).toBe("unsupported_media_type");
    }
    expect(model.requests).toHaveLength(0);
  });

  it("a client that is not a browser may still leave Content-Type out (Node's fetch sends Sec-Fetch-Mode only)", async () => {
    const { handler } = setup();
    expect((await handler(raw("/v1/responses", blob(), {}))).status).toBe(200);
    expect((await handler(raw("/v1/responses", blob(), { "sec-fetch-mode": "cors" }))).status).toBe(200);
    expect((await handler(raw("/v1/responses/compact", blob(), {}))).status).toBe(200);
  });

  it("the stored-response routes and compaction refuse a foreign origin as well", async () => {
    const { handler } = setup();
    const headers = { origin: "https://evil.example" };
    await specError(await handler(raw("/v1/responses/compact", blob(), headers)), 403);
    const read = new Request("http://127.0.0.1:8080/v1/responses/resp_1", { headers });
    await specError(await handler(read), 403);
  });
});
