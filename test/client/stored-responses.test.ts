/**
 * `responses.retrieve`, `responses.delete` and `responses.inputItems.list` against the server kit on a
 * real loopback socket, and against servers that do not serve those extension endpoints.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import {
  APIError,
  EndpointNotSupportedError,
  InvalidResponseIdError,
  NotFoundError,
} from "../../src/errors.js";
import { createResponsesHandler, type RunningServer, serve } from "../../src/server/index.js";
import { mockModel } from "../../src/server/mock/index.js";

let server: RunningServer;
let client: OpenResponses;

beforeAll(async () => {
  server = await serve({
    handler: createResponsesHandler({ model: mockModel() }),
    port: 0,
    host: "127.0.0.1",
  });
  client = new OpenResponses({ baseURL: `${server.url}/v1`, apiKey: "sk-stored-client", maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
});

/** A client whose fetch answers every request with `status` and `body`, as a server without the routes. */
function clientOf(status: number, body: string, contentType = "application/json") {
  return new OpenResponses({
    baseURL: "http://127.0.0.1:1/v1",
    apiKey: "sk-x",
    maxRetries: 0,
    fetch: async () => new Response(body, { status, headers: { "content-type": contentType } }),
  });
}

describe("responses.retrieve", () => {
  it("gives the stored response with output_text and _request_id, as create() does", async () => {
    const created = await client.responses.create({ input: "echo retrieved text" });
    const retrieved = await client.responses.retrieve(created.id);
    expect(retrieved.id).toBe(created.id);
    expect(retrieved.output).toEqual(created.output);
    expect(retrieved.output_text).toBe("retrieved text");
    expect(retrieved._request_id).toMatch(/^req_/);
    expect(JSON.parse(JSON.stringify(retrieved))).toEqual(JSON.parse(JSON.stringify(created)));
  });

  it("an unknown id is a NotFoundError (the server has the endpoint)", async () => {
    const error = await client.responses.retrieve("resp_nowhere").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).not.toBeInstanceOf(EndpointNotSupportedError);
  });

  it("refuses an empty id before sending anything", async () => {
    await expect(client.responses.retrieve("")).rejects.toThrow(/needs a response id/);
  });
});

