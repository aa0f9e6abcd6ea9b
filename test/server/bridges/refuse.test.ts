import { describe, expect, it } from "vitest";
import { refuser } from "../../../src/server/bridges/refuse.js";
import { ModelError } from "../../../src/server/kit/model-error.js";
import { thrownAs } from "../../support/thrown.js";

const thrown = (run: () => unknown): ModelError => thrownAs(ModelError, run);

describe("refuser", () => {
  it("E1: a refusal is a 400 invalid_request naming the field", () => {
    const error = thrown(() => refuser()("input[2].content[0]", "Gemini has no equivalent of it."));
    expect(error).toMatchObject({
      status: 400,
      type: "invalid_request",
      code: "unsupported_parameter",
      param: "input[2].content[0]",
      message: "Gemini has no equivalent of it.",
    });
    expect(thrown(() => refuser()("input[0].arguments", "Not JSON.", "invalid_request")).code).toBe(
      "invalid_request",
    );
  });

  it("an item of an earlier turn is refused as previous_response_id, the message saying where", () => {
    const error = thrown(() =>
      refuser()("previous_response_id (context item 3).content[1]", "Anthropic has none."),
    );
    expect(error.param).toBe("previous_response_id");
    expect(error.message).toBe(
      "Anthropic has none. (This is in an earlier turn of the previous_response_id chain: context item 3, at content[1].)",
    );
  });
});
