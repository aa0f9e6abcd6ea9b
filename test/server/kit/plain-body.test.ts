/**
 * E1: the hand check of the common small create body (`plain-body.ts`) answers exactly as the full check
 * does (the depth walk, the liberal readings and the spec's validator): each body it takes comes out as
 * the full check's body, and every body it cannot vouch for is left to the full check.
 */

import { describe, expect, it } from "vitest";
import { plainCreateBody } from "../../../src/server/kit/plain-body.js";
import { checkSchema, parseCreateBody } from "../../../src/server/kit/request-validation.js";

const values: unknown[] = [
  "",
  "Hello! What can you do?",
  "é🙂",
  true,
  false,
  0,
  -0,
  1,
  15,
  16,
  16.5,
  0.7,
  -3,
  1e300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  null,
  undefined,
  [],
  ["hi"],
  {},
  { type: "text" },
];
const fields = [
  "model",
  "input",
  "instructions",
  "previous_response_id",
  "stream",
  "store",
  "max_output_tokens",
  "temperature",
  "top_p",
  "background",
  "metadata",
  "tools",
  "__proto__",
  "toString",
  "unknown_field",
];

/** Every field with every value, alone and beside a plain model and input. */
function* bodies(): Generator<unknown> {
  for (const field of fields) {
    for (const value of values) {
      yield JSON.parse(`{${JSON.stringify(field)}:0}`, (key, parsed) => (key === field ? value : parsed));
      const body: Record<string, unknown> = { model: "m", input: "hi" };
      Object.defineProperty(body, field, { value, enumerable: true, writable: true, configurable: true });
      yield body;
    }
  }
  yield {};
  yield null;
  yield "text";
  yield [{ model: "m" }];
  yield { model: "m", input: "x".repeat(10_485_761) };
  yield { model: "m", input: "hi", stream: true, store: false, max_output_tokens: 64, temperature: 0.2 };
}

describe("E1: the plain body check", () => {
  it("E1: a body it takes comes out as the full check's body; the rest goes to the full check", () => {
    let taken = 0;
    let left = 0;
    for (const body of bodies()) {
      const plain = plainCreateBody(body);
      if (plain === null) {
        left++;
        continue;
      }
      taken++;
      const full = checkSchema("CreateResponseBody", body);
      expect(full.ok, JSON.stringify(body)).toBe(true);
      expect(plain.body).toStrictEqual(full.ok ? full.body : undefined);
      expect(plain.body).not.toBe(body);
    }
    // Both sides are exercised: the check is not vacuous.
    expect(taken).toBeGreaterThan(50);
    expect(left).toBeGreaterThan(100);
  });

  it("E1: the common small bodies are taken by the plain check", () => {
    for (const body of [
      { model: "bench", input: "Hello! What can you do?" },
      { model: "m", input: "hi", stream: true },
      { model: "m", input: "hi", store: false, instructions: "Be brief.", previous_response_id: "resp_1" },
      { model: "m", input: "hi", max_output_tokens: 16, temperature: 0, top_p: 1 },
    ]) {
      expect(plainCreateBody(body), JSON.stringify(body)).toEqual({ ok: true, body });
    }
  });

  it("E1: what the full check refuses, the plain check leaves to it, and parseCreateBody still refuses", () => {
    for (const body of [
      { model: "m", input: "hi", max_output_tokens: 15 },
      { model: "m", input: "hi", max_output_tokens: 16.5 },
      { model: "m", input: "hi", stream: "yes" },
      { model: "m", input: "hi", background: true },
      { model: 7, input: "hi" },
    ]) {
      expect(plainCreateBody(body)).toBeNull();
      expect(parseCreateBody(body).ok, JSON.stringify(body)).toBe(false);
    }
  });
});
