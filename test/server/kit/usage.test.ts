/** A model's `usage` parts merge as a spread of each over the last would: a field it states wins. */

import { describe, expect, it } from "vitest";
import { buildUsage, mergeUsage } from "../../../src/server/kit/usage.js";
import type { Usage } from "../../../src/spec/index.js";

const counts = { inputChars: 40, outputChars: 80, reasoningChars: 0 };

describe("mergeUsage", () => {
  it("later fields win, fields a part leaves out are kept, details merge field by field", () => {
    const first: Partial<Usage> = {
      input_tokens: 10,
      output_tokens: 1,
      input_tokens_details: { cached_tokens: 4 },
    };
    const second = { output_tokens: 7, output_tokens_details: { reasoning_tokens: 2 } } as Partial<Usage>;
    const merged = mergeUsage(mergeUsage(undefined, first), second);
    expect(buildUsage(counts, merged)).toEqual({
      input_tokens: 10,
      output_tokens: 7,
      total_tokens: 17,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens_details: { reasoning_tokens: 2 },
    });
  });

  it("a field a later part states as undefined is unknown again (the estimate), as a spread would make it", () => {
    const merged = mergeUsage({ input_tokens: 10, output_tokens: 3 }, {
      input_tokens: undefined,
    } as Partial<Usage>);
    // 100 characters of context: an estimate of 25 tokens.
    expect(buildUsage({ ...counts, inputChars: 100 }, merged)).toMatchObject({
      input_tokens: 25,
      output_tokens: 3,
    });
  });
});
