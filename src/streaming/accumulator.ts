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
  chunks.push(typeof delta === "string" ? delta : delta == null ? "" : String(delta));
  if (chunks.length === BLOCK_SIZE) {
    buffer.blocks.push(chunks.join(""));
    buffer.chunks = [];
  }
}

interface ItemState {
  item: Loose;
  /** Buffers of content parts by content_index. */
  parts: Array<TextBuffer | undefined>;
  /** Buffers of summary parts by summary_index. */
  summaries: Array<TextBuffer | undefined>;
  /** The function-call arguments buffer. */
  args: TextBuffer | undefined;
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

/** A copy of a content part whose lists (annotations, logprobs) can grow without touching the event. */
function copyPart(part: Loose): Loose {
  const copy: Loose = { ...part };
  for (const key of Object.keys(copy)) {
    const value = copy[key];
    if (Array.isArray(value)) copy[key] = [...value];
  }
  return copy;
}

/** A copy of an item deep enough that streaming into it never mutates an event the user holds. */
function copyItem(item: Loose): Loose {
  const copy: Loose = { ...item };
  for (const key of ["content", "summary"]) {
    const list = copy[key];
    if (Array.isArray(list)) copy[key] = list.map((part) => (isPlainObject(part) ? copyPart(part) : part));
  }
  return copy;
}

/** A minimal snapshot for a stream that never sent `response.created` (the output is still rebuilt). */
function placeholderResponse(): ResponseResource {
  return { id: "", object: "response", status: "in_progress", output: [] } as unknown as ResponseResource;
}

export class ResponseAccumulator {
  /** Differences found between what was streamed and the `.done` events or the terminal snapshot. */
  readonly differences: StreamDifference[] = [];
  private base: ResponseResource | null = null;
  private readonly output: Loose[] = [];
  private readonly states: Array<ItemState | undefined> = [];
  private readonly indexById = new Map<string, number>();
  private dirty: TextBuffer[] = [];
  private final: ResponseResource | null = null;
  /** The payload of the last `error` event, if any. */
  errorEvent: { type?: string; code?: string | null; message?: string; param?: string | null } | null = null;

