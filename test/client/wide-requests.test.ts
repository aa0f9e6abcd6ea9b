import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { responseResource, sendJSON, startServer, type TestServer } from "./helpers.js";

// The wide request shapes go out exactly as written (the client adds nothing but `model` and `stream`),
// and the extraBody option lays its fields over the body.

describe("wide requests on the wire", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => sendJSON(res, 200, responseResource("ok")));
  });
  afterAll(() => server.close());
  const client = () =>
    new OpenResponses({ baseURL: server.origin, apiKey: null, logLevel: "off", model: "dflt" });
  const lastBody = () => JSON.parse(server.requests.at(-1)!.body) as Record<string, unknown>;

  it("type-less messages, hosted and prefixed tools, json_object and OpenAI's fields are sent verbatim", async () => {
    const body = {
      input: [
        { role: "user" as const, content: "hi" },
        { type: "acme:memory" as const, key: "k" },
      ],
      tools: [{ type: "web_search" as const }, { type: "acme:search" as const, index: "docs" }],
      text: { format: { type: "json_object" as const } },
      prompt_cache_retention: "24h" as const,
      conversation: "conv_1",
    };
    await client().responses.create(body);
    expect(lastBody()).toEqual({ model: "dflt", ...body });
  });

  it("extraBody fields are laid over the body, for JSON and streaming requests", async () => {
    await client().responses.create(
      { model: "m", input: "x" },
      { extraBody: { acme_trace: true, input: "y" } },
    );
    expect(lastBody()).toEqual({ model: "m", input: "y", acme_trace: true });
    await client()
      .responses.stream({ model: "m" }, { extraBody: { acme_trace: 1 } })
      .finalResponse()
      .catch(() => undefined); // the JSON answer becomes a one-event stream; only the body matters here
    expect(lastBody()).toEqual({ model: "m", stream: true, acme_trace: 1 });
  });
});
