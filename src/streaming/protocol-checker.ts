/**
 * Checks a stream of events against the protocol rules S2 and S4–S9 (and X1 for extension names).
 * Lenient by default: a violation is recorded and the stream goes on. With `strict: true` the first
 * violation throws a `ProtocolError` naming the rule, at the offending event.
 *
 * Per-event work is a couple of map look-ups, so checking costs little next to JSON.parse.
 */

import { ProtocolError } from "../errors.js";
import type { ProtocolViolation, ResponseStreamEvent } from "./events.js";
import { STANDARD_EVENT_TYPES } from "./events.js";

const STANDARD_ITEM_TYPES: ReadonlySet<string> = new Set([
  "message",
  "function_call",
  "function_call_output",
  "reasoning",
  "compaction",
]);

type PartState = "open" | "done";

/** The most violations one stream records (the first ones; strict mode throws at the first anyway). */
export const MAX_RECORDED_VIOLATIONS = 1000;

interface ItemState {
  done: boolean;
  /** Content parts by content_index (rule S7). */
  parts: Map<number, PartState>;
  /** Reasoning summary parts by summary_index (rule S7). */
  summaries: Map<number, PartState>;
}

export interface ProtocolCheckerOptions {
  strict?: boolean;
}

/** A loosely typed view of an event: the checker must cope with fields that are missing or mistyped. */
type LooseEvent = Record<string, unknown> & { type: string };

function hasPrefix(type: string): boolean {
  const colon = type.indexOf(":");
  return colon > 0 && colon < type.length - 1;
}

/**
 * Holds a sequence of stream events to rules S2 and S4–S9 (and X1 for unknown types): records each
 * violation, or in strict mode throws a `ProtocolError` naming the rule. `ResponseStream` runs one on
 * every stream; use it directly to check events you got some other way.
 *
 * @example
 * ```ts
 * const checker = new ProtocolChecker();
 * for (const event of events) checker.check(event);
 * checker.finish();
 * console.log(checker.violations.map((v) => v.rule));
 * ```
 */
export class ProtocolChecker {
  readonly violations: ProtocolViolation[] = [];
  readonly #strict: boolean;
  #lastSequence: number | undefined;
  #eventCount = 0;
  #terminalType: string | undefined;
  #awaitingFailedAfterError = false;
  #incompleteItemIndex: number | undefined;
  readonly #items = new Map<number, ItemState>();
  readonly #indexById = new Map<string, number>();

  constructor(options: ProtocolCheckerOptions = {}) {
    this.#strict = options.strict ?? false;
  }