  /** Applies one event. Unknown events change nothing (their items arrive through output_item events). */
  apply(streamEvent: ResponseStreamEvent): void {
    // After the terminal event the response is settled (rule S5: nothing follows it); stragglers are
    // reported by the checker and must not change what finalResponse() returned.
    if (this.final !== null) return;
    const event = streamEvent as unknown as Loose;
    switch (event.type as string) {
      case "response.output_text.delta":
        append(this.textBuffer(event, "parts", "output_text", "text"), event.delta);
        return;
      case "response.function_call_arguments.delta":
        append(this.argsBuffer(event), event.delta);
        return;
      case "response.refusal.delta":
        append(this.textBuffer(event, "parts", "refusal", "refusal"), event.delta);
        return;
      case "response.reasoning.delta":
        append(this.textBuffer(event, "parts", "reasoning_text", "text"), event.delta);
        return;
      case "response.reasoning_summary_text.delta":
        append(this.textBuffer(event, "summaries", "summary_text", "text"), event.delta);
        return;
      case "response.output_text.done":
        this.finishText(this.textBuffer(event, "parts", "output_text", "text"), event.text, event);
        return;
      case "response.refusal.done":
        this.finishText(this.textBuffer(event, "parts", "refusal", "refusal"), event.refusal, event);
        return;
      case "response.reasoning.done":
        this.finishText(this.textBuffer(event, "parts", "reasoning_text", "text"), event.text, event);
        return;
      case "response.reasoning_summary_text.done":
        this.finishText(this.textBuffer(event, "summaries", "summary_text", "text"), event.text, event);
        return;
      case "response.function_call_arguments.done":
        this.finishText(this.argsBuffer(event), event.arguments, event);
        return;
      case "response.output_text.annotation.added":
        this.addAnnotation(event);
        return;
      case "response.content_part.added":
        this.partAdded(event, "parts");
        return;
      case "response.reasoning_summary_part.added":
        this.partAdded(event, "summaries");
        return;
      case "response.content_part.done":
        this.partDone(event, "parts");
        return;
      case "response.reasoning_summary_part.done":
        this.partDone(event, "summaries");
        return;
      case "response.output_item.added":
        this.itemAdded(event);
        return;
      case "response.output_item.done":
        this.itemDone(event);
        return;
      case "response.created":
      case "response.queued":
      case "response.in_progress":
        this.lifecycle(event);
        return;
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        this.lifecycle(event);
        this.terminal(event);
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
    this.flush();
    if (this.final) return this.final;
    if (this.base === null) this.base = placeholderResponse();
    const snapshot = this.base;
    (snapshot as unknown as Loose).output = this.output;
    return snapshot;
  }

  /** The reconciled terminal response, once a terminal event arrived. */
  get finalResponse(): ResponseResource | null {
    return this.final;
  }

  /** All `output_text` of assistant messages so far, joined. */
  get outputText(): string {
    return outputText(this.snapshot);
  }

  private flush(): void {
    if (this.dirty.length === 0) return;
    for (const buffer of this.dirty) this.flushBuffer(buffer);
    this.dirty = [];
  }

  private flushBuffer(buffer: TextBuffer): void {
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
  private indexOf(event: Loose, adding = false): number {
    if (typeof event.output_index === "number") return event.output_index;
    if (typeof event.item_id === "string") {
      const known = this.indexById.get(event.item_id);
      if (known !== undefined) return known;
      if (event.item_id !== "") return this.output.length;
    }
    if (adding || this.output.length === 0) return this.output.length;
    return this.output.length - 1;
  }

  /** The item an event refers to; a placeholder of `fallbackType` if the server never added it. */
  private stateFor(event: Loose, fallbackType: string): ItemState {
    const index = this.indexOf(event);
    const existing = this.states[index];
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
    return this.setItem(index, item);
  }

  private setItem(index: number, item: Loose): ItemState {
    const state: ItemState = { item, parts: [], summaries: [], args: undefined };
    this.output[index] = item;
    this.states[index] = state;
    if (typeof item.id === "string" && item.id) this.indexById.set(item.id, index);
    return state;
  }

  private list(item: Loose, family: "parts" | "summaries"): unknown[] {
    const key = family === "parts" ? "content" : "summary";
    let list = item[key];
    if (!Array.isArray(list)) {
      list = [];
      item[key] = list;
    }
    return list as unknown[];
  }

  private textBuffer(
    event: Loose,
    family: "parts" | "summaries",
    partType: string,
    field: string,
  ): TextBuffer {
    const index = family === "parts" ? event.content_index : event.summary_index;
    const partIndex = typeof index === "number" ? index : 0;
    const state = this.stateFor(
      event,
      partType === "reasoning_text" || partType === "summary_text" ? "reasoning" : "message",
    );
    const buffers = state[family];
    let buffer = buffers[partIndex];
    if (buffer === undefined) {
      const list = this.list(state.item, family);
      let part = list[partIndex];
      if (!isPlainObject(part)) {
        part =
          partType === "output_text"
            ? { type: partType, text: "", annotations: [] }
            : { type: partType, [field]: "" };
        list[partIndex] = part;
      }
      buffer = { target: part as Loose, field, blocks: [], chunks: [], dirty: false };
      buffers[partIndex] = buffer;
    }
    if (!buffer.dirty) {
      buffer.dirty = true;
      this.dirty.push(buffer);
    }
    return buffer;
  }

  private argsBuffer(event: Loose): TextBuffer {
    const state = this.stateFor(event, "function_call");
    let buffer = state.args;
    if (buffer === undefined) {
      buffer = { target: state.item, field: "arguments", blocks: [], chunks: [], dirty: false };
      state.args = buffer;
    }
    if (!buffer.dirty) {
      buffer.dirty = true;
      this.dirty.push(buffer);
    }
    return buffer;
  }

  /** A `.done` event carries the full text: it wins, and a disagreement is reported. */
  private finishText(buffer: TextBuffer, finalText: unknown, event: Loose): void {
    this.flushBuffer(buffer);
    if (typeof finalText !== "string") return;
    const streamed = buffer.target[buffer.field];
    if (streamed !== finalText) {
      if (typeof streamed === "string" && streamed !== "") {
        this.addDifference(`${this.pathOf(event)}.${buffer.field}`, streamed, finalText);
      }
      buffer.target[buffer.field] = finalText;
    }
  }

  private pathOf(event: Loose): string {
    const base = `output[${this.indexOf(event)}]`;
    if (typeof event.content_index === "number") return `${base}.content[${event.content_index}]`;
    if (typeof event.summary_index === "number") return `${base}.summary[${event.summary_index}]`;
    return base;
  }

  private addAnnotation(event: Loose): void {
    const buffer = this.textBuffer(event, "parts", "output_text", "text");
    const part = buffer.target;
    let annotations = part.annotations;
    if (!Array.isArray(annotations)) {
      annotations = [];
      part.annotations = annotations;
    }
    const list = annotations as unknown[];
    const at = typeof event.annotation_index === "number" ? event.annotation_index : list.length;
    list[at] = event.annotation;
  }

  private partAdded(event: Loose, family: "parts" | "summaries"): void {
    const state = this.stateFor(event, family === "summaries" ? "reasoning" : "message");
    const index = family === "parts" ? event.content_index : event.summary_index;
    const partIndex = typeof index === "number" ? index : 0;
    const part: Loose = isPlainObject(event.part) ? copyPart(event.part) : {};
    const list = this.list(state.item, family);
    const existing = state[family][partIndex];
    if (existing) {
      // Text streamed before the part was announced (a violation) is kept.
      this.flushBuffer(existing);
      Object.assign(existing.target, part, { [existing.field]: existing.target[existing.field] });
      return;
    }
    list[partIndex] = part;
  }

  private partDone(event: Loose, family: "parts" | "summaries"): void {
    const state = this.stateFor(event, family === "summaries" ? "reasoning" : "message");
    const index = family === "parts" ? event.content_index : event.summary_index;
    const partIndex = typeof index === "number" ? index : 0;
    const buffer = state[family][partIndex];
    if (buffer) this.flushBuffer(buffer);
    if (!isPlainObject(event.part)) return;
    const list = this.list(state.item, family);
    const current = list[partIndex];
    if (isPlainObject(current)) {
      this.mergeInto(current, event.part, this.pathOf(event));
    } else {
      list[partIndex] = copyPart(event.part);
    }
  }

  private itemAdded(event: Loose): void {
    const index = this.indexOf(event, true);
    const item = isPlainObject(event.item) ? copyItem(event.item) : { type: "unknown" };
    if (item.type === "message" && !Array.isArray(item.content)) item.content = [];
    if (item.type === "reasoning" && !Array.isArray(item.summary)) item.summary = [];
    if (item.type === "function_call" && typeof item.arguments !== "string") item.arguments = "";
    this.setItem(index, item);
  }

  private itemDone(event: Loose): void {
    const index = this.indexOf(event);
    const state = this.states[index];
    if (!isPlainObject(event.item)) return;
    if (!state) {
      this.setItem(index, copyItem(event.item));
      return;
    }
    this.flushItem(state);
    this.mergeInto(state.item, event.item, `output[${index}]`);
    if (typeof state.item.id === "string" && state.item.id) this.indexById.set(state.item.id, index);
  }

  private flushItem(state: ItemState): void {
    for (const buffer of state.parts) if (buffer) this.flushBuffer(buffer);
    for (const buffer of state.summaries) if (buffer) this.flushBuffer(buffer);
    if (state.args) this.flushBuffer(state.args);
  }

  private lifecycle(event: Loose): void {
    const response = event.response;
    if (!isPlainObject(response)) return;
    const theirs = response.output;
    if (this.output.length === 0 && Array.isArray(theirs) && theirs.length > 0) {
      theirs.forEach((item, index) => {
        if (isPlainObject(item)) this.setItem(index, copyItem(item));
      });
    }
    this.base = { ...response, output: this.output } as unknown as ResponseResource;
  }

  /**
   * The terminal snapshot wins where it has a value; what was streamed fills the gaps (an empty `output`,
   * a missing item, an empty text), and every disagreement is recorded in `differences`.
   */
  private terminal(event: Loose): void {
    this.flush();
    const response = isPlainObject(event.response) ? event.response : ((this.base as unknown as Loose) ?? {});
    const theirs = Array.isArray(response.output) ? (response.output as unknown[]) : [];
    let output: unknown[];
    if (theirs.length === 0) {
      if (this.output.length > 0)
        this.addDifference("output", `${this.output.length} streamed items`, theirs);
      output = this.output;
    } else {
      const length = Math.max(theirs.length, this.output.length);
      output = [];
      for (let index = 0; index < length; index++) {
        const streamed = this.output[index];
        const final = theirs[index];
        if (streamed === undefined) {
          output.push(final);
          if (this.output.length > 0) this.addDifference(`output[${index}]`, undefined, final);
        } else if (final === undefined || !isPlainObject(final)) {
          output.push(streamed);
          this.addDifference(`output[${index}]`, streamed, final);
        } else {
          this.mergeInto(streamed, final, `output[${index}]`);
          output.push(streamed);
        }
      }
    }
    this.final = { ...response, output: output as ItemField[] } as unknown as ResponseResource;
  }

  /** Merges `source` (the server's final word) into `target` (what was streamed), recording conflicts. */
  private mergeInto(target: Loose, source: Loose, path: string): void {
    for (const key of Object.keys(source)) {
      const incoming = source[key];
      const current = target[key];
      const here = `${path}.${key}`;
      if (current === undefined) {
        // A copy: later events must not write into the object a user received with an event.
        target[key] =
          typeof incoming === "object" && incoming !== null ? structuredClone(incoming) : incoming;
      } else if (isEmptyValue(incoming)) {
        // A final value that is empty never erases what was streamed (servers that send an empty done part).
        if (!isEmptyValue(current)) this.addDifference(here, current, incoming);
      } else if (Array.isArray(current) && Array.isArray(incoming)) {
        for (let i = 0; i < incoming.length; i++) {
          const a = current[i];
          const b = incoming[i];
          if (isPlainObject(a) && isPlainObject(b)) this.mergeInto(a, b, `${here}[${i}]`);
          else if (a !== b && !(Array.isArray(a) && JSON.stringify(a) === JSON.stringify(b))) {
            if (a !== undefined) this.addDifference(`${here}[${i}]`, a, b);
            current[i] = typeof b === "object" && b !== null ? structuredClone(b) : b;
          }
        }
        if (current.length > incoming.length) {
          this.addDifference(here, current.slice(incoming.length), "(missing)");
        }
      } else if (isPlainObject(current) && isPlainObject(incoming)) {
        this.mergeInto(current, incoming, here);
      } else if (current !== incoming) {
        if (!isEmptyValue(current) && !(key === "status" && current === "in_progress")) {
          this.addDifference(here, current, incoming);
        }
        target[key] = incoming;
      }
    }
  }

  private addDifference(path: string, streamed: unknown, final: unknown): void {
    if (this.differences.length < MAX_DIFFERENCES) this.differences.push({ path, streamed, final });
  }
}
