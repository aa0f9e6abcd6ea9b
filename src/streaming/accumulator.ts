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

import { type ItemField, outputText, type ResponseResource } from "../spec/index.js";
import type { ResponseStreamEvent, StreamDifference } from "./events.js";

type Loose = Record<string, unknown>;

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

interface ItemState {
  item: Loose;
  /** Buffers of content parts by their slot in `item.content`. */
  parts: Array<TextBuffer | undefined>;
  /** Buffers of summary parts by their slot in `item.summary`. */
  summaries: Array<TextBuffer | undefined>;
  /** The function-call arguments buffer. */
  args: TextBuffer | undefined;
  /** Wire content_index → slot, once the server sent an index that is not the slot itself. */
  partSlots: Slots | null;
  summarySlots: Slots | null;
}

/**
 * Where wire indexes land. A well-behaved server numbers items (and parts) 0, 1, 2... and the index is the
 * slot; one that skips ahead, goes negative or sends 1e9 gets the next free slot instead, remembered so
 * that its later events with the same index reach the same placeholder.
 */
class Slots {
  /** Wire index → slot, for the indexes that are not their own slot. */
  readonly remap = new Map<number, number>();
  /** The wire index that created each slot (absent: the slot was created without one). */
  readonly wireOf: Array<number | undefined> = [];

  /** The slot of wire index `raw` in a list of `length`; `bad` is called when it is not `raw` itself. */
  resolve(raw: number, length: number, bad: (slot: number) => void): number {
    const known = this.remap.get(raw);
    if (known !== undefined) return known;
    if (Number.isInteger(raw) && raw >= 0) {
      if (raw < length) {
        const owner = this.wireOf[raw];
        if (owner === undefined || owner === raw) return raw;
      } else if (raw === length) {
        this.wireOf[raw] = raw;
        return raw;
      }
    }
    this.remap.set(raw, length);
    this.wireOf[length] = raw;
    bad(length);
    return length;
  }
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

function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "object" && value !== null && Object.keys(value).length === 0)
  );
}

function isPlainObject(value: unknown): value is Loose {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
  if (typeof value !== "object" || value === null) return value;
  const seen = new Map<object, unknown>();
  const root = emptyLike(value as object);
  seen.set(value as object, root);
  const stack: Array<[object, Loose | unknown[]]> = [[value as object, root]];
  while (stack.length > 0) {
    const [source, target] = stack.pop() as [object, Loose | unknown[]];
    if (Array.isArray(source)) {
      const list = target as unknown[];
      for (let index = 0; index < source.length; index++) list.push(copyChild(source[index]));
    } else {
      const record = source as Loose;
      const out = target as Loose;
      for (const key of Object.keys(record)) {
        if (key === "__proto__") continue;
        out[key] = copyChild(record[key]);
      }
    }
  }
  return root as T;

  function copyChild(child: unknown): unknown {
    if (typeof child !== "object" || child === null) return child;
    const done = seen.get(child);
    if (done !== undefined) return done;
    const copy = emptyLike(child);
    seen.set(child, copy);
    stack.push([child, copy]);
    return copy;
  }
}

function emptyLike(value: object): Loose | unknown[] {
  return Array.isArray(value) ? [] : {};
}

/** A copy of the response of a lifecycle event, without its `output` (the accumulator keeps its own). */
function copyResponse(response: Loose): Loose {
  const copy: Loose = {};
  for (const key of Object.keys(response)) {
    if (key === "__proto__" || key === "output") continue;
    copy[key] = cleanCopy(response[key]);
  }
  return copy;
}

