/**
 * Rebuilds the `ResponseResource` snapshot from stream events.
 *
 * Speed matters (a stream may carry 100,000 deltas), so a delta costs two array look-ups and one
 * `push`: text arrives in per-field chunk lists that are joined only when someone reads the snapshot
 * (or the field's `.done` event arrives). The snapshot is one live object, never cloned per event.
 *
 * It is tolerant by design (rule X2 and "Observed in the wild"): items without a status, item ids that
 * change at a stable `output_index`, deltas for an item that was never added (a placeholder item keeps
 * the text), extension items kept as opaque records, and a terminal snapshot with an empty `output`.
 *
 * And it is safe against a hostile peer: every key from the wire is data. `__proto__` keys are
 * dropped when an object is copied in (a plain object stays a plain object, so snapshots spread,
 * stringify and compare as usual), `constructor`/`prototype` are kept as ordinary own keys, and merging
 * reads own properties only, so nothing walks into a prototype. Indexes are bounded: an `output_index`,
 * `content_index` or `summary_index` that is not the next free slot or an existing one (far beyond,
 * negative, fractional) is a recorded violation and names a placeholder at the next slot, so `output`
 * and every part list stay dense and never grow by more than one entry per event.
 */

import { isRecord, type JsonRecord as Loose } from "../internal/guards.js";
import { outputText, type ResponseResource } from "../spec/index.js";
import {
  ANNOTATION,
  ARGUMENTS,
  DELTA,
  DONE,
  ERROR,
  type EventRole,
  ITEM_ADDED,
  ITEM_DONE,
  PART_ADDED,
  PART_DONE,
  type ResponseStreamEvent,
  roleOf,
  type StreamDifference,
  SUMMARY,
  TERMINAL,
} from "./events.js";

/**
 * A text field being streamed: `target[field]`, plus text not yet joined into it: `blocks` of joined
 * chunks and the latest `chunks`. Joining every BLOCK_SIZE deltas lets the small delta strings die young
 * (cheap for the garbage collector) while each character is still copied only twice: linear.
 */
interface TextBuffer {
  target: Loose;
  field: string;
  blocks: string[];
  chunks: string[];
  dirty: boolean;
}

const BLOCK_SIZE = 512;

function append(buffer: TextBuffer, delta: unknown): void {
  const chunks = buffer.chunks;
  // Not a string: a number or boolean is kept as text; an object never is (its `toString` is the server's).
  chunks.push(
    typeof delta === "string"
      ? delta
      : typeof delta === "number" || typeof delta === "boolean"
        ? String(delta)
        : "",
  );
  if (chunks.length === BLOCK_SIZE) {
    buffer.blocks.push(chunks.join(""));
    buffer.chunks = [];
  }
}

function newBuffer(target: Loose, field: string): TextBuffer {
  return { target, field, blocks: [], chunks: [], dirty: false };
}

/** Per part family (`CONTENT`, `SUMMARY`): the item's list, and the event field that indexes it. */
const LIST_KEYS = ["content", "summary"] as const;
const INDEX_KEYS = ["content_index", "summary_index"] as const;

interface ItemState {
  item: Loose;
  /** Per part family, the buffers of its parts by their slot in the item's list. */
  parts: [Array<TextBuffer | undefined>, Array<TextBuffer | undefined>];
  /** The function-call arguments buffer. */
  args: TextBuffer | undefined;
  /** Per part family, wire index → slot, once the server sent an index that is not the slot itself. */
  slots: [Slots | null, Slots | null];
}

/**
 * Where wire indexes land. A well-behaved server numbers items (and parts) 0, 1, 2... and the index is the
 * slot; one that skips ahead, goes negative or sends 1e9 gets the next free slot instead, remembered so
 * that its later events with the same index reach the same placeholder. A list has no `Slots` (null)
 * until its first index out of bounds.
 */
interface Slots {
  /** Wire index → slot, for the indexes that are not their own slot. */
  remap: Map<number, number>;
  /** The wire index that created each slot (absent: the slot was created without one). */
  wireOf: Array<number | undefined>;
}

/**
 * The slot of wire index `raw` in a list of `length`. When it is not `raw` itself, `bad` is called
 * with the list's `Slots` (new on the first such index: the caller keeps it) and the slot.
 */
