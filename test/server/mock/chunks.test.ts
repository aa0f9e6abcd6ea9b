/**
 * The built-in model's deltas: word-sized chunks of its text (the whitespace before a word plus the
 * word, trailing whitespace a chunk of its own), JSON in slices of 12. Checked against the regular
 * expression that says the same, so a faster chunker cannot split anywhere else; the count a collected
 * turn takes from the budget at once is that of the chunks, and the text the skills read is the message
 * with each run of whitespace as one space, whether or not it had any to collapse.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkCount, chunkEnd } from "../../../src/server/mock/model.js";
import { analysedText } from "../../../src/server/mock/read-conversation.js";

function chunks(text: string, json = false): string[] {
  const out: string[] = [];
  for (let at = 0, end = 0; at < text.length; at = end) {
    end = chunkEnd(text, at, json);
    out.push(text.slice(at, end));
  }
  return out;
}

const SPACES = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\ufeff", "\u2028"];
const WORDS = ["a", "word", "42", "é", "日本", "\u200b", "-"];

describe("mockModel chunks", () => {
  it("text: the whitespace before each word with the word, trailing whitespace alone", () => {
    expect(chunks("echo  one two   three ")).toEqual(["echo", "  one", " two", "   three", " "]);
    expect(chunks("   ")).toEqual(["   "]);
    expect(chunks("")).toEqual([]);
    const text = fc
      .array(fc.constantFrom(...SPACES, ...WORDS), { maxLength: 30 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (value) => {
        expect(chunks(value)).toEqual(value.match(/\s*\S+|\s+$/g) ?? []);
      }),
    );
  });

  it("JSON: slices of 12 characters", () => {
    const value = JSON.stringify({ answer: "forty two", value: 42 });
    const sliced = chunks(value, true);
    expect(sliced.join("")).toBe(value);
    expect(sliced.slice(0, -1).every((piece) => piece.length === 12)).toBe(true);
  });

  it("counts the chunks from any offset as chunkEnd makes them", () => {
    expect(chunkCount("echo  one two   three ", 0)).toBe(5);
    expect(chunkCount("echo  one two", 4)).toBe(2);
    expect(chunkCount("   ", 0)).toBe(1);
    expect(chunkCount("ab", 2)).toBe(0);
    expect(chunkCount("a\tb\u000bc\u001fd\u007fe ", 0)).toBe(4);
    expect(chunkCount("a\u00a0b\u3000c é", 1)).toBe(3);
    // Longer than the bytes it reads ASCII texts through: read character by character.
    const long = "word ".repeat(1000).concat("end\t");
    expect(chunkCount(long, 0)).toBe(chunks(long).length);
    expect(chunkCount(long, 7)).toBe(chunks(long.slice(7)).length);
    const text = fc
      .array(fc.constantFrom(...SPACES, ...WORDS), { maxLength: 30 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.nat(), (value, offset) => {
        const at = value.length === 0 ? 0 : offset % (value.length + 1);
        expect(chunkCount(value, at)).toBe(chunks(value.slice(at)).length);
      }),
    );
  });

  it("reads a message with its runs of whitespace as one space", () => {
    expect(analysedText("Hello! What can you do?")).toBe("Hello! What can you do?");
    expect(analysedText("a  b\tc\n\nd\u00a0e")).toBe("a b c d e");
    const text = fc
      .array(fc.constantFrom(...SPACES, ...WORDS), { maxLength: 30 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (value) => {
        expect(analysedText(value)).toBe(value.replace(/\s+/g, " "));
      }),
    );
  });
});
