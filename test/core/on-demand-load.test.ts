/**
 * The transport loads the code for rare answers (an error answer, a redirect, a 2xx body that is not
 * JSON) with a dynamic `import()` of `src/on-demand.ts`. When that import itself fails, as a page's chunk
 * does offline or after a deploy replaced it, the call ends with an `APIConnectionError` that names the
 * missing code and the loader's reason, not one that says the server could not be reached.
 */

import { describe, expect, it, vi } from "vitest";
import { APIConnectionError } from "../../src/errors.js";
import { clientAnswering } from "../support/answering-client.js";
import { rejection } from "../support/thrown.js";

vi.mock("../../src/on-demand.js", () => {
  throw new Error("Failed to fetch dynamically imported module: /assets/on-demand-X1.js");
});

const API_KEY = "sk-secret-key-123456";

const answers: Array<[string, () => Response]> = [
  ["an error answer", () => new Response(JSON.stringify({ error: { message: "bad key" } }), { status: 401 })],
  ["a redirect", () => new Response(null, { status: 307, headers: { location: "http://127.0.0.1:9/v1/x" } })],
  ["a 2xx body that is not JSON", () => new Response("<html>", { status: 200 })],
];

describe("the code loaded on demand cannot be loaded", () => {
  it.each(answers)(
    "%s ends the call with an APIConnectionError that says so (rule E1)",
    async (_, answer) => {
      const failure = await rejection(
        clientAnswering(answer, API_KEY).responses.create({ model: "m", input: "hi" }),
      );
      expect(failure).toBeInstanceOf(APIConnectionError);
      const message = (failure as Error).message;
      expect(message).toMatch(/loaded on demand, could not be loaded/);
      expect(message).toMatch(/Failed to fetch dynamically imported module/);
      expect(message).not.toMatch(/could not reach/);
      expect(message).not.toContain(API_KEY);
    },
  );
});