  /** Records (or, in strict mode, throws) a violation of `rule` at `event`. */
  report(rule: string, message: string, event?: { type?: unknown; sequence_number?: unknown }): void {
    const violation: ProtocolViolation = {
      rule,
      message,
      sequenceNumber: typeof event?.sequence_number === "number" ? event.sequence_number : undefined,
      eventType: typeof event?.type === "string" ? event.type : undefined,
    };
    // Bounded: a server that breaks a rule on every delta of a long stream must not grow this for ever.
    if (this.violations.length < MAX_RECORDED_VIOLATIONS) this.violations.push(violation);
    if (this.#strict) throw new ProtocolError(rule, message, event);
  }

  /** Checks one event, in stream order. `issue` is a violation the parser found in the same message. */
  check(streamEvent: ResponseStreamEvent, issue?: { rule: string; message: string }): void {
    const event = streamEvent as unknown as LooseEvent;
    const type = event.type;
    if (issue) this.report(issue.rule, issue.message, event);

    const sequence = event.sequence_number;
    if (typeof sequence !== "number") {
      this.report("S4", "The event has no numeric `sequence_number`.", event);
    } else {
      if (this.#lastSequence !== undefined && sequence <= this.#lastSequence) {
        this.report(
          "S4",
          `Sequence number ${sequence} does not increase (previous ${this.#lastSequence}).`,
          event,
        );
      }
      this.#lastSequence = sequence;
    }

    const first = this.#eventCount === 0;
    this.#eventCount += 1;
    if (this.#terminalType !== undefined) {
      this.report("S5", `An event arrived after the terminal event ${this.#terminalType}.`, event);
      return;
    }
    if (first && type !== "response.created") {
      this.report("S5", `The first event must be response.created, not ${type}.`, event);
    }
    if (this.#awaitingFailedAfterError) {
      this.#awaitingFailedAfterError = false;
      if (type !== "response.failed") {
        this.report("S8", `An error event must be followed by response.failed, not ${type}.`, event);
      }
    }

    switch (type) {
      // The delta families first: they are nearly every event of a stream.
      case "response.output_text.delta":
      case "response.output_text.done":
      case "response.output_text.annotation.added":
      case "response.refusal.delta":
      case "response.refusal.done":
      case "response.reasoning.delta":
      case "response.reasoning.done":
        this.#inOpenPart(event, "parts", "content_index", "content part");
        return;
      case "response.function_call_arguments.delta":
      case "response.function_call_arguments.done":
        this.#openItem(event);
        return;
      case "response.created":
        if (!first) this.report("S5", "response.created must be the first event, and only once.", event);
        return;
      case "response.queued":
      case "response.in_progress":
        return;
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        this.#checkTerminal(event);
        return;
      case "error":
        this.#awaitingFailedAfterError = true;
        return;
      case "response.output_item.added":
        this.#itemAdded(event);
        return;
      case "response.output_item.done":
        this.#itemDone(event);
        return;
      case "response.content_part.added":
        this.#partAdded(event, "parts", "content_index", "content part");
        return;
      case "response.content_part.done":
        this.#partDone(event, "parts", "content_index", "content part");
        return;
      case "response.reasoning_summary_part.added":
        this.#partAdded(event, "summaries", "summary_index", "summary part");
        return;
      case "response.reasoning_summary_part.done":
        this.#partDone(event, "summaries", "summary_index", "summary part");
        return;
      case "response.reasoning_summary_text.delta":
      case "response.reasoning_summary_text.done":
        this.#inOpenPart(event, "summaries", "summary_index", "summary part");
        return;
      default:
        if (!STANDARD_EVENT_TYPES.has(type) && !hasPrefix(type)) {
          this.report("X1", `Unknown event type "${type}" has no provider prefix (slug:name).`, event);
        }
    }
  }

  /** End of the stream (`[DONE]` or end of body). */
  finish(): void {
    if (this.#awaitingFailedAfterError) {
      this.#awaitingFailedAfterError = false;
      this.report("S8", "The stream ended after an error event without response.failed.");
    }
  }

  #checkTerminal(event: LooseEvent): void {
    this.#terminalType = event.type;
    for (const [index, item] of this.#items) {
      if (item.done) continue;
      this.report("S6", `Output item ${index} was never closed by response.output_item.done.`, event);
    }
    if (this.#incompleteItemIndex !== undefined && event.type !== "response.incomplete") {
      this.report(
        "S9",
        `Output item ${this.#incompleteItemIndex} is incomplete, so the response must end with response.incomplete, not ${event.type}.`,
        event,
      );
    }
  }

