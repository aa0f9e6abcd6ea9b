/**
 * A property: arbitrary JSON fed as stream events — `__proto__`, `constructor` and `prototype`
 * keys, huge, negative and fractional indexes, holes left by skipped indexes, terminal snapshots that
 * disagree with the stream — never throws out of the accumulator except as a typed error, never changes
 * `Object.prototype`, and keeps `output` (and every part list) dense, with no item twice.
 *
 * Events are generated as JSON text and parsed, as on the wire: a `"__proto__"` key is then an own key,
 * which is exactly what a hostile server can send.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OpenResponsesError } from "../../src/errors.js";
import type { ResponseStreamEvent } from "../../src/streaming/index.js";
import { ResponseAccumulator } from "../../src/streaming/index.js";

/** JSON as a tree, serialised by hand so that any key (even `__proto__`) reaches the text. */
type Json =
  | { kind: "leaf"; value: string | number | boolean | null }
  | { kind: "array"; items: Json[] }
  | { kind: "object"; entries: [string, Json][] };

function toText(node: Json): string {
  if (node.kind === "leaf") return JSON.stringify(node.value);
  if (node.kind === "array") return `[${node.items.map(toText).join(",")}]`;
  return `{${node.entries.map(([key, value]) => `${JSON.stringify(key)}:${toText(value)}`).join(",")}}`;
}

const leaf = (value: string | number | boolean | null): Json => ({ kind: "leaf", value });
const obj = (entries: [string, Json][]): Json => ({ kind: "object", entries });
const arr = (items: Json[]): Json => ({ kind: "array", items });

const KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "type",
  "id",
  "text",
  "content",
  "summary",
  "annotations",
  "status",
  "output",
  "arguments",
  "polluted",
];
const key = fc.constantFrom(...KEYS);

const index = fc.oneof(
  fc.integer({ min: -2, max: 5 }),
  fc.constantFrom(1e9, 2e8, 1e7, 2 ** 31, Number.MAX_SAFE_INTEGER, -1, -1e9, 1.5, 0.5),
);

const { tree } = fc.letrec<{ tree: Json }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.string({ maxLength: 6 }), index, fc.boolean(), fc.constant(null)).map(leaf),
    fc.array(tie("tree"), { maxLength: 4 }).map(arr),
    fc.array(fc.tuple(key, tie("tree")), { maxLength: 5 }).map(obj),
  ),
}));

const ids = fc.constantFrom("a", "b", "c", "", "__proto__", "constructor");

const part = fc
  .tuple(fc.constantFrom("output_text", "refusal", "summary_text", "reasoning_text"), fc.string(), tree)
  .map(([type, text, extra]) =>
    obj([
      ["type", leaf(type)],
      ["text", leaf(text)],
      ["__proto__", obj([["polluted", leaf("part")]])],
      ["annotations", arr([extra])],
    ]),
  );

const item = fc.oneof(
  tree,
  fc
    .tuple(
      fc.constantFrom("message", "reasoning", "function_call", "x:custom"),
      ids,
      fc.array(part, { maxLength: 3 }),
      tree,
    )
    .map(([type, id, parts, extra]) =>
      obj([
        ["type", leaf(type)],
        ["id", leaf(id)],
        ["content", arr(parts)],
        ["summary", arr(parts)],
        ["__proto__", obj([["polluted", leaf("item")]])],
        ["constructor", obj([["prototype", obj([["polluted", leaf("ctor")]])]])],
        ["extra", extra],
      ]),
    ),
);

const TYPES = [
  "response.created",
  "response.in_progress",
  "response.output_item.added",
  "response.output_item.done",
  "response.content_part.added",
  "response.content_part.done",
  "response.reasoning_summary_part.added",
  "response.reasoning_summary_part.done",
  "response.output_text.delta",
  "response.output_text.done",
  "response.refusal.delta",
  "response.reasoning.delta",
  "response.reasoning_summary_text.delta",
  "response.reasoning_summary_text.done",
  "response.function_call_arguments.delta",
  "response.function_call_arguments.done",
  "response.output_text.annotation.added",
  "response.completed",
  "response.failed",
  "error",
  "x:unknown",
];

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

