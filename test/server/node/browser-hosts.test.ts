/**
 * DNS rebinding over HTTP: a page on an attacker's domain, whose name now resolves to this server, is
 * same-origin in the browser's eyes (its Origin and Host name the attacker's domain). `serve()` holds
 * browser requests to the Host allow-list WebSocket upgrades already follow, so the page can neither
 * run the model nor read stored responses; clients that are not browsers are not affected.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import { scriptedModel } from "../kit/helpers.js";

let server: RunningServer;
const model = scriptedModel([{ type: "text", delta: "secret answer" }]);
beforeAll(async () => {
  server = await serve({
    handler: createResponsesHandler({ model, cors: { origin: "https://app.example" } }),
    port: 0,
    allowedHosts: ["chat.example.test"],
  });
});
afterAll(() => server.close());

/** A request with exactly these headers (fetch would not let a test set `Host`). */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port: server.port, method, path, headers, timeout: 5000 },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const body = JSON.stringify({ model: "m", input: "hi" });
const asPage = (host: string, extra: Record<string, string> = {}) => ({
  host,
  origin: `http://${host}`,
  "content-type": "application/json",
  "sec-fetch-site": "same-origin",
  ...extra,
});

describe("serve(): browser requests name an allowed Host (DNS rebinding), as upgrades do", () => {
  it("a rebound page's POST (Origin and Host both the attacker's name) never reaches the model", async () => {
    const before = model.requests.length;
    const answer = await send("POST", "/v1/responses", asPage(`rebind.attacker.test:${server.port}`), body);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text).error.code).toBe("host_not_allowed");
    expect(answer.text).not.toContain("secret answer");
    expect(model.requests.length).toBe(before);
  });

  it("a rebound page's same-origin GET (no Origin, Fetch Metadata only) cannot read a stored response", async () => {
    const created = await send("POST", "/v1/responses", { "content-type": "application/json" }, body);
    const id = JSON.parse(created.text).id as string;
    const answer = await send("GET", `/v1/responses/${id}`, {
      host: `rebind.attacker.test:${server.port}`,
      "sec-fetch-site": "same-origin",
    });
    expect(answer.status).toBe(403);
    expect(answer.text).not.toContain("secret answer");
  });

  it("pages under an allowed name (an IP, localhost, allowedHosts) and origins cors allows are served", async () => {
    for (const host of [
      `127.0.0.1:${server.port}`,
      `localhost:${server.port}`,
      `chat.example.test:${server.port}`,
    ]) {
      expect((await send("POST", "/v1/responses", asPage(host), body)).status).toBe(200);
    }
    const fromApp = await send(
      "POST",
      "/v1/responses",
      { host: "api.example.test", origin: "https://app.example", "content-type": "application/json" },
      body,
    );
    expect(fromApp.status).toBe(200);
  });

  it("a client that is not a browser may name any Host (curl --resolve, a proxy)", async () => {
    const answer = await send(
      "POST",
      "/v1/responses",
      { host: "anything.example.test", "content-type": "application/json" },
      body,
    );
    expect(answer.status).toBe(200);
  });
});
