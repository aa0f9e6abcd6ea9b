/**
 * The requests the bridges send are requests the providers' official SDKs would send: every request
 * type a bridge builds is assignable to the SDK's request type (`@anthropic-ai/sdk`'s
 * `MessageCreateParamsStreaming`; for Gemini, the REST body made of `@google/genai`'s `Content`, `Tool`,
 * `ToolConfig` and `GenerationConfig`, the types its `generateContent` body is built from).
 */

import type { MessageCreateParamsStreaming } from "@anthropic-ai/sdk/resources/messages";
import type { Content, GenerationConfig, Tool, ToolConfig } from "@google/genai";
import { describe, expectTypeOf, it } from "vitest";
import type { AnthropicRequest } from "../../../src/server/bridges/anthropic/wire.js";
import type { GeminiRequest } from "../../../src/server/bridges/gemini/wire.js";

/** The SDK types with their string enums read as the string values they put on the wire. */
type Wire<T> = T extends string
  ? `${T}`
  : T extends Array<infer U>
    ? Array<Wire<U>>
    : T extends (...args: never[]) => unknown
      ? T
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

/** The JSON body of `models/{model}:streamGenerateContent` as the SDK's types describe its parts. */
interface GeminiRestBody {
  contents: Content[];
  systemInstruction?: Content;
  tools?: Tool[];
  toolConfig?: ToolConfig;
  generationConfig?: GenerationConfig;
}

describe("provider request types", () => {
  it("an Anthropic bridge request is a MessageCreateParamsStreaming", () => {
    expectTypeOf<AnthropicRequest>().toExtend<MessageCreateParamsStreaming>();
  });

  it("a Gemini bridge request is a generateContent body of the SDK's types", () => {
    expectTypeOf<GeminiRequest>().toExtend<Wire<GeminiRestBody>>();
  });
});
