/**
 * The event-level rules of a stream, shared by SSE and WebSocket (W2 says they carry the same events):
 * the client's protocol checker (S4–S9) on every event, each event against its schema, the non-spec
 * reasoning names, text and arguments deltas against their `.done`, and the terminal snapshot against
 * the items that were streamed (S5).
 */

import { isRecord, type JsonRecord } from "../../internal/guards.js";
import { isTerminalEventType } from "../../internal/terminal-events.js";
import { STANDARD_EVENT_TYPES } from "../../streaming/events.js";
import type { ResponseStreamEvent } from "../../streaming/index.js";
import { ProtocolChecker } from "../../streaming/protocol-checker.js";
import type { FindingList } from "./findings.js";
import { checkSchema, eventSchemaFor, x1Severity } from "./schema-rules.js";

/** OpenAI's names for the spec's `response.reasoning.*` events (docs/rules.md, "Observed in the wild"). */
const OPENAI_NAMES: Readonly<Record<string, string>> = {
  "response.reasoning_text.delta": "response.reasoning.delta",
  "response.reasoning_text.done": "response.reasoning.done",
};

/** The status a terminal event's snapshot must carry: `response.failed` → `failed`, and so on. */
function terminalStatus(type: string): string | undefined {
  return isTerminalEventType(type) ? type.slice("response.".length) : undefined;
}

/** Which rule governs the schema of an event. */
function ruleForEvent(type: string): string {
  if (type === "error") return "S8";
  if (type.startsWith("response.output_item.")) return "S6";
  if (
    isTerminalEventType(type) ||
    type === "response.created" ||
    type === "response.queued" ||
    type === "response.in_progress"
  ) {
    return "S5";
  }
  return "S7";
}

/** Carried across the turns of one WebSocket session: S4 numbers increase within the session. */
export interface SessionSequence {
  last: number | undefined;
}

export interface StreamOutcome {
  events: JsonRecord[];
  terminal: JsonRecord | undefined;
  /** The terminal event's response snapshot. */
  response: JsonRecord | undefined;
  /** Items as `response.output_item.done` delivered them, by output_index. */
  items: Map<number, JsonRecord>;
}

export class StreamRules {
  private readonly checker = new ProtocolChecker();
  private readonly events: JsonRecord[] = [];
  private readonly items = new Map<number, JsonRecord>();
  private readonly addedCount = { value: 0 };
  private readonly deltas = new Map<string, string>();
  private readonly argumentDeltas = new Map<string, string>();
  private readonly reportedNames = new Set<string>();
  private terminal: JsonRecord | undefined;
  private responseId: string | undefined;
  private firstSequence = true;

  constructor(
    private readonly findings: FindingList,
    private readonly session: SessionSequence = { last: undefined },
  ) {}

  get eventCount(): number {
    return this.events.length;
  }

  get finished(): boolean {
    return this.terminal !== undefined;
  }

  /** One event object as received (already JSON-parsed). `issue` is a framing break found with it. */
  event(value: unknown): void {
    if (!isRecord(value)) {
      this.findings.fail("S4", "An event is not a JSON object.", value);
      return;
    }
    let type = value.type;
    if (typeof type !== "string") {
      this.findings.fail("S4", "An event has no string `type`.", value);
      return;
    }
    const standardName = OPENAI_NAMES[type];
    if (standardName !== undefined) {
      if (!this.reportedNames.has(type)) {
        this.reportedNames.add(type);
        this.findings.warn(
          "S7",
          `"${type}" is OpenAI's name; the specification names this event "${standardName}" (clients accept both: "Observed in the wild" in docs/rules.md).`,
          value,
        );
      }
      value = { ...value, type: standardName };
      type = standardName;
    }
    const event = value as JsonRecord & { type: string };
    this.events.push(event);
    this.sequence(event);
    this.x1(event);
    this.schema(event);
    this.content(event);
    this.lifecycle(event);
    this.checker.check(event as unknown as ResponseStreamEvent);
  }

  /** The end of the stream; returns what was gathered. `finish` runs the checker's end-of-stream rules. */
  end(): StreamOutcome {
    this.checker.finish();
    for (const violation of this.checker.violations) {
      // X1 is judged here (with the hosted-tool names as warnings), not by the client's checker.
      if (violation.rule === "X1") continue;
      const at =
        violation.eventType !== undefined
          ? `event ${violation.eventType}${violation.sequenceNumber !== undefined ? ` #${violation.sequenceNumber}` : ""}`
          : undefined;
      this.findings.fail(violation.rule, violation.message, at);
    }
    if (this.terminal) this.snapshot(this.terminal);
    const response = this.terminal && isRecord(this.terminal.response) ? this.terminal.response : undefined;
    return { events: this.events, terminal: this.terminal, response, items: this.items };
  }

  private sequence(event: JsonRecord): void {
    const sequence = event.sequence_number;
    if (typeof sequence !== "number") return;
    if (this.firstSequence && this.session.last !== undefined && sequence <= this.session.last) {
      this.findings.fail(
        "S4",
        `The first event of this turn has sequence_number ${sequence}, not above ${this.session.last} from the previous turn of the same WebSocket session.`,
        event,
      );
    }
    this.firstSequence = false;
    this.session.last = sequence;
  }