  #indexOf(event: LooseEvent): number | undefined {
    if (typeof event.output_index === "number") return event.output_index;
    if (typeof event.item_id === "string") return this.#indexById.get(event.item_id);
    return undefined;
  }

  #itemAdded(event: LooseEvent): void {
    const index = event.output_index;
    const item = event.item as { type?: unknown; id?: unknown } | null | undefined;
    if (typeof index !== "number") {
      this.report("S6", "response.output_item.added has no numeric output_index.", event);
      return;
    }
    if (this.#items.has(index)) {
      this.report("S6", `Output item ${index} was added twice.`, event);
    }
    if (this.#incompleteItemIndex !== undefined) {
      this.report("S9", `An item was added after the incomplete item ${this.#incompleteItemIndex}.`, event);
    }
    this.#items.set(index, { done: false, parts: new Map(), summaries: new Map() });
    if (typeof item?.id === "string") this.#indexById.set(item.id, index);
    const itemType = item?.type;
    if (typeof itemType === "string" && !STANDARD_ITEM_TYPES.has(itemType) && !hasPrefix(itemType)) {
      this.report("X1", `Unknown item type "${itemType}" has no provider prefix (slug:name).`, event);
    }
  }

  #itemDone(event: LooseEvent): void {
    const index = this.#indexOf(event);
    const state = index === undefined ? undefined : this.#items.get(index);
    if (state === undefined) {
      this.report(
        "S6",
        `response.output_item.done for output item ${index} came before its output_item.added.`,
        event,
      );
      return;
    }
    if (state.done) {
      this.report("S6", `Output item ${index} was done twice.`, event);
      return;
    }
    for (const [partIndex, partState] of state.parts) {
      if (partState === "open")
        this.report("S7", `Content part ${partIndex} of item ${index} was never done.`, event);
    }
    for (const [partIndex, partState] of state.summaries) {
      if (partState === "open")
        this.report("S7", `Summary part ${partIndex} of item ${index} was never done.`, event);
    }
    state.done = true;
    const item = event.item as { status?: unknown } | null | undefined;
    if (item?.status === "incomplete") this.#incompleteItemIndex = index;
  }

  /** S6: the event's item was added and is not done yet. */
  #openItem(event: LooseEvent): ItemState | undefined {
    const index = this.#indexOf(event);
    const state = index === undefined ? undefined : this.#items.get(index);
    if (state === undefined) {
      this.report("S6", `${event.type} for output item ${index} came before its output_item.added.`, event);
      return undefined;
    }
    if (state.done) {
      this.report("S6", `${event.type} for output item ${index} came after its output_item.done.`, event);
      return undefined;
    }
    return state;
  }

  #partAdded(
    event: LooseEvent,
    family: "parts" | "summaries",
    indexField: "content_index" | "summary_index",
    label: string,
  ): void {
    const state = this.#openItem(event);
    if (!state) return;
    const partIndex = event[indexField];
    if (typeof partIndex !== "number") {
      this.report("S7", `${event.type} has no numeric ${indexField}.`, event);
      return;
    }
    if (state[family].has(partIndex)) this.report("S7", `The ${label} ${partIndex} was added twice.`, event);
    state[family].set(partIndex, "open");
  }

  #partDone(
    event: LooseEvent,
    family: "parts" | "summaries",
    indexField: "content_index" | "summary_index",
    label: string,
  ): void {
    const state = this.#openItem(event);
    if (!state) return;
    const partIndex = event[indexField];
    const current = typeof partIndex === "number" ? state[family].get(partIndex) : undefined;
    if (current !== "open") {
      this.report(
        "S7",
        current === "done"
          ? `The ${label} ${String(partIndex)} was done twice.`
          : `The ${label} ${String(partIndex)} was done before it was added.`,
        event,
      );
    }
    if (typeof partIndex === "number") state[family].set(partIndex, "done");
  }

  #inOpenPart(
    event: LooseEvent,
    family: "parts" | "summaries",
    indexField: "content_index" | "summary_index",
    label: string,
  ): void {
    const state = this.#openItem(event);
    if (!state) return;
    const partIndex = event[indexField];
    const current = typeof partIndex === "number" ? state[family].get(partIndex) : undefined;
    if (current === "open") return;
    this.report(
      "S7",
      current === "done"
        ? `${event.type} came after its ${label} ${String(partIndex)} was done.`
        : `${event.type} came before its ${label} ${String(partIndex)} was added.`,
      event,
    );
  }
}
