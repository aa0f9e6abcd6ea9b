/**
 * Checks a stream of events against the protocol rules S2 and S4–S9 (and X1 for extension names).
 * Lenient by default: a violation is recorded and the stream goes on. With `strict: true` the first
 * violation throws a `ProtocolError` naming the rule, at the offending event.
 *
 * Per-event work is a couple of map look-ups, so checking costs little next to JSON.parse.
 */

import { ProtocolError } from "../errors.js";
import {
  ARGUMENTS,
  CREATED,
  DELTA,
  ERROR,
  ITEM_ADDED,
  ITEM_DONE,
  PART_ADDED,
  PART_DONE,
  type ProtocolViolation,
  type ResponseStreamEvent,
  roleOf,
  TERMINAL,
} from "./events.js";

const STANDARD_ITEM_TYPES: ReadonlySet<string> = new Set([
  "message",
  "function_call",
  "function_call_output",
  "reasoning",
  "compaction",
]);

type PartState = "open" | "done";

/** Per part family (content, summary): the event field that indexes its parts, and their name. */
const INDEX_FIELDS = ["content_index", "summary_index"] as const;
const PART_NAMES = ["Content part", "Summary part"] as const;

/** The most violations one stream records (the first ones; strict mode throws at the first anyway). */
export const MAX_RECORDED_VIOLATIONS = 1000;

interface ItemState {
  done: boolean;
  /** Per part family, its parts' states by index (rule S7). */
  parts: [Map<number, PartState>, Map<number, PartState>];
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
  /**
   * The same states at the indexes 0, 1, 2... a server numbers its items with: every delta looks its
   * item up, and an array read costs less than a keyed one. The map stays the record of every index.
   */
  readonly #byIndex: ItemState[] = [];
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

    const role = roleOf(event);
    if (role === undefined) {
      if (!hasPrefix(type)) {
        this.report("X1", `Unknown event type "${type}" has no provider prefix (slug:name).`, event);
      }
      return;
    }
    const kind = role[0];
    const family = role[1] as number;
    if (kind >= DELTA) {
      // A text delta, `.done` or annotation (nearly every event): its item (and part) must be open.
      const state = this.#openItem(event);
      if (state && family !== ARGUMENTS) this.#inOpenPart(event, state, family);
    } else if (kind === CREATED) {
      if (!first) this.report("S5", "response.created must be the first event, and only once.", event);
    } else if (kind === TERMINAL) this.#checkTerminal(event);
    else if (kind === ERROR) this.#awaitingFailedAfterError = true;
    else if (kind === ITEM_ADDED) this.#itemAdded(event);
    else if (kind === ITEM_DONE) this.#itemDone(event);
    else if (kind === PART_ADDED || kind === PART_DONE) this.#part(event, family, kind === PART_DONE);
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
        `Output item ${this.#incompleteItemIndex} is incomplete: the response must end with response.incomplete, not ${event.type}.`,
        event,
      );
    }
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
    const state: ItemState = { done: false, parts: [new Map(), new Map()] };
    this.#items.set(index, state);
    // Only the next free slot or an existing one, so the array stays dense.
    if (index >= 0 && index <= this.#byIndex.length && Number.isInteger(index)) this.#byIndex[index] = state;
    if (typeof item?.id === "string") this.#indexById.set(item.id, index);
    const itemType = item?.type;
    if (typeof itemType === "string" && !STANDARD_ITEM_TYPES.has(itemType) && !hasPrefix(itemType)) {
      this.report("X1", `Unknown item type "${itemType}" has no provider prefix (slug:name).`, event);
    }
  }

  #itemDone(event: LooseEvent): void {
    const state = this.#openItem(event, true);
    if (!state) return;
    const index = this.#indexOf(event);
    state.parts.forEach((parts, family) => {
      for (const [partIndex, partState] of parts) {
        if (partState === "open") {
          this.report("S7", `${PART_NAMES[family]} ${partIndex} of item ${index} was never done.`, event);
        }
      }
    });
    state.done = true;
    const item = event.item as { status?: unknown } | null | undefined;
    if (item?.status === "incomplete") this.#incompleteItemIndex = index;
  }

  #indexOf(event: LooseEvent): number | undefined {
    if (typeof event.output_index === "number") return event.output_index;
    if (typeof event.item_id === "string") return this.#indexById.get(event.item_id);
    return undefined;
  }

  /** S6: the event's item was added and is not done yet. */
  #openItem(event: LooseEvent, closing = false): ItemState | undefined {
    const index = this.#indexOf(event);
    const state = index === undefined ? undefined : (this.#byIndex[index] ?? this.#items.get(index));
    if (state !== undefined && !state.done) return state;
    // `closing`: the event is a `response.output_item.done` (the one type with that role).
    const name = event.type;
    if (state === undefined) {
      this.report("S6", `${name} for output item ${index} came before its output_item.added.`, event);
    } else {
      this.report(
        "S6",
        closing
          ? `Output item ${index} was done twice.`
          : `${name} for output item ${index} came after its output_item.done.`,
        event,
      );
    }
    return undefined;
  }

  /** `content_part` and `reasoning_summary_part` events, `.added` and `.done` (rule S7). */
  #part(event: LooseEvent, family: number, done: boolean): void {
    const state = this.#openItem(event);
    if (!state) return;
    const field = INDEX_FIELDS[family] as string;
    const name = (PART_NAMES[family] as string).toLowerCase();
    const parts = state.parts[family] as Map<number, PartState>;
    const partIndex = event[field];
    if (done) {
      // Only numbers are keys of `parts`: any other index has no state.
      const current = parts.get(partIndex as number);
      if (current !== "open") {
        this.report(
          "S7",
          `The ${name} ${String(partIndex)} was done ${current === "done" ? "twice" : "before it was added"}.`,
          event,
        );
      }
      if (typeof partIndex === "number") parts.set(partIndex, "done");
    } else if (typeof partIndex !== "number") {
      this.report("S7", `${event.type} has no numeric ${field}.`, event);
    } else {
      if (parts.has(partIndex)) this.report("S7", `The ${name} ${partIndex} was added twice.`, event);
      parts.set(partIndex, "open");
    }
  }

  /** S7: a text event's part was added and is not done yet. */
  #inOpenPart(event: LooseEvent, state: ItemState, family: number): void {
    const partIndex = family ? event.summary_index : event.content_index;
    const current = state.parts[family]?.get(partIndex as number);
    if (current === "open") return;
    this.report(
      "S7",
      `${event.type} came ${current === "done" ? "after" : "before"} its ${(PART_NAMES[family] as string).toLowerCase()} ${String(partIndex)} was ${current === "done" ? "done" : "added"}.`,
      event,
    );
  }
}
