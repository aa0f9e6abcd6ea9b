import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { describe, expectTypeOf, it } from "vitest";
import type { ChatCompletionRequest } from "../../../src/server/bridges/chat/wire.js";

// The request the Chat Completions bridge sends is one the official SDK would send: every field it
// writes has the SDK's name and a type the SDK's request type accepts.
describe("Chat Completions bridge request (types)", () => {
  it("is assignable to the openai SDK's ChatCompletionCreateParamsStreaming", () => {
    expectTypeOf<ChatCompletionRequest>().toExtend<ChatCompletionCreateParamsStreaming>();
  });
  it("has no field the SDK's request type lacks", () => {
    expectTypeOf<
      Exclude<keyof ChatCompletionRequest, keyof ChatCompletionCreateParamsStreaming>
    >().toEqualTypeOf<never>();
  });
});
