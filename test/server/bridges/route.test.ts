/**
 * `routeModels` picks a bridge by the request's `model` (first matching pattern wins), answers an
 * unknown model 404 `model_not_found` before anything streams, and routes compaction the same way; and
 * `inProcessFetch` lets the client talk to a bridge with no server in between.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses } from "../../../src/client/index.js";
import { chatCompletionsModel } from "../../../src/server/bridges/chat-completions.js";
import { routeModels } from "../../../src/server/bridges/route.js";
import { createResponsesHandler, inProcessFetch } from "../../../src/server/index.js";
import type { Model, ModelRequest } from "../../../src/server/model.js";
import { type FakeUpstream, startFakeUpstream } from "../../support/fake-upstream.js";
import { post, specError } from "../kit/helpers.js";
import { textStream } from "./fake-chat.js";
import { bridgeHandler, jsonTurn, outputText, streamTurn } from "./helpers.js";

function named(text: string): Model & { seen: ModelRequest[] } {
  const seen: ModelRequest[] = [];
  const model = async function* (request: ModelRequest) {
    seen.push(request);
    yield { type: "text" as const, delta: text };
  };
  return Object.assign(model, { seen });
}

describe("routeModels", () => {
  it("the first matching pattern wins, in the order given; * is a glob", async () => {
    const claude = named("from claude");
    const exact = named("from exact");
    const rest = named("from rest");
    const handler = bridgeHandler(routeModels({ "claude-*": claude, "gpt-4o": exact, "*": rest }));
    expect(outputText((await streamTurn(handler, { model: "claude-sonnet-4", input: "x" })).response)).toBe(
      "from claude",
    );
    expect(outputText((await streamTurn(handler, { model: "gpt-4o", input: "x" })).response)).toBe(
      "from exact",
    );
    expect(outputText((await streamTurn(handler, { model: "gpt-4o-mini", input: "x" })).response)).toBe(
      "from rest",
    );
    expect(claude.seen[0]?.body.model).toBe("claude-sonnet-4");
  });

  it("E1: an unknown model is a 404 model_not_found naming the models served, for SSE too", async () => {
    const handler = bridgeHandler(routeModels({ "claude-*": named("c"), "gemini-*": named("g") }));
    for (const stream of [false, true]) {
      const answer = await handler(post("/v1/responses", { model: "gpt-5", input: "x", stream }));
      const error = await specError(answer, 404);
      expect(error).toMatchObject({ code: "model_not_found", type: "not_found", param: "model" });
      expect(error.message).toContain("claude-*");
    }
  });

  it("compaction is routed: the route's own compactor, else the generic one; unknown model 404", async () => {
    const custom = Object.assign(named("c"), {
      compact: () => [{ type: "compaction" as const, id: "cmp_custom", encrypted_content: "custom" }],
    });
    const handler = bridgeHandler(routeModels({ "custom-*": custom, "*": named("plain") }));
    const own = await (
      await handler(post("/v1/responses/compact", { model: "custom-1", input: "hi" }))
    ).json();
    expect(own.output).toEqual([{ type: "compaction", id: "cmp_custom", encrypted_content: "custom" }]);
    const generic = await (
      await handler(post("/v1/responses/compact", { model: "other", input: "hi" }))
    ).json();
    expect(generic.output[0].encrypted_content).toMatch(/^orc1:/);
    const none = bridgeHandler(routeModels({ "custom-*": custom }));
    await specError(await none(post("/v1/responses/compact", { model: "other", input: "hi" })), 404);
  });

  it("a route that is not a model is refused when the router is made", () => {
    expect(() => routeModels({ "*": "nope" as never })).toThrow(/not a model/);
  });
});

describe("inProcessFetch: the client talks to a bridge with no server", () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await startFakeUpstream(() => textStream("In ", "process."));
  });
  afterAll(async () => {
    await fake.close();
  });

  it("create, stream and a follow-up turn through the handler as the client's fetch", async () => {
    const handler = createResponsesHandler({ model: chatCompletionsModel({ baseURL: `${fake.url}/v1` }) });
    const client = new OpenResponses({
      baseURL: "http://in-process/v1",
      apiKey: "unused",
      fetch: inProcessFetch(handler),
    });
    const first = await client.responses.create({ model: "m", input: "hi" });
    expect(first.output_text).toBe("In process.");
    const stream = client.responses.stream({ model: "m", input: "again", previous_response_id: first.id });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe("In process.");
    expect(fake.requests.at(-1)?.body).toMatchObject({
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "In process." },
        { role: "user", content: "again" },
      ],
    });
  });

  it("an upstream error reaches the client as its typed error", async () => {
    fake.setScript(() => ({
      kind: "json",
      status: 429,
      body: { error: { message: "slow down" } },
      headers: { "retry-after": "0" },
    }));
    const handler = createResponsesHandler({ model: chatCompletionsModel({ baseURL: `${fake.url}/v1` }) });
    const client = new OpenResponses({
      baseURL: "http://in-process/v1",
      apiKey: "k",
      maxRetries: 0,
      fetch: inProcessFetch(handler),
    });
    await expect(client.responses.create({ model: "m", input: "hi" })).rejects.toMatchObject({ status: 429 });
    const { status } = await jsonTurn(handler, { model: "m", input: "hi" });
    expect(status).toBe(429);
  });
});