describe("responses.delete", () => {
  it("a server that answers without the deletion object (null, a bare string) gives the deletion of that id", async () => {
    for (const body of ["null", '"deleted"']) {
      const deleted = await clientOf(200, body).responses.delete("resp_gone");
      expect({ ...deleted }).toEqual({ id: "resp_gone", object: "response", deleted: true });
      expect(deleted._request_id).toBeNull();
    }
  });

  it("deletes: the deletion object, then retrieve is a NotFoundError", async () => {
    const created = await client.responses.create({ input: "hi" });
    const deleted = await client.responses.delete(created.id);
    expect({ ...deleted }).toEqual({ id: created.id, object: "response", deleted: true });
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("responses.inputItems.list", () => {
  it("awaits to the first page, with OpenAI's list fields and page methods", async () => {
    const one = await client.responses.create({ input: "my name is Ada" });
    const two = await client.responses.create({ input: "what is my name?", previous_response_id: one.id });
    const page = await client.responses.inputItems.list(two.id, { limit: 2, order: "asc" });
    expect(page.object).toBe("list");
    expect(page.data).toHaveLength(2);
    expect(page.first_id).toBe(page.data[0]?.id);
    expect(page.last_id).toBe(page.data[1]?.id);
    expect(page.has_more).toBe(true);
    expect(page.hasNextPage()).toBe(true);
    const next = await page.getNextPage();
    expect(next.data.map((item) => item.type)).toEqual(["message"]);
    expect(next.hasNextPage()).toBe(false);
    await expect(next.getNextPage()).rejects.toThrow(/no next page/);
  });

  it("for await goes over every item of every page (the list promise and a page alike)", async () => {
    const one = await client.responses.create({ input: "my name is Ada" });
    const two = await client.responses.create({ input: "what is my name?", previous_response_id: one.id });
    const items: string[] = [];
    for await (const item of client.responses.inputItems.list(two.id, { limit: 1, order: "asc" }))
      items.push(item.id);
    expect(items).toHaveLength(3);
    expect(items[1]).toBe(one.output[0]?.id);
    const pages: number[] = [];
    const first = await client.responses.inputItems.list(two.id, { limit: 2 });
    for await (const page of first.iterPages()) pages.push(page.data.length);
    expect(pages).toEqual([2, 1]);
    // Default order is newest first.
    const newest: string[] = [];
    for await (const item of first) newest.push(item.id);
    expect(newest).toEqual([...items].reverse());
  });

  it("a page is a list object whatever the server called it, with the list's fields in the list's order", async () => {
    const page = await clientOf(
      200,
      JSON.stringify({ object: "page", data: [{ id: "a", type: "message" }] }),
    ).responses.inputItems.list("resp_1");
    expect(page.object).toBe("list");
    expect(Object.keys(page)).toEqual(["object", "data", "first_id", "last_id", "has_more"]);
    expect({ ...page }).toEqual({
      object: "list",
      data: [{ id: "a", type: "message" }],
      first_id: "a",
      last_id: "a",
      has_more: false,
    });
  });

  it("a server that repeats its cursor cannot make iteration loop forever", async () => {
    const looping = clientOf(
      200,
      JSON.stringify({
        object: "list",
        data: [{ id: "a", type: "message" }],
        first_id: "a",
        last_id: "a",
        has_more: true,
      }),
    );
    const items: string[] = [];
    for await (const item of looping.responses.inputItems.list("resp_1")) items.push(item.id);
    expect(items).toEqual(["a", "a"]);
  });
});

describe("a server without the extension endpoints", () => {
  const cases: Array<[string, number, string, string?]> = [
    [
      "a JSON 404 about the path",
      404,
      JSON.stringify({ error: { message: "No route matches this path.", code: "not_found" } }),
    ],
    ["a framework's 404", 404, JSON.stringify({ detail: "Not Found" })],
    ["an HTML 404", 404, "<html><title>404 Not Found</title></html>", "text/html"],
    ["405", 405, JSON.stringify({ error: { message: "Method not allowed" } })],
    ["501", 501, ""],
  ];
  for (const [what, status, body, type] of cases) {
    it(`${what}: an EndpointNotSupportedError that names the endpoint`, async () => {
      const other = clientOf(status, body, type);
      for (const [call, endpoint] of [
        [() => other.responses.retrieve("resp_1"), "GET /responses/{id}"],
        [() => other.responses.delete("resp_1"), "DELETE /responses/{id}"],
        [() => other.responses.inputItems.list("resp_1"), "GET /responses/{id}/input_items"],
      ] as const) {
        const error = await Promise.resolve(call()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EndpointNotSupportedError);
        expect((error as EndpointNotSupportedError).endpoint).toBe(endpoint);
        expect((error as Error).message).toMatch(/is not supported by this server/);
        expect((error as EndpointNotSupportedError).status).toBe(status);
      }
    });
  }

  it("an EndpointNotSupportedError carries the answer's fields, its details and the answer as cause", () => {
    const answer = new APIError("405 Method not allowed", {
      status: 405,
      headers: { allow: "POST", "x-request-id": "req_9" },
      body: { error: { message: "Method not allowed", type: "invalid_request_error", code: "no_method" } },
      error: { message: "Method not allowed", type: "invalid_request_error", code: "no_method", param: "id" },
      requestId: "req_9",
    });
    const error = new EndpointNotSupportedError("GET /responses/{id}", answer);
    expect(error.message).toBe(
      "GET /responses/{id} is not supported by this server (it answered 405): an extension of the " +
        "specification, which servers need not offer.",
    );
    expect(error).toMatchObject({
      endpoint: "GET /responses/{id}",
      status: 405,
      headers: answer.headers,
      body: answer.body,
      requestId: "req_9",
      type: "invalid_request_error",
      code: "no_method",
      param: "id",
      name: "EndpointNotSupportedError",
    });
    expect(error.cause).toBe(answer);
  });

  it("a 404 that names the id is a NotFoundError, not an unsupported endpoint", async () => {
    const other = clientOf(
      404,
      JSON.stringify({ error: { message: "Response with id 'resp_1' not found." } }),
    );
    const error = await other.responses.retrieve("resp_1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).not.toBeInstanceOf(EndpointNotSupportedError);
  });
});

describe("ids that are not one path segment", () => {
  /** A client whose fetch records every URL it is asked for (and answers 404). */
  function recordingClient() {
    const urls: string[] = [];
    const recording = new OpenResponses({
      baseURL: "http://127.0.0.1:1/v1",
      apiKey: "sk-path-test-key-0123456789",
      maxRetries: 0,
      fetch: async (url) => {
        urls.push(url);
        return new Response('{"error":{"message":"no","code":"response_not_found"}}', {
          status: 404,
          headers: { "content-type": "application/json" },
        });
      },
    });
    return { urls, recording };
  }

  const bad = [
    "",
    ".",
    "..",
    "a/b",
    "../input_items",
    "a\\b",
    "a?b",
    "a#b",
    "a\nb",
    "a\u0000b",
    "%2e%2e",
    "%2E",
    "a%2fb",
    "a%5Cb",
    "a%3Fb",
    "a%23b",
    "a%0ab",
    "%252e%252e",
  ];

  for (const id of bad) {
    it(`${JSON.stringify(id)} is refused with InvalidResponseIdError before any request, by all three methods`, async () => {
      const { urls, recording } = recordingClient();
      const calls: Array<() => PromiseLike<unknown>> = [
        () => recording.responses.retrieve(id),
        () => recording.responses.delete(id),
        () => recording.responses.inputItems.list(id),
      ];
      for (const call of calls) {
        const error = await Promise.resolve()
          .then(call)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidResponseIdError);
      }
      expect(urls).toEqual([]);
    });
  }

  it("a normal id is percent-encoded into one segment", async () => {
    const { urls, recording } = recordingClient();
    for (const id of ["resp_abc123", "resp with space", "r%", "r:é+"]) {
      await recording.responses.retrieve(id).catch(() => undefined);
      await recording.responses.inputItems.list(id).catch(() => undefined);
    }
    expect(urls).toEqual([
      "http://127.0.0.1:1/v1/responses/resp_abc123",
      "http://127.0.0.1:1/v1/responses/resp_abc123/input_items",
      "http://127.0.0.1:1/v1/responses/resp%20with%20space",
      "http://127.0.0.1:1/v1/responses/resp%20with%20space/input_items",
      "http://127.0.0.1:1/v1/responses/r%25",
      "http://127.0.0.1:1/v1/responses/r%25/input_items",
      "http://127.0.0.1:1/v1/responses/r%3A%C3%A9%2B",
      "http://127.0.0.1:1/v1/responses/r%3A%C3%A9%2B/input_items",
    ]);
  });
});
