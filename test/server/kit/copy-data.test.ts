/**
 * `copyData` stands in for `structuredClone` on the response snapshot: for every JSON-like value it
 * must give the same result, sharing nothing with the original, and for anything else it must give
 * exactly what `structuredClone` gives (or throw what it throws).
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copyData } from "../../../src/server/kit/copy-data.js";

/** Every object and array reachable from `value`. */
function containers(value: unknown, found = new Set<object>()): Set<object> {
  if (typeof value === "object" && value !== null && !found.has(value)) {
    found.add(value);
    for (const child of Object.values(value)) containers(child, found);
  }
  return found;
}

describe("copyData", () => {
  it("equals structuredClone on JSON values, undefined included, and shares no object with the original", () => {
    const data = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.jsonValue(),
        fc.constant(undefined),
        fc.array(tie("value")),
        fc.dictionary(fc.string(), tie("value")),
      ),
    })).value;
    fc.assert(
      fc.property(data, (value) => {
        const copy = copyData(value);
        expect(copy).toStrictEqual(structuredClone(value));
        const originals = containers(value);
        for (const inner of containers(copy)) expect(originals.has(inner)).toBe(false);
      }),
    );
  });

  it("keeps an own __proto__ key as a property, never as the prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": [{"__proto__": 1}]}') as Record<
      string,
      unknown
    >;
    const copy = copyData(value);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(["__proto__", "a"]);
    expect(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(copy).toStrictEqual(structuredClone(value));
  });

  it("keeps holes in arrays, as structuredClone does", () => {
    const sparse: number[] = [1];
    sparse[2] = 3;
    const copy = copyData(sparse);
    expect(1 in copy).toBe(false);
    expect(copy).toStrictEqual(structuredClone(sparse));
  });

  it("leaves what is not plain data to structuredClone: dates, maps, class instances, cycles", () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 1000; i++) cursor = cursor.next = {} as Record<string, unknown>;
    for (const value of [
      { at: new Date(0) },
      { map: new Map([["a", 1]]) },
      { point: new Point(1, 2) },
      cyclic,
      deep,
    ]) {
      expect(copyData(value)).toStrictEqual(structuredClone(value));
    }
    const copied = copyData(cyclic);
    expect(copied.self).toBe(copied);
  });

  it("throws what structuredClone throws for a function", () => {
    const value = { call: () => 1 };
    const thrown = (copy: (value: unknown) => unknown) => {
      try {
        copy(value);
      } catch (error) {
        return error as Error;
      }
      throw new Error("expected a throw");
    };
    const expected = thrown(structuredClone);
    const actual = thrown(copyData);
    expect(actual.constructor).toBe(expected.constructor);
    expect(actual.message).toBe(expected.message);
  });
});
