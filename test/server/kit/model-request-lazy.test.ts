/**
 * `ModelRequest.signal` is made when the model first reads it (the engine never makes one for a model
 * that does not ask). Whenever it is read, and however the request is copied, it says what the turn's
 * abort says. Headers an adapter hands over as a function (serve()'s plain route) are built the same
 * way, once, and only for a model that reads them.
 */

import { describe, expect, it } from "vitest";
import { HEADERS_LATER } from "../../../src/server/kit/turn-request.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";
import { testEngine } from "./helpers.js";

const text = (delta: string): ModelPart => ({ type: "text", delta });

async function firstEventThenStop(
  model: (request: ModelRequest) => Iterable<ModelPart> | AsyncIterable<ModelPart>,
) {
  const run = await testEngine(model).run({ model: "m", input: "hi" });
  if (!run.ok) throw new Error("the turn did not start");
  for await (const _event of run.events) break;
}

describe("the model's signal", () => {
  it("read only after the consumer left, it is already aborted", async () => {
    let request: ModelRequest | undefined;
    let closed = false;
    function* model(given: ModelRequest) {
      request = given;
      try {
        for (let i = 0; i < 100; i++) yield text(`w${i} `);
      } finally {
        closed = true;
      }
    }
    await firstEventThenStop(model);
    expect(closed).toBe(true);
    expect(request?.signal).toBeInstanceOf(AbortSignal);
    expect(request?.signal.aborted).toBe(true);
    expect(request?.signal).toBe(request?.signal);
  });

  it("a model's copy of the request ({ ...request }) carries a signal that aborts with the turn", async () => {
    let copy: ModelRequest | undefined;
    async function* model(given: ModelRequest) {
      copy = { ...given, input: [] };
      yield text("hello");
      await new Promise((resolve) => copy?.signal.addEventListener("abort", resolve, { once: true }));
    }
    await firstEventThenStop(model);
    expect(copy?.signal.aborted).toBe(true);
    expect(Object.keys(copy ?? {})).toContain("signal");
  });

  it("the request's fields are its own and enumerable, signal included; a model may replace the signal", async () => {
    let keys: string[] = [];
    let replaced: AbortSignal | undefined;
    const mine = new AbortController().signal;
    function* model(given: ModelRequest) {
      keys = Object.keys(given);
      given.signal = mine;
      replaced = given.signal;
      yield text("ok");
    }
    const run = await testEngine(model).run({ model: "m", input: "hi" });
    if (!run.ok) throw new Error("the turn did not start");
    for await (const _event of run.events);
    expect(keys.sort()).toEqual(["body", "input", "responseId", "signal", "toolChoice", "tools"]);
    expect(replaced).toBe(mine);
  });

  it("headers handed over as a function are built once when the model reads them, and never otherwise", async () => {
    let built = 0;
    const later = () => {
      built++;
      return new Headers({ "x-caller": "yes" });
    };
    const read: Array<string | null | undefined> = [];
    let spreadHas = false;
    function* reads(given: ModelRequest) {
      read.push(given.headers?.get("x-caller"), given.headers?.get("x-caller"));
      spreadHas = { ...given }.headers instanceof Headers;
      yield text("ok");
    }
    function* ignores(_given: ModelRequest) {
      yield text("ok");
    }
    for (const model of [reads, ignores]) {
      const run = await testEngine(model).run({ model: "m", input: "hi" }, {
        [HEADERS_LATER]: later,
      } as object);
      if (!run.ok) throw new Error("the turn did not start");
      for await (const _event of run.events);
    }
    expect(read).toEqual(["yes", "yes"]);
    expect(spreadHas).toBe(true);
    expect(built).toBe(1);
  });
});
