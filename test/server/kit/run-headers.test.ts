/**
 * `run(body, { headers })` hands the caller's headers to the model; written as a getter, they are read
 * only if the model reads `request.headers`, so a transport builds no `Headers` for a model that never
 * looks (serve() relies on it for every create request).
 */

import { describe, expect, it } from "vitest";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";
import { testEngine } from "./helpers.js";

async function drain(events: AsyncIterable<unknown>) {
  for await (const _ of events) {
    // every event, to the end of the turn
  }
}

describe("engine.run: the caller's headers", () => {
  it("a getter is read once, when the model reads request.headers, and never when it does not", async () => {
    let reads = 0;
    const options = {
      get headers() {
        reads++;
        return new Headers({ authorization: "Bearer sk-caller" });
      },
    };
    let seen: string | null | undefined;
    const reading = testEngine(function* (request: ModelRequest): Generator<ModelPart> {
      seen = request.headers?.get("authorization");
      seen = request.headers?.get("authorization");
      yield { type: "text", delta: "hi" };
    });
    const run = await reading.run({ model: "m", input: "x" }, options);
    if (!run.ok) throw new Error("run failed");
    await drain(run.events);
    expect(seen).toBe("Bearer sk-caller");
    expect(reads).toBe(1);

    reads = 0;
    const ignoring = testEngine(function* (): Generator<ModelPart> {
      yield { type: "text", delta: "hi" };
    });
    const other = await ignoring.run({ model: "m", input: "x" }, options);
    if (!other.ok) throw new Error("run failed");
    await drain(other.events);
    expect(reads).toBe(0);
  });

  it("a plain value is handed over as it is, and no headers means none", async () => {
    const requests: ModelRequest[] = [];
    const engine = testEngine(function* (request: ModelRequest): Generator<ModelPart> {
      requests.push(request);
      yield { type: "text", delta: "hi" };
    });
    const headers = new Headers({ "x-a": "1" });
    for (const options of [{ headers }, {}]) {
      const run = await engine.run({ model: "m", input: "x" }, options);
      if (!run.ok) throw new Error("run failed");
      await drain(run.events);
    }
    expect(requests[0]?.headers).toBe(headers);
    expect("headers" in (requests[1] ?? {})).toBe(false);
  });
});
