/** The reading of context items both provider bridges share, tested once here rather than per bridge. */

import { describe, expect, it } from "vitest";
import { assistantTexts } from "../../../src/server/bridges/context-items.js";
import { refusalOf, refuse } from "./refuse.js";

const entry = (content: unknown) => ({
  item: { type: "message", role: "assistant", content },
  param: "input[1]",
});

describe("assistantTexts (what both provider bridges send back of an assistant message)", () => {
  it("a string, or output_text and refusal parts in order; empty texts are left out", () => {
    expect(assistantTexts(entry("Hi."), refuse, "Gemini", "a model turn")).toEqual(["Hi."]);
    expect(assistantTexts(entry(""), refuse, "Gemini", "a model turn")).toEqual([]);
    const parts = [
      { type: "output_text", text: "One." },
      { type: "output_text", text: "" },
      { type: "refusal", refusal: "I can't." },
    ];
    expect(assistantTexts(entry(parts), refuse, "Anthropic", "an assistant turn")).toEqual([
      "One.",
      "I can't.",
    ]);
  });

  it("refuses any other part by its place, naming the upstream and its turn; and content that is no list", () => {
    const refused = refusalOf(() =>
      assistantTexts(
        entry([{ type: "output_text", text: "a" }, { type: "input_image" }]),
        refuse,
        "Anthropic",
        "an assistant turn",
      ),
    );
    expect(refused.param).toBe("input[1].content[1]");
    expect(refused.message).toBe(
      'Anthropic has no equivalent of "input_image" content in an assistant turn.',
    );
    expect(refusalOf(() => assistantTexts(entry(7), refuse, "Gemini", "a model turn")).param).toBe(
      "input[1].content",
    );
  });
});
