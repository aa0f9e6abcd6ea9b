/**
 * S5: a model whose async iterator hands out promises of another realm (a platform's stream, as
 * edge-runtime's are, iterated as the model's parts) runs as any async model does: every part arrives,
 * and the response completes. Such promises are not `instanceof Promise` in the kit's realm.
 */

import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createResponsesHandler, sequentialIds } from "../../../src/server/index.js";
import type { Model, ModelPart } from "../../../src/server/model.js";
import { FIXED_NOW, post, terminalOf, testEngine, types } from "./helpers.js";

const ForeignPromise = runInNewContext("Promise") as PromiseConstructor;

/**
 * A model whose parts come from an iterator answering each `next()` with a foreign promise; its
 * `return()` (the kit's close, when a turn ends early) answers with one too, rejected if `closeFails`.
 */
function foreignModel(parts: ModelPart[], closeFails = false): Model {
  return () => ({
    [Symbol.asyncIterator]() {
      let index = 0;
      return {
        next: () =>
          ForeignPromise.resolve(
            index < parts.length
              ? { done: false as const, value: parts[index++]! }
              : { done: true as const, value: undefined },
          ),
        return: () =>
          closeFails
            ? ForeignPromise.reject(new Error("the model's cleanup failed"))
            : ForeignPromise.resolve({ done: true as const, value: undefined }),
      };
    },
  });
}

describe("S5: a model answering with another realm's promises", () => {
  it("S5: its parts all arrive, and the response completes", async () => {
    expect(ForeignPromise.resolve(1) instanceof Promise).toBe(false);
    const engine = testEngine(
      foreignModel([
        { type: "text", delta: "one " },
        { type: "text", delta: "two " },
        { type: "text", delta: "three" },
      ]),
    );
    const run = await engine.run({ model: "test", input: "hi" });
    if (!run.ok) throw new Error(JSON.stringify(run.error));
    const events = [];
    for await (const event of run.events) events.push(event);
    expect(types(events).at(-1)).toBe("response.completed");
    expect(terminalOf(events).output).toMatchObject([
      { type: "message", status: "completed", content: [{ type: "output_text", text: "one two three" }] },
    ]);
  });

  it("S5: a JSON turn (stream: false) and an SSE turn through the handler hold every part", async () => {
    const parts: ModelPart[] = [
      { type: "text", delta: "one " },
      { type: "text", delta: "two" },
    ];
    const handler = createResponsesHandler({
      model: foreignModel(parts),
      idGenerator: sequentialIds(),
      now: () => FIXED_NOW,
    });
    const json = await handler(post("/v1/responses", { model: "test", input: "hi" }));
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({
      status: "completed",
      output: [{ type: "message", content: [{ type: "output_text", text: "one two" }] }],
    });
    const sse = await handler(post("/v1/responses", { model: "test", input: "hi", stream: true }));
    const text = await sse.text();
    expect(text).toContain("event: response.completed");
    expect(text).toContain('"text":"one two"');
  });

  it("S5: a turn ended early closes the model, and its failing close() goes unreported", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const engine = testEngine(
        foreignModel(
          Array.from({ length: 50 }, () => ({ type: "text", delta: "word " }) as ModelPart),
          true,
        ),
      );
      const run = await engine.run({ model: "test", input: "hi" });
      if (!run.ok) throw new Error(JSON.stringify(run.error));
      for await (const event of run.events) {
        if (event.type === "response.output_text.delta") break;
      }
      // Unhandled rejections are reported after the microtask queue drains.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
