/**
 * `openresponses serve --upstream responses:URL` in front of a stateless Open Responses server: here the
 * kit itself with the built-in model plays the upstream (it is sent the whole context with
 * `store: false`, so it keeps nothing). `openresponses check`, HTTP and WebSocket, passes through the
 * bridge, and the `openai` SDK and this package's client hold a conversation the upstream never stored.
 */

import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { createResponsesHandler, type RunningServer, serve } from "../../src/server/index.js";
import { mockModel } from "../../src/server/mock/index.js";
import { expectEveryScenarioPasses } from "./check/support.js";
import { type ServeRun, startServe, stopServe } from "./in-process.js";

let upstream: RunningServer;
const seen: Array<Record<string, unknown>> = [];
let bridge: ServeRun;
let baseURL = "";

beforeAll(async () => {
  const handler = createResponsesHandler({ model: mockModel() });
  upstream = await serve({
    handler: async (request) => {
      if (request.method === "POST") seen.push((await request.clone().json()) as Record<string, unknown>);
      return handler(request);
    },
    port: 0,
    host: "127.0.0.1",
  });
  bridge = await startServe(["--quiet", "--upstream", `responses:${upstream.url}/v1`]);
  baseURL = bridge.baseURL;
});
afterAll(async () => {
  await stopServe(bridge);
  await upstream?.close();
});

describe("serve --upstream responses: (a stateless upstream)", () => {
  it("P1: a conversation by previous_response_id; the upstream gets the whole context, store false", async () => {
    const client = new OpenResponses({ baseURL, apiKey: "k", maxRetries: 0, strict: true });
    const first = await client.responses.create({ model: "openresponses-mock", input: "my name is Ada" });
    const second = await client.responses.create({
      model: "openresponses-mock",
      input: "what is my name?",
      previous_response_id: first.id,
    });
    expect(second.output_text).toContain("Ada");
    const last = seen.at(-1);
    expect(last?.store).toBe(false);
    expect(last?.previous_response_id).toBeUndefined();
    expect((last?.input as unknown[] | undefined)?.length).toBe(3);
  });

  it("the openai SDK streams through it", async () => {
    const openai = new OpenAI({ baseURL, apiKey: "k", maxRetries: 0 });
    const final = await openai.responses
      .stream({ model: "openresponses-mock", input: "echo through" })
      .finalResponse();
    expect(final.output_text).toBe("through");
  });

  it("openresponses check: every HTTP and WebSocket scenario passes", async () => {
    await expectEveryScenarioPasses(baseURL, "openresponses-mock");
  });
});
