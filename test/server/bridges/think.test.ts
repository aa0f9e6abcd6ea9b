/** The `<think>` splitter of the Chat Completions bridge, fed in every way a stream may cut the text. */

import { describe, expect, it } from "vitest";
import { ThinkSplitter } from "../../../src/server/bridges/chat/think.js";

function run(pieces: string[]) {
  const splitter = new ThinkSplitter();
  let reasoning = "";
  let text = "";
  for (const piece of [...pieces.map((p) => splitter.push(p)), splitter.finish()]) {
    reasoning += piece.reasoning;
    text += piece.text;
  }
  return { reasoning, text };
}

describe("ThinkSplitter", () => {
  const whole = "\n<think>\nstep one </thinking? no.\n</think>\n\nThe answer.";
  it("gives the same split however the text is cut into pieces", () => {
    const expected = { reasoning: "\nstep one </thinking? no.\n", text: "The answer." };
    expect(run([whole])).toEqual(expected);
    for (let cut = 1; cut < whole.length; cut++) {
      expect(run([whole.slice(0, cut), whole.slice(cut)])).toEqual(expected);
    }
    expect(run([...whole])).toEqual(expected);
  });

  it("text that does not start with <think> is text, <think> later included", () => {
    expect(run(["Hi <think>x</think>"])).toEqual({ reasoning: "", text: "Hi <think>x</think>" });
    expect(run(["<thin", "g>"])).toEqual({ reasoning: "", text: "<thing>" });
    expect(run(["<th"])).toEqual({ reasoning: "", text: "<th" });
  });

  it("an unclosed block is reasoning (the stream stopped while thinking)", () => {
    expect(run(["<think>still going</thi"])).toEqual({ reasoning: "still going</thi", text: "" });
  });
});
