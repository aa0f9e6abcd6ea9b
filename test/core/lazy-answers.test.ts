/**
 * The transport loads how it reads an error answer (`http-errors.ts`) and how it follows a redirect
 * (`redirects.ts`) when the first one arrives. A bundle that cannot load that chunk still ends the call
 * with a typed error that says why, instead of a bare TypeError or a call that never settles.
 */

import { describe, expect, it, vi } from "vitest";
import { APIConnectionError } from "../../src/errors.js";
import { clientAnswering } from "../support/answering-client.js";
import { rejection } from "../support/thrown.js";

// The module loads but cannot run: the same rejection a failed chunk load gives the transport.
vi.mock("../../src/core/http-errors.js", () => ({
  buildAPIError: () => {
    throw new Error("chunk could not be loaded");
  },
}));
vi.mock("../../src/core/redirects.js", () => ({
  followRedirect: () => Promise.reject(new Error("chunk could not be loaded")),
}));

describe("an error answer or a redirect when their handling cannot be loaded", () => {
  it("an error answer ends the call with an APIConnectionError naming the reason (rule E1)", async () => {
    const client = clientAnswering(
      () =>
        new Response(JSON.stringify({ error: { message: "bad key", type: "auth" } }), {
          status: 401,
          headers: { "content-type": "application/json" },
        }),
    );
    const failure = await rejection(client.responses.create({ model: "m", input: "hi" }));
    expect(failure).toBeInstanceOf(APIConnectionError);
    expect((failure as Error).message).toMatch(/chunk could not be loaded/);
  });

  it("a redirect ends the call with an APIConnectionError naming the reason", async () => {
    const client = clientAnswering(
      () => new Response(null, { status: 307, headers: { location: "http://127.0.0.1:9/v1/elsewhere" } }),
    );
    const failure = await rejection(client.responses.create({ model: "m", input: "hi" }));
    expect(failure).toBeInstanceOf(APIConnectionError);
    expect((failure as Error).message).toMatch(/chunk could not be loaded/);
  });
});
