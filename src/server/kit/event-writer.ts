/**
 * The event writer: the only code that turns a model's simple parts into protocol events. It owns the
 * response snapshot and emits the exact sequence of rules S4–S9:
 *
 *   response.created, response.in_progress,
 *   per item: output_item.added → (content_part.added → deltas → *.done → content_part.done)* → output_item.done,
 *   exactly one terminal event (response.completed | response.incomplete | response.failed).
 *
 * Sequence numbers start at 0 and increase by one per event (S4).
 *
 * An event never changes once it is handed out, and the writer copies only what it would otherwise
 * change later: an item or content part is copied when it is announced (`*.added`, still growing) and
 * handed out as itself when it is done, since the writer never touches a finished item or part again;
 * `response.created`/`in_progress` carry a copy of the snapshot, the terminal event the final snapshot
 * itself. So events may share objects the writer no longer changes with each other and with
 * `writer.response` (the `output_item.done` item is the terminal snapshot's output item; every snapshot
 * shares the echoed settings, such as `tools` and `metadata`): consumers read events, and copy what
 * they want to change. What a model hands over (annotations, extension items) is copied as it enters the
 * snapshot, so a model that reuses its objects cannot change a response after the fact.
 */

import type {
  Annotation,
  FunctionCall,
  ItemField,
  Message,
  OutputTextContent,
  ReasoningBody,
  ReasoningTextContent,
  RefusalContent,
  ResponseResource,
  StreamingEvent,
  SummaryTextContent,
  Usage,
} from "../../spec/index.js";
import type { ModelPart } from "../model.js";
import { copyData } from "./copy-data.js";
import type { IdGenerator } from "./ids.js";
import type { SpecErrorObject } from "./kit-error.js";
import type { ToolPolicy } from "./tool-policy.js";
import { buildUsage, mergeUsage } from "./usage.js";

/** Function-call arguments are streamed in slices of this many characters. */
const ARGUMENT_SLICE = 64;

export interface EventWriterOptions {
  /** The initial snapshot (status `in_progress`); the writer owns it from now on. */
  response: ResponseResource;
  ids: IdGenerator;
  /** Milliseconds since the epoch; `completed_at` is reported in seconds. */
  now: () => number;
  /** Characters of the context the model read, for the usage estimate. */
  inputCharacters: number;
  /** Enforces `tool_choice` / `allowed_tools` (rule P2); without it every call passes. */
  policy?: ToolPolicy;
}

type ContentKind = "output_text" | "refusal" | "reasoning_text";

interface OpenContent {
  kind: ContentKind;
  index: number;
  part: OutputTextContent | RefusalContent | ReasoningTextContent;
}

interface OpenSummary {
  /** The model's own label for the part (`summaryIndex`), to tell a new part from a continuation. */
  label: number | undefined;
  index: number;
  part: SummaryTextContent;
}

type OpenItem =
  | { kind: "message"; outputIndex: number; item: Message; content: OpenContent | null }
  | {
      kind: "reasoning";
      outputIndex: number;
      item: ReasoningBody & { status: string };
      content: OpenContent | null;
      summary: OpenSummary | null;
    };

/** A function call streamed in pieces (`function_call_start`), open until its `function_call_end`. */
interface OpenCall {
  outputIndex: number;
  item: FunctionCall;
}

/** Thrown by `write` when a model yields something that is not a `ModelPart`. */
export class InvalidModelPartError extends Error {
  readonly code = "invalid_model_part";
  readonly type = "model_error";
}

const NO_EVENTS: StreamingEvent[] = Object.freeze([]) as unknown as StreamingEvent[];

/**
 * Never added to: a writer with no streamed call reads these (deleting from or clearing them does
 * nothing) and makes its own on the first call.
 */
const NO_CALLS = new Map<string, OpenCall>();
const NO_KEYS = new Set<string>();

/** Set by `EventWriter`'s static block: the one way to reach its private `#quiet`. */
let makeQuiet: (writer: EventWriter) => void;