function slotOf(
  slots: Slots | null,
  raw: number,
  length: number,
  bad: (slots: Slots, slot: number) => void,
): number {
  const integer = Number.isInteger(raw) && raw >= 0;
  if (slots === null) {
    // The hot path: a list whose indexes were never out of bounds.
    if (integer && raw <= length) return raw;
    slots = { remap: new Map(), wireOf: [] };
  } else {
    const known = slots.remap.get(raw);
    if (known !== undefined) return known;
    if (integer && raw === length) {
      slots.wireOf[raw] = raw;
      return raw;
    }
    const owner = slots.wireOf[raw];
    if (integer && raw < length && (owner === undefined || owner === raw)) return raw;
  }
  slots.remap.set(raw, length);
  slots.wireOf[length] = raw;
  bad(slots, length);
  return length;
}

/** Reports a rule violation the accumulator found (the stream passes them to its protocol checker). */
export type AccumulatorViolation = (
  rule: string,
  message: string,
  event: { type?: unknown; sequence_number?: unknown },
) => void;

export interface ResponseAccumulatorOptions {
  /** Called for each violation the accumulator repairs (an index out of bounds). Default: ignored. */
  onViolation?: AccumulatorViolation;
}

/** The largest number of differences kept, so a wildly different snapshot cannot use unbounded memory. */
const MAX_DIFFERENCES = 200;

/** Deeper than this, a terminal value replaces a streamed one instead of being merged into it. */
const MAX_MERGE_DEPTH = 32;

function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === "" ||
    (typeof value === "object" && Object.keys(value).length === 0)
  );
}

/** The list `target[key]` (a part family's, or a part's annotations), made when it is not a list. */
function listIn(target: Loose, key: string): unknown[] {
  let list = target[key];
  if (!Array.isArray(list)) {
    list = [];
    target[key] = list;
  }
  return list as unknown[];
}

/** The own property `key` of `target` (never one inherited from a prototype). */
function own(target: Loose, key: string): unknown {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

/**
 * A deep copy of wire data (so streaming into it never mutates an event the user holds) without any
 * `__proto__` key. Iterative, so no nesting depth can overflow the stack; a value seen twice (only
 * possible for objects built in memory, never for parsed JSON) is copied once.
 */
function cleanCopy<T>(value: T): T {
  const seen = new Map<object, unknown>();
  const stack: Array<[object, Loose]> = [];
  const copyOf = (source: unknown): unknown => {
    if (typeof source !== "object" || source === null) return source;
    let copy = seen.get(source);
    if (copy === undefined) {
      copy = Array.isArray(source) ? [] : {};
      seen.set(source, copy);
      stack.push([source, copy as Loose]);
    }
    return copy;
  };
  const root = copyOf(value);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [source, target] = next;
    if (Array.isArray(source)) {
      for (let index = 0; index < source.length; index++)
        (target as unknown as unknown[]).push(copyOf(source[index]));
    } else {
      for (const key of Object.keys(source)) {
        if (key !== "__proto__") target[key] = copyOf((source as Loose)[key]);
      }
    }
  }
  return root as T;
}

/** A copy of the response of a lifecycle event with `output` (the accumulator keeps its own) last. */
function withOutput(response: Loose, output: unknown[]): ResponseResource {
  const copy: Loose = {};
  for (const key of Object.keys(response)) {
    if (key !== "__proto__" && key !== "output") copy[key] = cleanCopy(response[key]);
  }
  copy.output = output;
  return copy as unknown as ResponseResource;
}