/** JSON equality that cannot throw (a nesting too deep for JSON.stringify counts as different). */
function sameJSON(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

/** Deeper than this, a terminal value replaces a streamed one instead of being merged into it. */
const MAX_MERGE_DEPTH = 32;

/** A minimal snapshot for a stream that never sent `response.created` (the output is still rebuilt). */
function placeholderResponse(): ResponseResource {
  return { id: "", object: "response", status: "in_progress", output: [] } as unknown as ResponseResource;
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
  /** Output slots; `remapped` stays false (the fast path) until a server sends an index out of bounds. */
  readonly #slots = new Slots();
  #remapped = false;
  readonly #onViolation: AccumulatorViolation | undefined;
  /** The event being applied, for violation reports. */
  #current: Loose = {};
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
    this.#current = event;
    switch (event.type as string) {
      case "response.output_text.delta":
        append(this.#textBuffer(event, "parts", "output_text", "text"), event.delta);
        return;
      case "response.function_call_arguments.delta":
        append(this.#argsBuffer(event), event.delta);
        return;
      case "response.refusal.delta":
        append(this.#textBuffer(event, "parts", "refusal", "refusal"), event.delta);
        return;
      case "response.reasoning.delta":
        append(this.#textBuffer(event, "parts", "reasoning_text", "text"), event.delta);
        return;
      case "response.reasoning_summary_text.delta":
        append(this.#textBuffer(event, "summaries", "summary_text", "text"), event.delta);
        return;
      case "response.output_text.done":
        this.#finishText(this.#textBuffer(event, "parts", "output_text", "text"), event.text, event);
        return;
      case "response.refusal.done":
        this.#finishText(this.#textBuffer(event, "parts", "refusal", "refusal"), event.refusal, event);
        return;
      case "response.reasoning.done":
        this.#finishText(this.#textBuffer(event, "parts", "reasoning_text", "text"), event.text, event);
        return;
      case "response.reasoning_summary_text.done":
        this.#finishText(this.#textBuffer(event, "summaries", "summary_text", "text"), event.text, event);
        return;
      case "response.function_call_arguments.done":
        this.#finishText(this.#argsBuffer(event), event.arguments, event);
        return;
      case "response.output_text.annotation.added":
        this.#addAnnotation(event);
        return;
      case "response.content_part.added":
        this.#partAdded(event, "parts");
        return;
      case "response.reasoning_summary_part.added":
        this.#partAdded(event, "summaries");
        return;
      case "response.content_part.done":
        this.#partDone(event, "parts");
        return;
      case "response.reasoning_summary_part.done":
        this.#partDone(event, "summaries");
        return;
      case "response.output_item.added":
        this.#itemAdded(event);
        return;
      case "response.output_item.done":
        this.#itemDone(event);
        return;
      case "response.created":
      case "response.queued":
      case "response.in_progress":
        this.#lifecycle(event);
        return;
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        this.#lifecycle(event);
        this.#terminal(event);
        return;
      case "error":
        this.errorEvent = isPlainObject(event.error) ? (event.error as typeof this.errorEvent) : {};
        return;
      default:
        return;
    }
  }

  /** The current snapshot (live: later events keep changing it; copy it to keep a moment's state). */
  get snapshot(): ResponseResource {
    this.#flush();
    if (this.#final) return this.#final;
    if (this.#base === null) this.#base = placeholderResponse();
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
      const joined =
        buffer.blocks.length > 0 ? buffer.blocks.join("") + buffer.chunks.join("") : buffer.chunks.join("");
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
    if (typeof raw === "number") {
      // The hot path: a known slot of a server that never sent an index out of bounds.
      if (!this.#remapped && raw >= 0 && raw < this.#output.length && Number.isInteger(raw)) return raw;
      return this.#slots.resolve(raw, this.#output.length, (slot) => {
        this.#remapped = true;
        this.#violation(
          "S6",
          `output_index ${raw} is not an existing item or the next one (${this.#output.length} items so far); its events go to output[${slot}].`,
        );
      });
    }
    if (typeof event.item_id === "string") {
      const known = this.#indexById.get(event.item_id);
      if (known !== undefined) return known;
      if (event.item_id !== "") return this.#output.length;
    }
    if (adding || this.#output.length === 0) return this.#output.length;
    return this.#output.length - 1;
  }

  /** The item an event refers to; a placeholder of `fallbackType` if the server never added it. */
  #stateFor(event: Loose, fallbackType: string): ItemState {
    const index = this.#indexOf(event);
    const existing = this.#states[index];
    if (existing) return existing;
    const id = typeof event.item_id === "string" ? event.item_id : "";
    let item: Loose;
    if (fallbackType === "function_call") {
      item = { type: "function_call", id, call_id: "", name: "", arguments: "", status: "in_progress" };
    } else if (fallbackType === "reasoning") {
      item = { type: "reasoning", id, summary: [] };
    } else {
      item = { type: "message", id, role: "assistant", status: "in_progress", content: [] };
    }
    return this.#setItem(index, item);
  }

  #violation(rule: string, message: string): void {
    this.#onViolation?.(rule, message, this.#current);
  }

  /** The slot in `list` of a part index from the wire (`content_index`/`summary_index`). */
  #partSlot(state: ItemState, family: "parts" | "summaries", raw: unknown, list: unknown[]): number {
    if (typeof raw !== "number") return 0;
    const key = family === "parts" ? "partSlots" : "summarySlots";
    const slots = state[key];
    if (slots === null && raw >= 0 && raw < list.length && Number.isInteger(raw)) return raw;
    const resolved = slots ?? new Slots();
    return resolved.resolve(raw, list.length, (slot) => {
      state[key] = resolved;
      const field = family === "parts" ? "content_index" : "summary_index";
      this.#violation(
        "S7",
        `${field} ${raw} is not an existing part or the next one (${list.length} so far); its events go to part ${slot}.`,
      );
    });
  }

  #setItem(index: number, item: Loose): ItemState {
    const state: ItemState = {
      item,
      parts: [],
      summaries: [],
      args: undefined,
      partSlots: null,
      summarySlots: null,
    };
    this.#output[index] = item;
    this.#states[index] = state;
    if (typeof item.id === "string" && item.id) this.#indexById.set(item.id, index);
    return state;
  }

  #list(item: Loose, family: "parts" | "summaries"): unknown[] {
    const key = family === "parts" ? "content" : "summary";
    let list = item[key];
    if (!Array.isArray(list)) {
      list = [];
      item[key] = list;
    }
    return list as unknown[];
  }

  #textBuffer(
    event: Loose,
    family: "parts" | "summaries",
    partType: string,
    field: string,
  ): TextBuffer {
    const index = family === "parts" ? event.content_index : event.summary_index;
    const state = this.#stateFor(
      event,
      partType === "reasoning_text" || partType === "summary_text" ? "reasoning" : "message",
    );
    const buffers = state[family];
    // The hot path: the buffer of a part whose index was never remapped.
    let buffer =
      typeof index === "number" && (family === "parts" ? state.partSlots : state.summarySlots) === null
        ? buffers[index]
        : undefined;
    if (buffer === undefined) {
      const list = this.#list(state.item, family);
      const partIndex = this.#partSlot(state, family, index, list);
      buffer = buffers[partIndex] ?? this.#newBuffer(list, partIndex, partType, field, buffers);
    }
    if (!buffer.dirty) {
      buffer.dirty = true;
      this.#dirty.push(buffer);
    }
    return buffer;
  }

  /** The buffer of part `partIndex` (a placeholder part when the server never added it). */
  #newBuffer(
    list: unknown[],
    partIndex: number,
    partType: string,
    field: string,
    buffers: Array<TextBuffer | undefined>,
  ): TextBuffer {
    let part = list[partIndex];
    if (!isPlainObject(part)) {
      part =
        partType === "output_text"
          ? { type: partType, text: "", annotations: [] }
          : { type: partType, [field]: "" };
      list[partIndex] = part;
    }
    const buffer: TextBuffer = { target: part as Loose, field, blocks: [], chunks: [], dirty: false };
    buffers[partIndex] = buffer;
    return buffer;
  }

  #argsBuffer(event: Loose): TextBuffer {
    const state = this.#stateFor(event, "function_call");
    let buffer = state.args;
    if (buffer === undefined) {
      buffer = { target: state.item, field: "arguments", blocks: [], chunks: [], dirty: false };
      state.args = buffer;
    }
    if (!buffer.dirty) {
      buffer.dirty = true;
      this.#dirty.push(buffer);
    }
    return buffer;
  }

  /** A `.done` event carries the full text: it wins, and a disagreement is reported. */
  #finishText(buffer: TextBuffer, finalText: unknown, event: Loose): void {
    this.#flushBuffer(buffer);
    if (typeof finalText !== "string") return;
    const streamed = buffer.target[buffer.field];
    if (streamed !== finalText) {
      if (typeof streamed === "string" && streamed !== "") {
        this.#addDifference(`${this.#pathOf(event)}.${buffer.field}`, streamed, finalText);
      }
      buffer.target[buffer.field] = finalText;
    }
  }

  #pathOf(event: Loose): string {
    const base = `output[${this.#indexOf(event)}]`;
    if (typeof event.content_index === "number") return `${base}.content[${event.content_index}]`;
    if (typeof event.summary_index === "number") return `${base}.summary[${event.summary_index}]`;
    return base;
  }

  #addAnnotation(event: Loose): void {
    const buffer = this.#textBuffer(event, "parts", "output_text", "text");
    const part = buffer.target;
    let annotations = part.annotations;
    if (!Array.isArray(annotations)) {
      annotations = [];
      part.annotations = annotations;
    }
    const list = annotations as unknown[];
    const raw = event.annotation_index;
    let at = list.length;
    if (typeof raw === "number") {
      if (Number.isInteger(raw) && raw >= 0 && raw <= list.length) at = raw;
      else {
        this.#violation(
          "S7",
          `annotation_index ${raw} is not an existing annotation or the next one (${list.length} so far).`,
        );
      }
    }
    list[at] = cleanCopy(event.annotation);
  }

  #partAdded(event: Loose, family: "parts" | "summaries"): void {
    const state = this.#stateFor(event, family === "summaries" ? "reasoning" : "message");
    const index = family === "parts" ? event.content_index : event.summary_index;
    const list = this.#list(state.item, family);
    const partIndex = typeof index === "number" ? this.#partSlot(state, family, index, list) : list.length;
    const part: Loose = isPlainObject(event.part) ? cleanCopy(event.part) : {};
    const existing = state[family][partIndex];
    if (existing) {
      // Text streamed before the part was announced (a violation) is kept.
      this.#flushBuffer(existing);
      const streamed = existing.target[existing.field];
      for (const key of Object.keys(part)) existing.target[key] = part[key];
      existing.target[existing.field] = streamed;
      return;
    }
    list[partIndex] = part;
  }

  #partDone(event: Loose, family: "parts" | "summaries"): void {
    const state = this.#stateFor(event, family === "summaries" ? "reasoning" : "message");
    const index = family === "parts" ? event.content_index : event.summary_index;
    const list = this.#list(state.item, family);
    const partIndex = this.#partSlot(state, family, index, list);
    const buffer = state[family][partIndex];
    if (buffer) this.#flushBuffer(buffer);
    if (!isPlainObject(event.part)) return;
    const current = list[partIndex];
    if (isPlainObject(current)) {
      this.#mergeInto(current, event.part, this.#pathOf(event));
    } else {
      list[partIndex] = cleanCopy(event.part);
    }
  }

  #itemAdded(event: Loose): void {
    const index = this.#indexOf(event, true);
    const item = isPlainObject(event.item) ? cleanCopy(event.item) : { type: "unknown" };
    if (item.type === "message" && !Array.isArray(item.content)) item.content = [];
    if (item.type === "reasoning" && !Array.isArray(item.summary)) item.summary = [];
    if (item.type === "function_call" && typeof item.arguments !== "string") item.arguments = "";
    this.#setItem(index, item);
  }

  #itemDone(event: Loose): void {
    const index = this.#indexOf(event);
    const state = this.#states[index];
    if (!isPlainObject(event.item)) return;
    if (!state) {
      this.#setItem(index, cleanCopy(event.item));
      return;
    }
    this.#flushItem(state);
    this.#mergeInto(state.item, event.item, `output[${index}]`);
    if (typeof state.item.id === "string" && state.item.id) this.#indexById.set(state.item.id, index);
  }

  #flushItem(state: ItemState): void {
    for (const buffer of state.parts) if (buffer) this.#flushBuffer(buffer);
    for (const buffer of state.summaries) if (buffer) this.#flushBuffer(buffer);
    if (state.args) this.#flushBuffer(state.args);
  }

  #lifecycle(event: Loose): void {
    const response = event.response;
    if (!isPlainObject(response)) return;
    const theirs = own(response, "output");
    if (this.#output.length === 0 && Array.isArray(theirs) && theirs.length > 0) {
      for (const item of theirs) {
        if (isPlainObject(item)) this.#setItem(this.#output.length, cleanCopy(item));
      }
    }
    this.#base = { ...copyResponse(response), output: this.#output } as unknown as ResponseResource;
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
    const response = isPlainObject(event.response) ? event.response : ((this.#base as unknown as Loose) ?? {});
    const theirsValue = own(response, "output");
    const theirs = Array.isArray(theirsValue) ? (theirsValue as unknown[]) : [];
    const streamed = this.#output;
    if (theirs.length === 0 && streamed.length > 0) {
      this.#addDifference("output", `${streamed.length} streamed items`, theirs);
    }

    // Which streamed slot each terminal item matches (-1: none).
    const matchOf = new Array<number>(theirs.length).fill(-1);
    const taken = new Uint8Array(streamed.length);
    theirs.forEach((final, index) => {
      if (!isPlainObject(final)) return;
      const id = own(final, "id");
      if (typeof id !== "string" || id === "") return;
      const slot = this.#indexById.get(id);
      if (slot !== undefined && taken[slot] === 0 && own(streamed[slot] as Loose, "id") === id) {
        matchOf[index] = slot;
        taken[slot] = 1;
      }
    });
    theirs.forEach((final, index) => {
      if (matchOf[index] !== -1 || !isPlainObject(final) || index >= streamed.length || taken[index] === 1)
        return;
      const id = own(final, "id");
      // An id the stream used elsewhere is that item's, not this slot's.
      if (typeof id === "string" && id !== "" && this.#indexById.has(id)) return;
      matchOf[index] = index;
      taken[index] = 1;
    });

    const output: unknown[] = [];
    const emittedIds = new Set<string>();
    const emit = (item: unknown, path: string, final: unknown): void => {
      const id = isPlainObject(item) ? own(item, "id") : undefined;
      if (typeof id === "string" && id !== "") {
        if (emittedIds.has(id)) {
          this.#addDifference(path, "(the same item again)", final);
          return;
        }
        emittedIds.add(id);
      }
      output.push(item);
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
        if (!isPlainObject(final)) {
          this.#addDifference(`output[${index}]`, undefined, final);
          return;
        }
        if (streamed.length > 0) this.#addDifference(`output[${index}]`, undefined, final);
        emit(cleanCopy(final), `output[${index}]`, final);
        return;
      }
      keepUnmatchedBefore(slot);
      const item = streamed[slot] as Loose;
      this.#mergeInto(item, final as Loose, `output[${slot}]`);
      emit(item, `output[${slot}]`, final);
    });
    keepUnmatchedBefore(streamed.length);
    this.#final = { ...copyResponse(response), output: output as ItemField[] } as unknown as ResponseResource;
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
          if (isPlainObject(a) && isPlainObject(b)) this.#mergeInto(a, b, `${here}[${i}]`, depth + 1);
          else if (a !== b && !(Array.isArray(a) && sameJSON(a, b))) {
            if (a !== undefined) this.#addDifference(`${here}[${i}]`, a, b);
            current[i] = cleanCopy(b);
          }
        }
        if (current.length > incoming.length) {
          this.#addDifference(here, current.slice(incoming.length), "(missing)");
        }
      } else if (isPlainObject(current) && isPlainObject(incoming)) {
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
