/**
 * `Model.admit`: a model refuses a request before any event (a prompt longer than its context window,
 * input it cannot read), and the kit answers with that error instead of a response, on every transport.
 */

import { describe, expect, it } from "vitest";
import { createResponsesHandler } from "../../../src/server/kit/index.js";
import type { Model, ModelRefusal, ModelRequest } from "../../../src/server/model.js";
import { post, specError, testEngine } from "./helpers.js";

function admittingModel(verdict: (request: ModelRequest) => ModelRefusal | undefined | Promise<never>) {
  const seen: { admitted: ModelRequest[]; generated: ModelRequest[] } = { admitted: [], generated: [] };
  const model: Model = Object.assign(
    async function* (request: ModelRequest) {
      seen.generated.push(request);
      yield { type: "text" as const, delta: "fits" };
    },
    {
      admit: (request: ModelRequest) => {
        seen.admitted.push(request);
        return verdict(request);
      },
    },
  );
  return { model, seen };
}

const tooLong: ModelRefusal = {
  message: "The input is 900 tokens; this model's context window is 512 tokens.",
  param: "input",
  code: "context_length_exceeded",
};

describe("Model.admit: a refusal before any event", () => {
  it("E1: a refusal is the HTTP answer (400 by default), for JSON and for a streaming request alike", async () => {
    const { model, seen } = admittingModel(() => tooLong);
    const handler = createResponsesHandler({ model });
    for (const stream of [false, true]) {
      const error = await specError(await handler(post("/v1/responses", { input: "hi", stream })), 400);
      expect(error).toEqual({
        message: tooLong.message,
        type: "invalid_request",
        param: "input",
        code: "context_length_exceeded",
      });
    }
    expect(seen.generated).toEqual([]);
  });

  it("the status and type of a refusal are kept", async () => {
    const { model } = admittingModel(() => ({ status: 503, type: "server_error", message: "Busy." }));
    const run = await testEngine(model).run({ input: "hi" });
    expect(run).toEqual({
      ok: false,
      error: { status: 503, error: { message: "Busy.", type: "server_error", param: null, code: null } },
    });
  });

  it("an admitted request reaches the model as the same object, with the tool policy applied (P2)", async () => {
    const { model, seen } = admittingModel(() => undefined);
    const run = await testEngine(model).run({
      input: "hi",
      tools: [
        { type: "function", name: "a" },
        { type: "function", name: "b" },
      ],
      tool_choice: { type: "function", name: "b" },
    });
    if (!run.ok) throw new Error("refused");
    for await (const _ of run.events) {
      // drain
    }
    expect(seen.admitted).toHaveLength(1);
    expect(seen.generated[0]).toBe(seen.admitted[0]);
    expect(seen.admitted[0]?.tools?.map((tool) => tool.name)).toEqual(["b"]);
    expect(seen.admitted[0]?.toolChoice).toBe("required");
  });

  it("E2: an admit that throws is a 500 with the thrown code, reported to onError", async () => {
    const { model } = admittingModel(() =>
      Promise.reject(Object.assign(new Error("The model file vanished."), { code: "model_unavailable" })),
    );
    const errors: Array<[unknown, string]> = [];
    const handler = createResponsesHandler({ model, onError: (error, phase) => errors.push([error, phase]) });
    const error = await specError(await handler(post("/v1/responses", { input: "hi" })), 500);
    expect(error).toMatchObject({ message: "The model file vanished.", code: "model_unavailable" });
    expect(errors.map(([, phase]) => phase)).toEqual(["model"]);
  });

  it("a client that leaves while admit runs aborts the request's signal", async () => {
    let signal: AbortSignal | undefined;
    const { model } = admittingModel((request) => {
      signal = request.signal;
      return new Promise<never>(() => {});
    });
    const client = new AbortController();
    const pending = testEngine(model).run({ input: "hi" }, { signal: client.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signal?.aborted).toBe(false);
    client.abort();
    expect(signal?.aborted).toBe(true);
    void pending;
  });
});