/** JSON equality that cannot throw (a nesting too deep for JSON.stringify counts as different). */
function sameJSON(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

/**
 * Rebuilds a response from its stream events: `apply()` each event, read `snapshot` (live) and, after
 * the terminal event, `finalResponse` (the terminal snapshot reconciled with what was streamed).
 * `ResponseStream` uses one; use it directly for events from your own transport.
 *
 * @example
 * ```ts
 * const accumulator = new ResponseAccumulator();
 * for (const event of events) accumulator.apply(event);
 * console.log(accumulator.outputText, accumulator.finalResponse?.status);
 * ```
 */
export class ResponseAccumulator {
  /** Differences found between what was streamed and the `.done` events or the terminal snapshot. */
  readonly differences: StreamDifference[] = [];
  #base: ResponseResource | null = null;
  readonly #output: Loose[] = [];
  readonly #states: Array<ItemState | undefined> = [];
  readonly #indexById = new Map<string, number>();
  /** Output slots, once a server sent an index out of bounds. */
  #slots: Slots | null = null;
  readonly #onViolation: AccumulatorViolation | undefined;
  #dirty: TextBuffer[] = [];
  #final: ResponseResource | null = null;
  /** The payload of the last `error` event, if any. */
  errorEvent: { type?: string; code?: string | null; message?: string; param?: string | null } | null = null;

  constructor(options: ResponseAccumulatorOptions = {}) {
    this.#onViolation = options.onViolation;
  }

  /** Applies one event. Unknown events change nothing (their items arrive through output_item events). */
  apply(streamEvent: ResponseStreamEvent): void {
    // After the terminal event the response is settled (rule S5: nothing follows it); stragglers are
    // reported by the checker and must not change what finalResponse() returned.
    if (this.#final !== null) return;
    const event = streamEvent as unknown as Loose;
    const role = roleOf(event as { type: string });
    if (role === undefined) return;
    const kind = role[0];
    if (kind === DELTA) append(this.#buffer(event, role), event.delta);
    else if (kind === DONE) {
      // A `.done` event carries the full text (in the field its type streams): it wins, and a
      // disagreement is reported.
      const buffer = this.#buffer(event, role);
      this.#flushBuffer(buffer);
      const text = event[role[3] as string];
      const streamed = buffer.target[buffer.field];
      if (typeof text !== "string" || streamed === text) return;
      if (typeof streamed === "string" && streamed !== "") {
        this.#addDifference(`${this.#pathOf(event)}.${buffer.field}`, streamed, text);
      }
      buffer.target[buffer.field] = text;
    } else if (kind === ANNOTATION) this.#annotation(event, role);
    else if (kind === PART_ADDED || kind === PART_DONE)
      this.#part(event, role[1] as number, kind === PART_DONE);
    else if (kind === ITEM_ADDED) this.#itemAdded(event);
    else if (kind === ITEM_DONE) this.#itemDone(event);
    else if (kind === ERROR)
      this.errorEvent = isRecord(event.error) ? (event.error as typeof this.errorEvent) : {};
    else {
      this.#lifecycle(event);
      if (kind === TERMINAL) this.#terminal(event);
    }
  }

  /** The current snapshot (live: later events keep changing it; copy it to keep a moment's state). */
  get snapshot(): ResponseResource {
    this.#flush();
    if (this.#final) return this.#final;
    // A stream that never sent `response.created` gets a minimal snapshot (the output is still rebuilt).
    this.#base ??= {
      id: "",
      object: "response",
      status: "in_progress",
      output: [],
    } as unknown as ResponseResource;
    const snapshot = this.#base;
    (snapshot as unknown as Loose).output = this.#output;
    return snapshot;
  }

  /** The reconciled terminal response, once a terminal event arrived. */
  get finalResponse(): ResponseResource | null {
    return this.#final;
  }

  /** All `output_text` of assistant messages so far, joined. */
  get outputText(): string {
    return outputText(this.snapshot);
  }

  #flush(): void {
    if (this.#dirty.length === 0) return;
    for (const buffer of this.#dirty) this.#flushBuffer(buffer);
    this.#dirty = [];
  }

  #flushBuffer(buffer: TextBuffer): void {
    if (buffer.chunks.length > 0 || buffer.blocks.length > 0) {
      const previous = buffer.target[buffer.field];
      const joined = buffer.blocks.join("") + buffer.chunks.join("");
      buffer.target[buffer.field] = (typeof previous === "string" ? previous : "") + joined;
      buffer.blocks = [];
      buffer.chunks = [];
    }
    buffer.dirty = false;
  }

  /**
   * The output index an event refers to. Without an `output_index` or a known `item_id`: a new item
   * (`output_item.added`, or an unknown id, which then names its placeholder), else the latest item, so
   * that a server sending neither cannot make every delta a new placeholder item.
   */
  #indexOf(event: Loose, adding = false): number {
    const raw = event.output_index;
    const length = this.#output.length;
    if (typeof raw === "number") {
      // The hot path (before a callback is made for the rare one): a known slot, no index out of bounds.
      if (this.#slots === null && raw >= 0 && raw < length && Number.isInteger(raw)) return raw;
      return slotOf(this.#slots, raw, length, (slots, slot) => {
        this.#slots = slots;
        this.#violation(
          event,
          "S6",
          `output_index ${raw} is out of bounds (${length} items); used output[${slot}].`,
        );
      });
    }
    const id = event.item_id;
    if (typeof id === "string") {
      const known = this.#indexById.get(id);
      if (known !== undefined) return known;
      if (id !== "") return length;
    }
    return adding || length === 0 ? length : length - 1;
  }

  /** The item an event refers to; a placeholder of `type` if the server never added it. */
  #stateFor(event: Loose, type: string): ItemState {
    const index = this.#indexOf(event);
    const existing = this.#states[index];
    if (existing) return existing;
    const id = typeof event.item_id === "string" ? event.item_id : "";
    return this.#setItem(
      index,
      type === "function_call"
        ? { type, id, call_id: "", name: "", arguments: "", status: "in_progress" }
        : type === "reasoning"
          ? { type, id, summary: [] }
          : { type, id, role: "assistant", status: "in_progress", content: [] },
    );
  }

  #violation(event: Loose, rule: string, message: string): void {
    this.#onViolation?.(rule, message, event);
  }

  /** The slot in `list` of a part index from the wire (`content_index`/`summary_index`). */
  #partSlot(event: Loose, state: ItemState, family: number, raw: unknown, list: unknown[]): number {
    if (typeof raw !== "number") return 0;
    return slotOf(state.slots[family] as Slots | null, raw, list.length, (slots, slot) => {
      state.slots[family] = slots;
      this.#violation(
        event,
        "S7",
        `${INDEX_KEYS[family]} ${raw} is out of bounds (${list.length} parts); used part ${slot}.`,
      );
    });
  }

  #setItem(index: number, item: Loose): ItemState {
    const state: ItemState = { item, parts: [[], []], args: undefined, slots: [null, null] };
    this.#output[index] = item;
    this.#states[index] = state;
    if (typeof item.id === "string" && item.id) this.#indexById.set(item.id, index);
    return state;
  }

  /** The buffer an event's text goes to (a placeholder item or part when the server never added it). */
  #buffer(event: Loose, role: EventRole): TextBuffer {
    // Small, so that the compiler inlines it into apply(): a delta's usual path is these few lines.
    const family = role[1] as number;
    let buffer: TextBuffer | undefined;
    if (family === ARGUMENTS) {
      const state = this.#stateFor(event, "function_call");
      buffer = state.args ??= newBuffer(state.item, "arguments");
    } else {
      const state = this.#stateFor(
        event,
        family === SUMMARY || role[2] === "reasoning_text" ? "reasoning" : "message",
      );
      const index = family === SUMMARY ? event.summary_index : event.content_index;
      // The hot path: the buffer of a part whose index was never remapped.
      if (typeof index === "number" && state.slots[family] === null) buffer = state.parts[family]?.[index];
      buffer ??= this.#partBuffer(event, state, family, index, role);
    }
    if (!buffer.dirty) {
      buffer.dirty = true;
      this.#dirty.push(buffer);
    }
    return buffer;
  }

  /** The buffer of a part the hot path did not find: made, with a placeholder part if there is none. */
  #partBuffer(event: Loose, state: ItemState, family: number, index: unknown, role: EventRole): TextBuffer {
    const buffers = state.parts[family] as Array<TextBuffer | undefined>;
    const list = listIn(state.item, LIST_KEYS[family] as string);
    const slot = this.#partSlot(event, state, family, index, list);
    let buffer = buffers[slot];
    if (buffer === undefined) {
      const partType = role[2] as string;
      const field = role[3] as string;
      let part = list[slot];
      if (!isRecord(part)) {
        part =
          partType === "output_text"
            ? { type: partType, text: "", annotations: [] }
            : { type: partType, [field]: "" };
        list[slot] = part;
      }
      buffer = newBuffer(part as Loose, field);
      buffers[slot] = buffer;
    }
    return buffer;
  }

  #pathOf(event: Loose): string {
    const base = `output[${this.#indexOf(event)}]`;
    for (let family = 0; family < 2; family++) {
      const index = event[INDEX_KEYS[family] as string];
      if (typeof index === "number") return `${base}.${LIST_KEYS[family]}[${index}]`;
    }
    return base;
  }

  #annotation(event: Loose, role: EventRole): void {
    const annotations = listIn(this.#buffer(event, role).target, "annotations");
    const raw = event.annotation_index;
    let at = annotations.length;
    if (typeof raw === "number") {
      if (Number.isInteger(raw) && raw >= 0 && raw <= at) at = raw;
      else {
        this.#violation(event, "S7", `annotation_index ${raw} is out of bounds (${at} annotations).`);
      }
    }
    annotations[at] = cleanCopy(event.annotation);
  }

  /** `content_part` and `reasoning_summary_part` events, `.added` and `.done`. */
  #part(event: Loose, family: number, done: boolean): void {
    const state = this.#stateFor(event, family === SUMMARY ? "reasoning" : "message");
    const index = event[INDEX_KEYS[family] as string];
    const list = listIn(state.item, LIST_KEYS[family] as string);
    // Added without an index: the next part. (A `.done` without one is part 0.)
    const slot =
      done || typeof index === "number" ? this.#partSlot(event, state, family, index, list) : list.length;
    const buffer = state.parts[family]?.[slot];
    if (buffer) this.#flushBuffer(buffer);
    const part = event.part;
    if (done) {
      if (!isRecord(part)) return;
      const current = list[slot];
      if (isRecord(current)) this.#mergeInto(current, part, this.#pathOf(event));
      else list[slot] = cleanCopy(part);
    } else if (buffer) {
      // Text streamed before the part was announced (a violation) is kept.
      const streamed = buffer.target[buffer.field];
      if (isRecord(part)) Object.assign(buffer.target, cleanCopy(part));
      buffer.target[buffer.field] = streamed;
    } else {
      list[slot] = isRecord(part) ? cleanCopy(part) : {};
    }
  }

  #itemAdded(event: Loose): void {
    const index = this.#indexOf(event, true);
    const item = isRecord(event.item) ? cleanCopy(event.item) : { type: "unknown" };
    if (item.type === "message" && !Array.isArray(item.content)) item.content = [];
    if (item.type === "reasoning" && !Array.isArray(item.summary)) item.summary = [];
    if (item.type === "function_call" && typeof item.arguments !== "string") item.arguments = "";
    this.#setItem(index, item);
  }

  #itemDone(event: Loose): void {
    const index = this.#indexOf(event);
    const state = this.#states[index];
    if (!isRecord(event.item)) return;
    if (!state) {
      this.#setItem(index, cleanCopy(event.item));
      return;
    }
    // Its text buffers are among the dirty ones (a buffer with text not yet joined is always dirty).
    this.#flush();
    this.#mergeInto(state.item, event.item, `output[${index}]`);
    const id = state.item.id;
    if (typeof id === "string" && id) this.#indexById.set(id, index);
  }

  #lifecycle(event: Loose): void {
    const response = event.response;
    if (!isRecord(response)) return;
    const theirs = own(response, "output");
    if (this.#output.length === 0 && Array.isArray(theirs)) {
      for (const item of theirs) if (isRecord(item)) this.#setItem(this.#output.length, cleanCopy(item));
    }
    this.#base = withOutput(response, this.#output);
  }

  /**
   * The terminal snapshot wins where it has a value; what was streamed fills the gaps (an empty `output`,
   * a missing item, an empty text), and every disagreement is recorded in `differences`.
   *
   * Terminal items are matched with streamed ones by id first, then by index (servers that change an
   * item's id at a stable index). The result follows the terminal order; a streamed item the terminal
   * snapshot left out is kept, before the next matched item that followed it in the stream. Each item
   * appears once (no id twice), and `output` has no holes.
   */
  #terminal(event: Loose): void {
    this.#flush();
    const response = isRecord(event.response) ? event.response : ((this.#base as unknown as Loose) ?? {});
    const theirsValue = own(response, "output");
    const theirs = Array.isArray(theirsValue) ? (theirsValue as unknown[]) : [];
    const streamed = this.#output;
    const byId = this.#indexById;
    if (theirs.length === 0 && streamed.length > 0) {
      this.#addDifference("output", `${streamed.length} streamed items`, theirs);
    }
    /** A terminal item's id, when it is a non-empty string. */
    const idOf = (item: unknown): string | undefined => {
      const id = isRecord(item) ? own(item, "id") : undefined;
      return typeof id === "string" && id !== "" ? id : undefined;
    };

    // Which streamed slot each terminal item matches (-1: none).
    const matchOf = theirs.map(() => -1);
    const taken = new Uint8Array(streamed.length);
    theirs.forEach((final, index) => {
      const id = idOf(final);
      const slot = id === undefined ? undefined : byId.get(id);
      if (slot !== undefined && taken[slot] === 0 && own(streamed[slot] as Loose, "id") === id) {
        matchOf[index] = slot;
        taken[slot] = 1;
      }
    });
    theirs.forEach((final, index) => {
      const id = idOf(final);
      // An id the stream used elsewhere is that item's, not this slot's.
      if (
        matchOf[index] === -1 &&
        isRecord(final) &&
        index < streamed.length &&
        taken[index] === 0 &&
        !(id !== undefined && byId.has(id))
      ) {
        matchOf[index] = index;
        taken[index] = 1;
      }
    });

    const output: unknown[] = [];
    const emittedIds = new Set<string>();
    const emit = (item: unknown, path: string, final: unknown): void => {
      const id = idOf(item);
      if (id === undefined || !emittedIds.has(id)) {
        if (id !== undefined) emittedIds.add(id);
        output.push(item);
      } else this.#addDifference(path, "(the same item again)", final);
    };
    let sweep = 0;
    const keepUnmatchedBefore = (end: number): void => {
      for (; sweep < end; sweep++) {
        if (taken[sweep] === 1) continue;
        const item = streamed[sweep];
        if (theirs.length > 0) this.#addDifference(`output[${sweep}]`, item, "(missing)");
        emit(item, `output[${sweep}]`, undefined);
      }
    };
    theirs.forEach((final, index) => {
      const slot = matchOf[index] as number;
      if (slot === -1) {
        if (streamed.length > 0 || !isRecord(final))
          this.#addDifference(`output[${index}]`, undefined, final);
        if (isRecord(final)) emit(cleanCopy(final), `output[${index}]`, final);
        return;
      }
      keepUnmatchedBefore(slot);
      const item = streamed[slot] as Loose;
      this.#mergeInto(item, final as Loose, `output[${slot}]`);
      emit(item, `output[${slot}]`, final);
    });
    keepUnmatchedBefore(streamed.length);
    this.#final = withOutput(response, output);
  }

  /** Merges `source` (the server's final word) into `target` (what was streamed), recording conflicts. */
  #mergeInto(target: Loose, source: Loose, path: string, depth = 0): void {
    for (const key of Object.keys(source)) {
      // Keys are data: `__proto__` is never written (an assignment would change the prototype), and only
      // own properties are read, so `constructor` or `prototype` never lead into a prototype.
      if (key === "__proto__") continue;
      const incoming = source[key];
      const current = own(target, key);
      const here = `${path}.${key}`;
      if (current === undefined || depth >= MAX_MERGE_DEPTH) {
        // A copy: later events must not write into the object a user received with an event.
        target[key] = cleanCopy(incoming);
      } else if (isEmptyValue(incoming)) {
        // A final value that is empty never erases what was streamed (servers that send an empty done part).
        if (!isEmptyValue(current)) this.#addDifference(here, current, incoming);
      } else if (Array.isArray(current) && Array.isArray(incoming)) {
        for (let i = 0; i < incoming.length; i++) {
          const a = current[i];
          const b = incoming[i];
          if (isRecord(a) && isRecord(b)) this.#mergeInto(a, b, `${here}[${i}]`, depth + 1);
          else if (a !== b && !(Array.isArray(a) && sameJSON(a, b))) {
            if (a !== undefined) this.#addDifference(`${here}[${i}]`, a, b);
            current[i] = cleanCopy(b);
          }
        }
        if (current.length > incoming.length) {
          this.#addDifference(here, current.slice(incoming.length), "(missing)");
        }
      } else if (isRecord(current) && isRecord(incoming)) {
        this.#mergeInto(current, incoming, here, depth + 1);
      } else if (current !== incoming) {
        if (!isEmptyValue(current) && !(key === "status" && current === "in_progress")) {
          this.#addDifference(here, current, incoming);
        }
        target[key] = cleanCopy(incoming);
      }
    }
  }

  #addDifference(path: string, streamed: unknown, final: unknown): void {
    if (this.differences.length < MAX_DIFFERENCES) this.differences.push({ path, streamed, final });
  }
}