const event = fc
  .record({
    type: fc.constantFrom(...TYPES),
    output_index: optional(index),
    content_index: optional(index),
    summary_index: optional(index),
    annotation_index: optional(index),
    item_id: optional(ids),
    delta: optional(fc.oneof(fc.string({ maxLength: 5 }), tree)),
    text: optional(fc.oneof(fc.string({ maxLength: 5 }), tree)),
    item: optional(item),
    part: optional(fc.oneof(part, tree)),
    annotation: optional(tree),
    output: optional(fc.array(fc.oneof(item, tree), { maxLength: 4 })),
    extra: optional(tree),
  })
  .map((fields) => {
    const entries: [string, Json][] = [["type", leaf(fields.type)]];
    for (const name of ["output_index", "content_index", "summary_index", "annotation_index"] as const) {
      const value = fields[name];
      if (value !== undefined) entries.push([name, leaf(value)]);
    }
    if (fields.item_id !== undefined) entries.push(["item_id", leaf(fields.item_id)]);
    for (const name of ["delta", "text", "item", "part", "annotation"] as const) {
      const value = fields[name];
      if (value !== undefined) entries.push([name, typeof value === "string" ? leaf(value) : value]);
    }
    if (fields.output !== undefined) {
      entries.push([
        "response",
        obj([
          ["id", leaf("r")],
          ["status", leaf("completed")],
          ["__proto__", obj([["polluted", leaf("response")]])],
          ["output", arr(fields.output)],
        ]),
      ]);
    }
    if (fields.extra !== undefined) entries.push(["__proto__", fields.extra]);
    return toText(obj(entries));
  });

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

function expectDense(list: unknown[], where: string): void {
  for (let i = 0; i < list.length; i++) {
    if (!Object.hasOwn(list, i) || list[i] === undefined) throw new Error(`${where} has a hole at ${i}`);
  }
}

/** No `__proto__` own key anywhere in a snapshot, and no prototype other than Object's or Array's. */
function expectClean(value: unknown, depth = 0): void {
  if (typeof value !== "object" || value === null || depth > 50) return;
  const proto = Object.getPrototypeOf(value);
  expect(proto === Object.prototype || proto === Array.prototype).toBe(true);
  expect(Object.hasOwn(value, "__proto__")).toBe(false);
  for (const entry of Object.values(value)) expectClean(entry, depth + 1);
}

function expectWellFormed(output: unknown[], where: string): void {
  expectDense(output, where);
  const seenIds = new Set<string>();
  expect(new Set(output).size).toBe(output.length);
  for (const entry of output) {
    if (typeof entry !== "object" || entry === null) continue;
    const record = entry as Record<string, unknown>;
    for (const list of [record.content, record.summary]) if (Array.isArray(list)) expectDense(list, where);
    if (where === "final" && typeof record.id === "string" && record.id !== "") {
      expect(seenIds.has(record.id)).toBe(false);
      seenIds.add(record.id);
    }
  }
}

describe("the accumulator against arbitrary hostile events", () => {
  it("never throws untyped, never changes Object.prototype, keeps output dense", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 25 }), (texts) => {
        const accumulator = new ResponseAccumulator({ onViolation: () => undefined });
        const started = Date.now();
        try {
          for (const text of texts) {
            accumulator.apply(JSON.parse(text) as ResponseStreamEvent);
            // Reading the snapshot between events flushes the text buffers: both paths are exercised.
            if (text.length % 3 === 0) void accumulator.snapshot;
          }
        } catch (error) {
          if (!(error instanceof OpenResponsesError)) throw error;
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        const snapshot = accumulator.snapshot;
        expectWellFormed(snapshot.output, "snapshot");
        // Every event adds at most one item (plus those of a lifecycle snapshot).
        expect(snapshot.output.length).toBeLessThanOrEqual(texts.length * 5);
        expectClean(snapshot);
        const final = accumulator.finalResponse;
        if (final) {
          expectWellFormed(final.output, "final");
          expectClean(final);
        }
        expect(() => JSON.stringify(snapshot)).not.toThrow();
        // Generous for a loaded machine: what this guards against (an index allocating its size) takes
        // seconds per event.
        expect(Date.now() - started).toBeLessThan(3000);
      }),
      { numRuns: 400 },
    );
  });
});