  private x1(event: JsonRecord & { type: string }): void {
    const severity = x1Severity(event.type, (t) => STANDARD_EVENT_TYPES.has(t));
    if (severity === "fail") {
      this.findings.fail(
        "X1",
        `Event type "${event.type}" is not standard and has no provider prefix (slug:name).`,
        event,
      );
    } else if (severity === "warn") {
      this.findings.warn(
        "X1",
        `Hosted-tool event "${event.type}" has no provider prefix (observed in the wild; clients accept it).`,
        event,
      );
    }
  }

  private schema(event: JsonRecord & { type: string }): void {
    const schema = eventSchemaFor(event.type);
    if (schema === undefined) return; // an extension event: X3 only asks for type and sequence_number
    const what = `event ${event.type}${typeof event.sequence_number === "number" ? ` #${event.sequence_number}` : ""}`;
    checkSchema(this.findings, ruleForEvent(event.type), schema, event, what);
  }

  /** Deltas add up to their `.done` (S7), and function-call arguments are JSON (P4). */
  private content(event: JsonRecord & { type: string }): void {
    const key = `${String(event.item_id ?? event.output_index)}:${String(event.content_index ?? event.summary_index ?? "")}`;
    const family = /^response\.(output_text|refusal|reasoning|reasoning_summary_text)\.(delta|done)$/.exec(
      event.type,
    );
    if (family) {
      const field = family[1] === "refusal" ? "refusal" : "text";
      const mapKey = `${family[1]}:${key}`;
      if (family[2] === "delta") {
        if (typeof event.delta === "string")
          this.deltas.set(mapKey, (this.deltas.get(mapKey) ?? "") + event.delta);
      } else {
        const streamed = this.deltas.get(mapKey);
        const final = event[field];
        if (streamed !== undefined && typeof final === "string" && final !== streamed) {
          this.findings.fail("S7", `${event.type} carries text that differs from its deltas joined.`, {
            deltas: streamed,
            done: final,
          });
        }
      }
      return;
    }
    if (event.type === "response.function_call_arguments.delta" && typeof event.delta === "string") {
      this.argumentDeltas.set(key, (this.argumentDeltas.get(key) ?? "") + event.delta);
    } else if (event.type === "response.function_call_arguments.done") {
      const streamed = this.argumentDeltas.get(key);
      if (streamed !== undefined && typeof event.arguments === "string" && event.arguments !== streamed) {
        this.findings.fail("S7", "function_call_arguments.done differs from its deltas joined.", {
          deltas: streamed,
          done: event.arguments,
        });
      }
    }
  }

  private lifecycle(event: JsonRecord & { type: string }): void {
    if (event.type === "response.output_item.added") this.addedCount.value++;
    if (
      event.type === "response.output_item.done" &&
      typeof event.output_index === "number" &&
      isRecord(event.item)
    ) {
      this.items.set(event.output_index, event.item);
    }
    if (!isRecord(event.response)) return;
    const id = event.response.id;
    if (typeof id === "string") {
      if (this.responseId === undefined) this.responseId = id;
      else if (id !== this.responseId) {
        this.findings.fail(
          "S5",
          `The snapshot of ${event.type} has id ${id}, but the stream began with ${this.responseId}.`,
        );
      }
    }
    const expected = terminalStatus(event.type);
    if (expected !== undefined && this.terminal === undefined) {
      this.terminal = event;
      if (event.response.status !== expected) {
        this.findings.fail(
          "S5",
          `${event.type} carries a snapshot with status "${String(event.response.status)}", not "${expected}".`,
          { status: event.response.status },
        );
      }
    }
  }

  /** S5: the terminal snapshot holds every item that was streamed, as it was streamed. */
  private snapshot(terminal: JsonRecord): void {
    const response = terminal.response;
    if (!isRecord(response)) return;
    const output = Array.isArray(response.output) ? response.output : [];
    const streamed = [...this.items.entries()].sort((a, b) => a[0] - b[0]);
    if (streamed.length > 0 && output.length === 0) {
      this.findings.fail(
        "S5",
        `The terminal snapshot's output is empty, but ${streamed.length} item(s) were streamed.`,
        { output },
      );
      return;
    }
    if (output.length !== this.addedCount.value && this.addedCount.value > 0) {
      this.findings.fail(
        "S5",
        `The terminal snapshot holds ${output.length} item(s), but ${this.addedCount.value} were streamed.`,
      );
    }
    for (const [index, item] of streamed) {
      const final = output[index];
      if (!isRecord(final)) {
        this.findings.fail("S5", `The terminal snapshot has no output[${index}], which was streamed.`, item);
        continue;
      }
      for (const field of ["id", "type", "status", "call_id", "name", "arguments"]) {
        if (item[field] !== undefined && final[field] !== undefined && item[field] !== final[field]) {
          this.findings.fail(
            "S5",
            `The terminal snapshot's output[${index}].${field} differs from the streamed item.`,
            { streamed: item[field], final: final[field] },
          );
        }
      }
      const streamedText = textOf(item);
      const finalText = textOf(final);
      if (streamedText !== finalText) {
        this.findings.fail(
          "S5",
          `The terminal snapshot's output[${index}] text differs from the streamed item.`,
          { streamed: streamedText, final: finalText },
        );
      }
    }
  }
}

/** The text of a message item (its output_text and refusal parts joined), or "" for other items. */
export function textOf(item: JsonRecord): string {
  if (!Array.isArray(item.content)) return "";
  return item.content
    .map((part) =>
      isRecord(part)
        ? typeof part.text === "string"
          ? part.text
          : typeof part.refusal === "string"
            ? part.refusal
            : ""
        : "",
    )
    .join("");
}