export class EventWriter {
  readonly #response: ResponseResource;
  readonly #ids: IdGenerator;
  readonly #now: () => number;
  readonly #policy: ToolPolicy | undefined;
  readonly #inputCharacters: number;
  #sequence = 0;
  #open: OpenItem | null = null;
  /**
   * Streamed calls by the model's key; several may be open at once, beside `#open`. The shared empty
   * map until the first call starts (most turns make none): only `#startCall` adds, and it makes the
   * writer's own map first.
   */
  #calls: Map<string, OpenCall> = NO_CALLS;
  /** Keys of streamed calls the tool policy refused (P2): their pieces are dropped too. Shared, as above. */
  #droppedCalls: Set<string> = NO_KEYS;
  #pendingPhase: Message["phase"] | undefined;
  #reportedUsage: Partial<Usage> | undefined;
  #outputCharacters = 0;
  #reasoningCharacters = 0;
  #started = false;
  #finished = false;
  #events: StreamingEvent[] = [];
  /** Builds no events, only the snapshot (`quietEventWriter`). */
  #quiet = false;

  static {
    makeQuiet = (writer) => {
      writer.#quiet = true;
    };
  }

  constructor(options: EventWriterOptions) {
    this.#response = options.response;
    this.#ids = options.ids;
    this.#now = options.now;
    this.#policy = options.policy;
    this.#inputCharacters = options.inputCharacters;
  }

  /** The live snapshot (do not mutate); copy it if you keep it. Final once `finished` is true. */
  get response(): ResponseResource {
    return this.#response;
  }

  /** True once a terminal event was written; later calls write nothing. */
  get finished(): boolean {
    return this.#finished;
  }

