/**
 * The resolved context as node-llama-cpp's chat history: pure mapping, no model needed.
 */

import { describe, expect, it } from "vitest";
import { toChatHistory } from "../../../src/server/llama/history.js";

const user = (content: unknown) => ({ type: "message", role: "user", content });

describe("toChatHistory", () => {
  it("instructions and leading system/developer messages are one system message (P1: the context in order)", () => {
    const { history } = toChatHistory(
      [
        { type: "message", role: "system", content: "Be brief." },
        { type: "message", role: "developer", content: [{ type: "input_text", text: "Use French." }] },
        user("Bonjour"),
      ],
      "You are a test.",
    );
    expect(history).toEqual([
      { type: "system", text: "You are a test.\n\nBe brief.\n\nUse French." },
      { type: "user", text: "Bonjour" },
    ]);
  });

  it("an assistant turn (reasoning, messages, function calls with their outputs) is one model response", () => {
    const { history } = toChatHistory(
      [
        user([{ type: "input_text", text: "Weather in Paris?" }]),
        { type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: "Use the tool." }] },
        {
          type: "message",
          role: "assistant",
          content: [{ type: "output_text", text: "Checking.", annotations: [] }],
        },
        { type: "function_call", call_id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call", call_id: "c2", name: "get_time", arguments: "not json" },
        { type: "function_call_output", call_id: "c1", output: "18C" },
        { type: "function_call_output", call_id: "c2", output: [{ type: "input_text", text: "noon" }] },
        { type: "message", role: "assistant", content: "18C at noon." },
        user("Thanks"),
      ],
      undefined,
    );
    expect(history).toEqual([
      { type: "user", text: "Weather in Paris?" },
      {
        type: "model",
        response: [
          { type: "segment", segmentType: "thought", text: "Use the tool.", ended: true },
          "Checking.",
          { type: "functionCall", name: "get_weather", params: { city: "Paris" }, result: "18C" },
          { type: "functionCall", name: "get_time", params: "not json", result: "noon" },
          "18C at noon.",
        ],
      },
      { type: "user", text: "Thanks" },
    ]);
  });

  it("a conversation that ends with tool results ends in the model turn the model continues", () => {
    const { history } = toChatHistory(
      [
        user("Time?"),
        { type: "function_call", call_id: "c1", name: "get_time", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "noon" },
      ],
      null,
    );
    expect(history.at(-1)).toEqual({
      type: "model",
      response: [{ type: "functionCall", name: "get_time", params: {}, result: "noon" }],
    });
  });

  it("a later system message stays in its place; opaque items (compaction, extensions) are left out", () => {
    const { history } = toChatHistory(
      [
        user("a"),
        { type: "compaction", encrypted_content: "opaque" },
        { type: "acme:trace", data: 1 },
        { type: "message", role: "system", content: "Now answer in German." },
        user("b"),
      ],
      undefined,
    );
    expect(history).toEqual([
      { type: "user", text: "a" },
      { type: "system", text: "Now answer in German." },
      { type: "user", text: "b" },
    ]);
  });

  it("I3: images, files and video are reported by their place in this request's input", () => {
    const image = { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "low" };
    const { unreadable } = toChatHistory(
      [
        user([{ type: "input_text", text: "earlier" }, image]),
        { type: "message", role: "assistant", content: "ok" },
        user([
          { type: "input_text", text: "What is this?" },
          { type: "input_file", file_url: "https://x/a.pdf" },
        ]),
      ],
      undefined,
      2,
    );
    expect(unreadable).toEqual([
      { param: "previous_response_id", type: "input_image" },
      { param: "input[0].content[1]", type: "input_file" },
    ]);
  });
});
