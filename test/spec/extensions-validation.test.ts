/**
 * `{ extensions: true }`: the runtime counterpart of the tolerant response types (rules X1–X4). It
 * accepts extension items and content exactly where the types do, and nowhere else.
 */

import { describe, expect, it } from "vitest";
import { isValid, type ResponseResource, validate } from "../../src/index.js";
import { responseResource } from "../support/response-resource.js";

const message = {
  type: "message",
  id: "msg_1",
  status: "completed",
  role: "assistant",
  content: [{ type: "output_text", text: "Hi", annotations: [] }],
};

function responseWith(output: unknown[]): ResponseResource {
  return responseResource("completed", output) as unknown as ResponseResource;
}
describe("validate with { extensions: true }", () => {
  const searchResult = { type: "acme:search_result", id: "sr_1", status: "completed", hits: 3 };
  const webSearch = { type: "web_search_call", id: "ws_1", status: "completed", action: { query: "q" } };

  it("X1/X2: accepts prefixed and hosted-tool items in a response's output; the exact mode does not", () => {
    const response = responseWith([searchResult, message, webSearch]);
    expect(validate("ResponseResource", response, { extensions: true })).toEqual({ valid: true });
    expect(isValid("ResponseResource", response)).toBe(false);
    expect(validate("ResponseResource", response).valid).toBe(false);
  });

  it("X2: accepts extension items in output_item events and compaction output", () => {
    const event = {
      type: "response.output_item.added",
      sequence_number: 2,
      output_index: 0,
      item: searchResult,
    };
    expect(isValid("ResponseOutputItemAddedStreamingEvent", event, { extensions: true })).toBe(true);
    expect(isValid("ResponseOutputItemAddedStreamingEvent", event)).toBe(false);
    const compacted = {
      id: "c",
      object: "response.compaction",
      output: [webSearch],
      created_at: 1,
      usage: null,
    };
    expect(validate("CompactResource", compacted, { extensions: true })).toEqual({
      valid: false,
      errors: [{ path: "usage", message: "expected object, got null" }],
    });
  });

  it("X2: accepts prefixed content parts in messages and content-part events", () => {
    const withChart = { ...message, content: [{ type: "acme:chart", series: [1, 2] }] };
    expect(isValid("ItemField", withChart, { extensions: true })).toBe(true);
    expect(isValid("ItemField", withChart)).toBe(false);
    const part = {
      type: "response.content_part.added",
      sequence_number: 3,
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      part: { type: "acme:chart" },
    };
    expect(isValid("ResponseContentPartAddedStreamingEvent", part, { extensions: true })).toBe(true);
  });

  it("I2: an extension item still needs a string id; hosted-tool names are items, not content", () => {
    expect(isValid("ItemField", { type: "acme:search_result" }, { extensions: true })).toBe(false);
    const hostedAsContent = { ...message, content: [{ type: "web_search_call" }] };
    expect(isValid("ItemField", hostedAsContent, { extensions: true })).toBe(false);
  });

  it("keeps request schemas exact: an extension item is not an input item", () => {
    expect(isValid("ItemParam", searchResult, { extensions: true })).toBe(false);
    expect(isValid("CreateResponseBody", { input: [searchResult] }, { extensions: true })).toBe(false);
  });

  it("still checks the standard members fully", () => {
    const broken = { ...message, status: "done" };
    const result = validate("ItemField", broken, { extensions: true });
    expect(result).toEqual({
      valid: false,
      errors: [
        { path: "status", message: 'must be one of "in_progress", "completed", "incomplete" (got "done")' },
      ],
    });
  });
});