  /** `response.created` then `response.in_progress`. */
  start(): StreamingEvent[] {
    if (this.#started) return [];
    this.#started = true;
    this.#emitLifecycle("response.created");
    this.#emitLifecycle("response.in_progress");
    return this.#flush();
  }

  /** Applies one model part and returns the events it produced (possibly none). */
  write(part: ModelPart): StreamingEvent[] {
    if (this.#finished) return [];
    if (!this.#started) this.start();
    this.#apply(part);
    return this.#flush();
  }

  /** The model finished: closes the open item and writes `response.completed` (or `failed`, see P2). */
  complete(): StreamingEvent[] {
    if (this.#finished) return [];
    if (!this.#started) this.start();
    this.#closeAll("completed");
    const missing = this.#policy?.missingRequiredCall() ?? null;
    if (missing !== null) {
      this.#failWith({
        message: missing,
        type: "model_error",
        param: "tool_choice",
        code: "tool_choice_violation",
      });
      return this.#flush();
    }
    this.#finish("completed");
    this.#response.completed_at = Math.floor(this.#now() / 1000);
    this.#emitLifecycle("response.completed");
    return this.#flush();
  }

  /**
   * The model failed: an `error` event, then `response.failed` (rule S8). An item still open is closed
   * first, as `completed` with what it holds, because S6 wants every item to end with output_item.done,
   * S8 wants nothing between `error` and `response.failed`, and S9 reserves `incomplete` items for
   * incomplete responses. The response's `failed` status is what tells the client the answer broke off.
   */
  fail(error: SpecErrorObject): StreamingEvent[] {
    if (this.#finished) return [];
    if (!this.#started) this.start();
    this.#closeAll("completed");
    this.#failWith(error);
    return this.#flush();
  }

  #failWith(error: SpecErrorObject): void {
    const code = error.code ?? "model_error";
    this.#emit({
      type: "error",
      sequence_number: 0,
      error: { type: error.type, code, message: error.message, param: error.param },
    });
    this.#finish("failed");
    // `type` and `param` go beyond the schema's `Error` (X4) so the failed snapshot is also an E1 body.
    this.#response.error = {
      code,
      message: error.message,
      type: error.type,
      param: error.param,
    } as ResponseResource["error"];
    this.#emitLifecycle("response.failed");
  }

  #apply(part: ModelPart): void {
    if (typeof part !== "object" || part === null) {
      throw new InvalidModelPartError(
        `The model yielded ${part === null ? "null" : typeof part}, not a part.`,
      );
    }
    checkPartFields(part);
    switch (part.type) {
      case "text":
        this.#appendContent("output_text", part.delta);
        break;
      case "refusal":
        this.#appendContent("refusal", part.delta);
        break;
      case "annotation":
        this.#annotate(part.annotation);
        break;
      case "phase":
        this.#setPhase(part.phase);
        break;
      case "reasoning":
        this.#appendContent("reasoning_text", part.delta);
        break;
      case "reasoning_summary":
        this.#appendSummary(part.delta, part.summaryIndex);
        break;
      case "reasoning_encrypted":
        this.#reasoningItem().item.encrypted_content = part.encryptedContent;
        break;
      case "function_call":
        // Arguments are a JSON string on the wire (P4); an object from a JavaScript model is encoded.
        this.#functionCall(
          part.name,
          typeof part.arguments === "string" ? part.arguments : JSON.stringify(part.arguments ?? {}),
          part.callId,
        );
        break;
      case "function_call_start":
        this.#startCall(part.key, part.name, part.callId);
        break;
      case "function_call_delta":
        this.#appendCall(part.key, part.delta);
        break;
      case "function_call_end":
        this.#endCall(part.key);
        break;
      case "item":
        this.#extensionItem(part.item);
        break;
      case "compaction":
        this.#standaloneItem({
          type: "compaction",
          id: this.#ids("compaction"),
          encrypted_content: part.encryptedContent,
          status: "completed",
        } as ItemField);
        break;
      case "end_item":
        this.#closeItem("completed");
        break;
      case "usage":
        this.#reportedUsage = mergeUsage(this.#reportedUsage, part.usage);
        break;
      case "incomplete":
        this.#incomplete(part.reason);
        break;
      default:
        throw new InvalidModelPartError(
          `The model yielded an unknown part: ${JSON.stringify((part as { type?: unknown }).type ?? null)}.`,
        );
    }
  }

  // ── items ──────────────────────────────────────────────────────────────────────────────────────

  #messageItem(): Extract<OpenItem, { kind: "message" }> {
    if (this.#open?.kind === "message") return this.#open;
    this.#closeItem("completed");
    const item: Message = {
      type: "message",
      id: this.#ids("message"),
      status: "in_progress",
      role: "assistant",
      content: [],
    };
    if (this.#pendingPhase !== undefined) item.phase = this.#pendingPhase;
    this.#pendingPhase = undefined;
    const open = { kind: "message" as const, outputIndex: this.#addItem(item), item, content: null };
    this.#open = open;
    return open;
  }

  #reasoningItem(): Extract<OpenItem, { kind: "reasoning" }> {
    if (this.#open?.kind === "reasoning") return this.#open;
    this.#closeItem("completed");
    // I2: every item has a status; the schema's ReasoningBody lacks the field, so it is an X4 addition.
    const item = {
      type: "reasoning" as const,
      id: this.#ids("reasoning"),
      status: "in_progress",
      summary: [],
    };
    const open = {
      kind: "reasoning" as const,
      outputIndex: this.#addItem(item),
      item,
      content: null,
      summary: null,
    };
    this.#open = open;
    return open;
  }

  /** Appends an item to the output and announces it (S6: the first event of an item). */
  #addItem(item: ItemField): number {
    const outputIndex = this.#response.output.length;
    this.#response.output.push(item);
    if (this.#quiet) return outputIndex;
    this.#emit({
      type: "response.output_item.added",
      sequence_number: 0,
      output_index: outputIndex,
      item: copyData(item),
    });
    return outputIndex;
  }

  #closeItem(status: "completed" | "incomplete"): void {
    const open = this.#open;
    if (open === null) return;
    this.#closeContent(open);
    if (open.kind === "reasoning") this.#closeSummary(open);
    open.item.status = status;
    this.#open = null;
    if (this.#quiet) return;
    // Finished: the writer never changes it again, so the event carries the item itself.
    this.#emit({
      type: "response.output_item.done",
      sequence_number: 0,
      output_index: open.outputIndex,
      item: open.item,
    });
  }

  /** An item that is complete the moment it exists: added, then done (no content parts). */
  #standaloneItem(item: ItemField): void {
    this.#closeItem("completed");
    // The copy is the writer's own (the model may reuse its objects): the snapshot's item and the done
    // event's. The added event differs from it only in its status.
    const done = copyData(item);
    const outputIndex = this.#response.output.length;
    this.#response.output.push(done);
    if (this.#quiet) return;
    this.#emit({
      type: "response.output_item.added",
      sequence_number: 0,
      output_index: outputIndex,
      item: { ...done, status: "in_progress" } as ItemField,
    });
    this.#emit({
      type: "response.output_item.done",
      sequence_number: 0,
      output_index: outputIndex,
      item: done,
    });
  }

  #extensionItem(part: Extract<ModelPart, { type: "item" }>["item"]): void {
    const item = {
      ...part,
      id: part.id ?? this.#ids("item"),
      status: part.status ?? "completed",
    } as ItemField;
    this.#standaloneItem(item);
  }

  #functionCall(name: string, args: string, callId: string | undefined): void {
    // P2: a call the policy does not admit never reaches the client.
    if (this.#policy && !this.#policy.admit(name)) return;
    this.#closeItem("completed");
    const item: FunctionCall = {
      type: "function_call",
      id: this.#ids("function_call"),
      call_id: callId ?? this.#ids("call"),
      name,
      arguments: "",
      status: "in_progress",
    };
    const outputIndex = this.#addItem(item);
    for (let start = 0; start < args.length; start += ARGUMENT_SLICE) {
      const delta = args.slice(start, start + ARGUMENT_SLICE);
      item.arguments += delta;
      this.#emit({
        type: "response.function_call_arguments.delta",
        sequence_number: 0,
        item_id: item.id,
        output_index: outputIndex,
        delta,
      });
    }
    this.#outputCharacters += args.length + name.length;
    this.#emit({
      type: "response.function_call_arguments.done",
      sequence_number: 0,
      item_id: item.id,
      output_index: outputIndex,
      arguments: item.arguments,
    });
    item.status = "completed";
    this.#emit({
      type: "response.output_item.done",
      sequence_number: 0,
      output_index: outputIndex,
      item,
    });
  }

  // ── function calls streamed in pieces ─────────────────────────────────────────────────────────

  #startCall(key: string, name: string, callId: string | undefined): void {
    if (this.#calls.has(key) || this.#droppedCalls.has(key)) {
      throw new InvalidModelPartError(`The model started the function call ${JSON.stringify(key)} twice.`);
    }
    // P2: a call the policy does not admit never reaches the client, nor do its pieces.
    if (this.#policy && !this.#policy.admit(name)) {
      if (this.#droppedCalls === NO_KEYS) this.#droppedCalls = new Set();
      this.#droppedCalls.add(key);
      return;
    }
    this.#closeItem("completed");
    const item: FunctionCall = {
      type: "function_call",
      id: this.#ids("function_call"),
      call_id: callId ?? this.#ids("call"),
      name,
      arguments: "",
      status: "in_progress",
    };
    this.#outputCharacters += name.length;
    if (this.#calls === NO_CALLS) this.#calls = new Map();
    this.#calls.set(key, { outputIndex: this.#addItem(item), item });
  }

  #openCall(key: string): OpenCall | null {
    const call = this.#calls.get(key);
    if (call !== undefined) return call;
    if (this.#droppedCalls.has(key)) return null;
    throw new InvalidModelPartError(
      `The model sent a piece of the function call ${JSON.stringify(key)}, which is not open.`,
    );
  }

  #appendCall(key: string, delta: string): void {
    const call = this.#openCall(key);
    if (call === null || delta.length === 0) return;
    call.item.arguments += delta;
    this.#outputCharacters += delta.length;
    this.#emit({
      type: "response.function_call_arguments.delta",
      sequence_number: 0,
      item_id: call.item.id,
      output_index: call.outputIndex,
      delta,
    });
  }

  #endCall(key: string): void {
    const call = this.#openCall(key);
    this.#droppedCalls.delete(key);
    if (call === null) return;
    this.#closeCall(key, call, "completed");
  }

  #closeCall(key: string, call: OpenCall, status: "completed" | "incomplete"): void {
    this.#calls.delete(key);
    const base = { sequence_number: 0, item_id: call.item.id, output_index: call.outputIndex };
    this.#emit({ type: "response.function_call_arguments.done", ...base, arguments: call.item.arguments });
    call.item.status = status;
    // Closed: the writer never changes it again, so the event carries the item itself.
    this.#emit({
      type: "response.output_item.done",
      sequence_number: 0,
      output_index: call.outputIndex,
      item: call.item,
    });
  }

  /**
   * Closes everything still open, in output order: the last item gets `status` and the others
   * `completed`, so an `incomplete` item is the last one emitted (S9).
   */
  #closeAll(status: "completed" | "incomplete"): void {
    const open = this.#open;
    let last = open?.outputIndex ?? -1;
    for (const call of this.#calls.values()) last = Math.max(last, call.outputIndex);
    const statusOf = (outputIndex: number) => (outputIndex === last ? status : "completed");
    // Map order is start order, and a call's start closes the message or reasoning before it, so an
    // item in `#open` came after every open call: this is output order.
    for (const [key, call] of this.#calls) this.#closeCall(key, call, statusOf(call.outputIndex));
    if (open !== null) this.#closeItem(statusOf(open.outputIndex));
    this.#droppedCalls.clear();
  }

  #setPhase(phase: NonNullable<Message["phase"]>): void {
    const open = this.#open;
    if (open?.kind === "message") {
      if (open.item.phase === undefined || open.item.phase === phase) {
        open.item.phase = phase;
        return;
      }
      // A different phase is a different message: the next text opens it.
      this.#closeItem("completed");
    }
    this.#pendingPhase = phase;
  }

  #incomplete(reason: string): void {
    // S9: the current item ends incomplete and is the last item; the response is incomplete too.
    this.#closeAll("incomplete");
    this.#finish("incomplete");
    this.#response.incomplete_details = { reason };
    this.#emitLifecycle("response.incomplete");
  }

  // ── content parts (S7) ────────────────────────────────────────────────────────────────────────

  #appendContent(kind: ContentKind, delta: string): void {
    const open = kind === "reasoning_text" ? this.#reasoningItem() : this.#messageItem();
    if (open.kind === "reasoning") this.#closeSummary(open);
    const content = open.content?.kind === kind ? open.content : this.#openContent(open, kind);
    if (delta.length === 0) return;
    const part = content.part;
    let type: "response.refusal.delta" | "response.reasoning.delta" | "response.output_text.delta";
    if (part.type === "refusal") {
      part.refusal += delta;
      this.#outputCharacters += delta.length;
      type = "response.refusal.delta";
    } else if (part.type === "reasoning_text") {
      part.text += delta;
      this.#reasoningCharacters += delta.length;
      type = "response.reasoning.delta";
    } else {
      part.text += delta;
      this.#outputCharacters += delta.length;
      type = "response.output_text.delta";
    }
    if (this.#quiet) return;
    // One literal per delta, the hottest event there is (no spread of a shared base).
    this.#emit({
      type,
      sequence_number: 0,
      item_id: open.item.id,
      output_index: open.outputIndex,
      content_index: content.index,
      delta,
    });
  }

  #openContent(open: OpenItem, kind: ContentKind): OpenContent {
    this.#closeContent(open);
    const part: OpenContent["part"] =
      kind === "output_text"
        ? { type: "output_text", text: "", annotations: [] }
        : kind === "refusal"
          ? { type: "refusal", refusal: "" }
          : { type: "reasoning_text", text: "" };
    open.item.content ??= [];
    const list = open.item.content;
    const content: OpenContent = { kind, index: list.length, part };
    list.push(part);
    open.content = content;
    if (this.#quiet) return content;
    this.#emit({
      type: "response.content_part.added",
      sequence_number: 0,
      item_id: open.item.id,
      output_index: open.outputIndex,
      content_index: content.index,
      part: copyData(part),
    });
    return content;
  }

  #closeContent(open: OpenItem): void {
    const content = open.content;
    if (content === null) return;
    open.content = null;
    // A quiet writer builds no events (not even to drop them in `#emit`).
    if (this.#quiet) return;
    const base = {
      sequence_number: 0,
      item_id: open.item.id,
      output_index: open.outputIndex,
      content_index: content.index,
    };
    const part = content.part;
    if (part.type === "refusal")
      this.#emit({ type: "response.refusal.done", ...base, refusal: part.refusal });
    else if (part.type === "reasoning_text")
      this.#emit({ type: "response.reasoning.done", ...base, text: part.text });
    else this.#emit({ type: "response.output_text.done", ...base, text: part.text });
    this.#emit({ type: "response.content_part.done", ...base, part });
  }

  #annotate(annotation: Annotation): void {
    const open = this.#messageItem();
    const content =
      open.content?.kind === "output_text" ? open.content : this.#openContent(open, "output_text");
    const part = content.part as OutputTextContent;
    const annotationIndex = part.annotations.length;
    const own = copyData(annotation);
    part.annotations.push(own);
    this.#emit({
      type: "response.output_text.annotation.added",
      sequence_number: 0,
      item_id: open.item.id,
      output_index: open.outputIndex,
      content_index: content.index,
      annotation_index: annotationIndex,
      annotation: own,
    });
  }

  // ── reasoning summaries ───────────────────────────────────────────────────────────────────────

  #appendSummary(delta: string, label: number | undefined): void {
    const open = this.#reasoningItem();
    this.#closeContent(open);
    let summary = open.summary;
    if (summary === null || (label !== undefined && label !== summary.label)) {
      this.#closeSummary(open);
      const part: SummaryTextContent = { type: "summary_text", text: "" };
      summary = { label, index: open.item.summary.length, part };
      open.item.summary.push(part);
      open.summary = summary;
      if (!this.#quiet)
        this.#emit({
          type: "response.reasoning_summary_part.added",
          sequence_number: 0,
          item_id: open.item.id,
          output_index: open.outputIndex,
          summary_index: summary.index,
          part: copyData(part),
        });
    }
    if (delta.length === 0) return;
    summary.part.text += delta;
    this.#reasoningCharacters += delta.length;
    if (this.#quiet) return;
    this.#emit({
      type: "response.reasoning_summary_text.delta",
      sequence_number: 0,
      item_id: open.item.id,
      output_index: open.outputIndex,
      summary_index: summary.index,
      delta,
    });
  }

  #closeSummary(open: Extract<OpenItem, { kind: "reasoning" }>): void {
    const summary = open.summary;
    if (summary === null) return;
    open.summary = null;
    if (this.#quiet) return;
    const base = {
      sequence_number: 0,
      item_id: open.item.id,
      output_index: open.outputIndex,
      summary_index: summary.index,
    };
    this.#emit({ type: "response.reasoning_summary_text.done", ...base, text: summary.part.text });
    this.#emit({ type: "response.reasoning_summary_part.done", ...base, part: summary.part });
  }

  // ── bookkeeping ───────────────────────────────────────────────────────────────────────────────

  #finish(status: "completed" | "incomplete" | "failed"): void {
    this.#finished = true;
    this.#response.status = status;
    this.#response.usage = buildUsage(
      {
        inputChars: this.#inputCharacters,
        outputChars: this.#outputCharacters,
        reasoningChars: this.#reasoningCharacters,
      },
      this.#reportedUsage,
    );
  }

  #emitLifecycle(
    type:
      | "response.created"
      | "response.in_progress"
      | "response.completed"
      | "response.incomplete"
      | "response.failed",
  ): void {
    if (this.#quiet) return;
    // The terminal snapshot is final (nothing writes after it). The others are copies of a moment: the
    // writer replaces top-level fields (status, usage...) and grows `output`, but never changes the
    // settings the snapshot echoes (tools, text, metadata...), so those are shared, read-only.
    const response = this.#finished
      ? this.#response
      : { ...this.#response, output: copyData(this.#response.output) };
    this.#emit({ type, sequence_number: 0, response });
  }

  /** Stamps the next sequence number (S4); callers pass 0 as a placeholder. */
  #emit(event: StreamingEvent): void {
    if (this.#quiet) return;
    event.sequence_number = this.#sequence++;
    this.#events.push(event);
  }

  #flush(): StreamingEvent[] {
    // A quiet writer's callers (internal) read nothing from it: one shared empty list does.
    if (this.#quiet) return NO_EVENTS;
    const events = this.#events;
    this.#events = [];
    return events;
  }
}

/**
 * A writer that builds the snapshot only: its calls return no events, and it copies nothing for
 * events. For a caller that wants the final response and nothing else (a JSON answer), where the
 * events of a turn (84 objects for a short answer, with copies of items and snapshots) cost more than
 * the turn's own work. The snapshot is exactly the one an ordinary writer builds from the same parts.
 */
export function quietEventWriter(options: EventWriterOptions): EventWriter {
  const writer = new EventWriter(options);
  makeQuiet(writer);
  return writer;
}

/** Item types with their own parts: sent through `item`, they would skip the lifecycle those parts follow. */
const STANDARD_ITEM_TYPES = new Set([
  "message",
  "function_call",
  "function_call_output",
  "reasoning",
  "compaction",
]);

/**
 * The fields a part's events are built from, checked at run time: a model in plain JavaScript (or one
 * passing a provider's data through) could otherwise put a number or `undefined` into a delta, or an
 * item without a type, onto the wire, where the event schemas require strings. A bad part becomes an
 * `invalid_model_part` failure (`error` + `response.failed`) instead.
 */
function checkPartFields(part: ModelPart): void {
  const record = part as unknown as Record<string, unknown>;
  // The hot path (one call per streamed delta) allocates nothing.
  switch (part.type) {
    case "text":
    case "refusal":
    case "reasoning":
    case "reasoning_summary":
      if (!isString(record.delta)) throw invalidField(part.type, "delta", "a string");
      if (record.summaryIndex !== undefined && typeof record.summaryIndex !== "number")
        throw invalidField(part.type, "summaryIndex", "a number");
      return;
    case "annotation":
      if (!isPlainObject(record.annotation) || !isString(record.annotation.type))
        throw invalidField(part.type, "annotation", "an object with a `type`");
      return;
    case "phase":
      if (record.phase !== "commentary" && record.phase !== "final_answer")
        throw invalidField(part.type, "phase", '"commentary" or "final_answer"');
      return;
    case "reasoning_encrypted":
    case "compaction":
      if (!isString(record.encryptedContent)) throw invalidField(part.type, "encryptedContent", "a string");
      return;
    case "function_call":
      if (!isString(record.name) || record.name === "")
        throw invalidField(part.type, "name", "a non-empty string");
      if (record.callId !== undefined && !isString(record.callId))
        throw invalidField(part.type, "callId", "a string");
      return;
    case "function_call_start":
      if (!isString(record.key) || record.key === "")
        throw invalidField(part.type, "key", "a non-empty string");
      if (!isString(record.name) || record.name === "")
        throw invalidField(part.type, "name", "a non-empty string");
      if (record.callId !== undefined && !isString(record.callId))
        throw invalidField(part.type, "callId", "a string");
      return;
    case "function_call_delta":
      if (!isString(record.key)) throw invalidField(part.type, "key", "a string");
      if (!isString(record.delta)) throw invalidField(part.type, "delta", "a string");
      return;
    case "function_call_end":
      if (!isString(record.key)) throw invalidField(part.type, "key", "a string");
      return;
    case "item": {
      const item = record.item;
      if (!isPlainObject(item) || !isString(item.type) || item.type === "")
        throw invalidField(part.type, "item", "an object with a `type`");
      if (STANDARD_ITEM_TYPES.has(item.type))
        throw invalidField(
          part.type,
          "item",
          "an extension item type (use the part of that name for a standard item)",
        );
      if (item.id !== undefined && !isString(item.id)) throw invalidField(part.type, "item.id", "a string");
      if (item.status !== undefined && !isString(item.status))
        throw invalidField(part.type, "item.status", "a string");
      return;
    }
    case "usage":
      if (!isPlainObject(record.usage)) throw invalidField(part.type, "usage", "an object");
      return;
    case "incomplete":
      if (!isString(record.reason)) throw invalidField(part.type, "reason", "a string");
      return;
    default:
      return;
  }
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalidField(type: string, field: string, expected: string): InvalidModelPartError {
  return new InvalidModelPartError(
    `The model's ${JSON.stringify(type)} part has an invalid \`${field}\`: expected ${expected}.`,
  );
}
