/**
 * The dual-package hazard: an app can load the package twice (its ESM build by `import` and its CommonJS
 * build by `require`, or two versions). `instanceof` must still hold for errors made by the other copy.
 * A second, separate instance of src/errors.ts stands in for the other copy here; the runtime matrix
 * checks the real ESM and CommonJS builds of the packed package.
 */

import { describe, expect, it } from "vitest";
import * as errors from "../../src/errors.js";

async function otherCopy(): Promise<typeof errors> {
  // The query makes the module loader evaluate the file again: new classes, same code.
  const specifier = "../../src/errors.ts?another-copy";
  return (await import(/* @vite-ignore */ specifier)) as typeof errors;
}

describe("error classes across copies of the package", () => {
  it("the second copy really has classes of its own (so the checks below can fail)", async () => {
    const other = await otherCopy();
    expect(other.RateLimitError).not.toBe(errors.RateLimitError);
    const error = new other.RateLimitError("slow down", { status: 429 });
    expect(Object.getPrototypeOf(error)).not.toBe(errors.RateLimitError.prototype);
  });

  it("instanceof holds for the class and every superclass, and not for a sibling", async () => {
    const other = await otherCopy();
    const error = new other.RateLimitError("slow down", { status: 429 });
    expect(error instanceof errors.RateLimitError).toBe(true);
    expect(error instanceof errors.APIError).toBe(true);
    expect(error instanceof errors.OpenResponsesError).toBe(true);
    expect(error instanceof errors.NotFoundError).toBe(false);
    expect(error instanceof errors.APIConnectionError).toBe(false);
    // Both ways round.
    const local = new errors.APIConnectionTimeoutError("timed out");
    expect(local instanceof other.APIConnectionTimeoutError).toBe(true);
    expect(local instanceof other.APIConnectionError).toBe(true);
    expect(local instanceof other.APIUserAbortError).toBe(false);
  });

  it("plain errors and look-alike objects are not mistaken for the package's", () => {
    expect(new Error("x") instanceof errors.OpenResponsesError).toBe(false);
    expect({ name: "RateLimitError" } instanceof errors.RateLimitError).toBe(false);
    expect((null as unknown as object) instanceof errors.OpenResponsesError).toBe(false);
  });

  it("a user's subclass still works with instanceof as usual", () => {
    class MyError extends errors.APIError {}
    const error = new MyError("mine", { status: 400 });
    expect(error instanceof MyError).toBe(true);
    expect(error instanceof errors.APIError).toBe(true);
    expect(new errors.APIError("base", { status: 400 }) instanceof MyError).toBe(false);
    expect(error.name).toBe("MyError");
  });
});
