/**
 * The kit's fetch handler mounted in a real Hono app (the `hono` package from npm), reached by the client
 * through `app.fetch`: the portable entry, Hono's routing and the handler together, with no socket.
 */

import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../../src/client/index.js";
import { BadRequestError } from "../../../src/errors.js";
import { createResponsesHandler, mockModel } from "../../../src/server/portable.js";

function honoApp() {
  const handler = createResponsesHandler({ model: mockModel() });
  const app = new Hono();
  // The app's own route beside the mounted kit: Hono dispatches, the kit answers its paths.
  app.get("/health", (c) => c.json({ ok: true }));
  app.all("/v1/*", (c) => handler(c.req.raw));
  return app;
}

function clientOf(app: Hono): OpenResponses {
  return new OpenResponses({
    baseURL: "http://hono.test/v1",
    maxRetries: 0,
    logLevel: "off",
    fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
  });
}

describe("the fetch handler in a Hono app (H2)", () => {
  it("answers JSON through Hono's routing, beside the app's own routes", async () => {
    const app = honoApp();
    const response = await clientOf(app).responses.create({ model: "m", input: "What is 12 * 7?" });
    expect(response.status).toBe("completed");
    expect(response.output_text).toContain("84");
    expect(await (await app.request("/health")).json()).toEqual({ ok: true });
  });

  it("S1: streams SSE through Hono, and the client rebuilds the answer", async () => {
    const stream = clientOf(honoApp()).responses.stream({ model: "m", input: "Count to 5." });
    const deltas: string[] = [];
    for await (const event of stream)
      if (event.type === "response.output_text.delta") deltas.push(event.delta);
    const final = await stream.finalResponse();
    expect(final.status).toBe("completed");
    expect(deltas.join("")).toBe(final.output_text);
    expect(final.output_text).toMatch(/1.*2.*3.*4.*5/s);
  });

  it("E1: a bad body is a 400 spec error through Hono", async () => {
    const error = await clientOf(honoApp())
      .responses.create({ model: "m", input: 42 as unknown as string })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).type).toBe("invalid_request");
  });
});
