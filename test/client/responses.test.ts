import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses, PendingResponseStream } from "../../src/client/index.js";
import { ProtocolError } from "../../src/errors.js";
import { ResponseStream } from "../../src/streaming/index.js";
import {
  responseResource,
  sendJSON,
  sseFrame,
  startServer,
  startSSE,
  type TestServer,
  textStreamEvents,
} from "./helpers.js";

describe("responses.create / stream / compact against a real server", () => {
  let server: TestServer;
  const compacted = {
    id: "cmp_1",
    object: "response.compaction",
    output: [{ type: "compaction", id: "cmp_item_1", encrypted_content: "opaque" }],
    created_at: 1_700_000_000,
    usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 },
  };
  beforeAll(async () => {
    server = await startServer((req, res) => {
      const body = req.body ? (JSON.parse(req.body) as { stream?: boolean; input?: string }) : {};
      if (req.url.startsWith("/v1/responses/compact")) {
        return sendJSON(res, 200, compacted, { "x-request-id": "req_compact" });
      }
      if (req.url.includes("bad-sequence")) {
        // S4 broken: the sequence number of the third event goes backwards.
        startSSE(res);
        const events = textStreamEvents(["a"]);
        events[2] = { ...events[2], sequence_number: 0 };
        for (const event of events) res.write(sseFrame(event));
        res.end();
        return;
      }
      if (body.stream && !req.url.includes("ignore-stream")) {
        startSSE(res, { "x-request-id": "req_stream" });
        for (const event of textStreamEvents(["Hel", "lo", " world"])) res.write(sseFrame(event));
        res.end("data: [DONE]\n\n");
        return;
      }
      const resource = responseResource("Hello world");
      (resource.output as unknown[]).push({
        type: "message",
        id: "msg_2",
        status: "completed",
        role: "assistant",
        content: [
          { type: "refusal", refusal: "no" },
          { type: "output_text", text: "!", annotations: [] },
        ],
      });
      sendJSON(res, 200, resource, { "x-request-id": "req_json" });
    });
  });
  afterAll(() => server.close());
  const client = () =>
    new OpenResponses({ baseURL: server.origin, apiKey: "key-responses-1", logLevel: "off" });

  it("H2: create resolves to the ResponseResource with output_text and _request_id", async () => {
    const response = await client().responses.create({ model: "m", input: "hi" });
    expect(response.id).toBe("resp_1");
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Hello world!");
    expect(response._request_id).toBe("req_json");
  });

  it("output_text and _request_id are non-enumerable: JSON is exactly the server's", async () => {
    const response = await client().responses.create({ model: "m" });
    const json = JSON.parse(JSON.stringify(response)) as Record<string, unknown>;
    expect(json).not.toHaveProperty("output_text");
    expect(json).not.toHaveProperty("_request_id");
    expect(Object.keys(response)).not.toContain("output_text");
    expect(json.id).toBe("resp_1");
  });

  it("withResponse() gives the raw Response and the request id next to the data", async () => {
    const { data, response, requestId } = await client().responses.create({ model: "m" }).withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req_json");
    expect(requestId).toBe("req_json");
    expect(data.output_text).toBe("Hello world!");
    expect((await client().responses.create({ model: "m" }).asResponse()).status).toBe(200);
  });

  it("S1: create({stream: true}) resolves to a ResponseStream asking for text/event-stream", async () => {
    const stream = await client().responses.create({ model: "m", stream: true });
    expect(stream).toBeInstanceOf(ResponseStream);
    expect(stream.requestId).toBe("req_stream");
    expect(stream.response?.headers.get("content-type")).toBe("text/event-stream");
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    const last = server.requests.at(-1)!;
    expect(last.headers.accept).toBe("text/event-stream");
    expect(JSON.parse(last.body).stream).toBe(true);
  });

  it("stream() can be iterated directly, and sets stream: true", async () => {
    const pending = client().responses.stream({ model: "m", input: "hi" });
    expect(pending).toBeInstanceOf(PendingResponseStream);
    const deltas: string[] = [];
    for await (const event of pending) {
      if (event.type === "response.output_text.delta") deltas.push(event.delta);
    }
    expect(deltas).toEqual(["Hel", "lo", " world"]);
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ model: "m", input: "hi", stream: true });
  });

  it("stream().finalResponse() and finalText() work without awaiting the stream first", async () => {
    const final = await client().responses.stream({ model: "m" }).finalResponse();
    expect(final.status).toBe("completed");
    expect(await client().responses.stream({ model: "m" }).finalText()).toBe("Hello world");
  });

  it("stream().on() registered before the stream opens sees every delta", async () => {
    const seen: string[] = [];
    const final = await client()
      .responses.stream({ model: "m" })
      .on("response.output_text.delta", (event) => seen.push(event.delta))
      .finalResponse();
    expect(seen).toEqual(["Hel", "lo", " world"]);
    expect(final.id).toBe("resp_1");
  });

  it("awaiting stream() gives the full ResponseStream, and withResponse() the HTTP response", async () => {
    const stream = await client().responses.stream({ model: "m" });
    expect(stream).toBeInstanceOf(ResponseStream);
    expect(await stream.finalText()).toBe("Hello world");
    const { response, requestId } = await client().responses.stream({ model: "m" }).withResponse();
    expect(response.status).toBe(200);
    expect(requestId).toBe("req_stream");
  });

  it("S1: a server that ignores stream: true and answers JSON still gives a usable stream", async () => {
    const stream = await client().responses.stream({ model: "m" }, { query: { "ignore-stream": "1" } });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(["response.completed"]);
    const final = await stream.finalResponse();
    expect(final.id).toBe("resp_1");
    expect(final.output).toHaveLength(2);
    expect(stream.violations.length).toBeGreaterThan(0);
    const strict = client().responses.stream(
      { model: "m" },
      { query: { "ignore-stream": "1" }, strict: true },
    );
    await expect(strict.finalResponse()).rejects.toThrow(/\[S\d+\]/);
  });

  it("S4: `strict` on the client makes violations throw ProtocolError; per request it can be lifted", async () => {
    const query = { "bad-sequence": "1" };
    const strictClient = new OpenResponses({ baseURL: server.origin, strict: true });
    const error = await strictClient.responses
      .stream({ model: "m" }, { query })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).rule).toBe("S4");
    const lenient = await strictClient.responses.stream({ model: "m" }, { query, strict: false });
    expect((await lenient.finalResponse()).status).toBe("completed");
    expect(lenient.violations.map((v) => v.rule)).toContain("S4");
  });

  it("H2: compact posts to /responses/compact and resolves to the CompactResource", async () => {
    const result = await client().responses.compact({ model: "m", input: "long conversation" });
    expect(server.requests.at(-1)!.url).toBe("/v1/responses/compact");
    expect(result.object).toBe("response.compaction");
    expect(result.output).toEqual(compacted.output);
    expect(result._request_id).toBe("req_compact");
    expect(JSON.parse(JSON.stringify(result))).toEqual(compacted);
  });
});
