/**
 * tool_choice required (P2) as the chat format's state: the answer starts in a function call with no
 * way out, in both ways formats describe what comes next.
 */

import type { ChatWrapperGeneratedContextState, LlamaText } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { forceFunctionCall } from "../../../src/server/llama/forced-call.js";

const empty = { values: [] } as unknown as LlamaText;
const text = (value: string) => ({ values: [value] }) as unknown as LlamaText;

describe("forceFunctionCall", () => {
  it("a plain format: the function call is engaged from the start, with nothing that disengages it", () => {
    const state = {
      contextText: text("<prompt>"),
      stopGenerationTriggers: [text("<end>")],
      functionCall: { initiallyEngaged: false, disengageInitiallyEngaged: [text("text")] },
    } as ChatWrapperGeneratedContextState;
    expect(forceFunctionCall(state, empty)).toEqual({
      contextText: text("<prompt>"),
      stopGenerationTriggers: [text("<end>")],
      functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] },
    });
  });

  it("a format of prefix triggers (Harmony): thinking stays possible, a plain answer does not", () => {
    const state = {
      contextText: text("<prompt>"),
      stopGenerationTriggers: [],
      prefixTriggers: [
        { type: "segment", segmentType: "thought", triggers: [text("<analysis>")] },
        { type: "response", triggers: [text("<final>")] },
        { type: "functionCall", triggers: [text("<call>")] },
      ],
      noPrefixTrigger: { type: "response", inject: text("<final>") },
      detectFunctionCalls: false,
    } as unknown as ChatWrapperGeneratedContextState;
    const forced = forceFunctionCall(state, empty);
    expect(forced.prefixTriggers?.map((trigger) => trigger.type)).toEqual(["segment", "functionCall"]);
    expect(forced.noPrefixTrigger).toEqual({ type: "functionCall", inject: empty });
    expect(forced.detectFunctionCalls).toBe(false);
  });
});
