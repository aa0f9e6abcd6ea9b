/**
 * `Conversation`: the bookkeeping of a multi-turn exchange. It keeps every item sent and produced, turns
 * each response's output into the next request's input without losing opaque state, continues with
 * `previous_response_id` or resends the whole context, falls back to a full resend when the server lost
 * the previous response, and compacts on request (rule W6). The same code runs over HTTP (the client)
 * and over a WebSocket session: both only need to stream one turn.
 *
 * This file holds what must happen synchronously (the items, staging, queueing a turn and handing back
 * its stream); running a turn and compacting are `turn.ts`, loaded with the first turn (through
 * `src/on-demand.ts`), so a client that never holds a conversation does not carry them.
 */

import { loadOnDemand } from "../core/load-on-demand.js";
import type { ResponsesClient } from "../core/responses-api.js";
import { OpenResponsesError } from "../errors.js";
import type {
  CompactResource,
  CompactResponseMethodPublicBody,
  CreateResponseBody,
  FunctionCallItemParam,
  ResponseWithOutputText,
} from "../spec/index.js";
import { ResponseStream, type ResponseStreamEvent } from "../streaming/index.js";
import { ResponsesSocket } from "../websocket/session.js";
import {
  type ConversationInput,
  type ConversationItem,
  normalizeInput,
  stageToolOutputs,
  type ToolOutput,
  toInputItems,
} from "./items.js";

export type { ToolOutput } from "./items.js";

/** How a turn refers to the turns before it. */
export type ConversationMode =
  /** Send only the new items plus `previous_response_id` (rule P1); the server holds the context. */
  | "previous_response_id"
  /** Send the whole context every turn; works with `store: false` and with servers that keep nothing. */
  | "resend";

/** Streams one turn. `client.responses.stream` and `ResponsesSocket.create` both have this shape. */
export interface ConversationTransport {
  stream(body: CreateResponseBody): AsyncIterable<ResponseStreamEvent>;
}

/** Request fields sent with every turn, besides the ones the conversation manages itself. */
export type ConversationDefaults = Omit<
  Partial<CreateResponseBody>,
  "input" | "previous_response_id" | "stream" | "stream_options" | "background"
>;

export interface ConversationOptions {
  model?: string;
  instructions?: string;
  tools?: CreateResponseBody["tools"];
  /** Default `previous_response_id` (over HTTP with `store: false` the conversation resends instead). */
  mode?: ConversationMode;
  /** Other request fields for every turn (`store`, `reasoning`, `include`, `temperature`, ...). */
  defaults?: ConversationDefaults;
  /** Run turns over this WebSocket session (or any transport) instead of HTTP. */
  transport?: ResponsesSocket | ConversationTransport;
  /** Items the conversation starts from (a transcript saved earlier, a compacted window). */
  items?: ConversationItem[];
  /** Protocol checker mode for the streams `stream()` returns. Default: the client's. */
  strict?: boolean;
}

/** @internal A conversation's bookkeeping, which the turn engine (`turn.ts`) reads and records into. */
export interface ConversationState {
  readonly client: ResponsesClient | null;
  readonly options: ConversationOptions;
  readonly transport: ConversationTransport;
  /** Over a WebSocket session, `previous_response_id` reaches `store: false` responses too. */
  readonly overSocket: boolean;
  items: ConversationItem[];
  pending: ConversationItem[];
  previousId: string | null;
  lastResponse: ResponseWithOutputText | null;
}

/**
 * Lossless multi-turn bookkeeping: keeps every item sent and produced, continues with
 * `previous_response_id` (or resends the whole context), stages tool outputs for the next turn, and
 * works over HTTP or a WebSocket session. Turns run one after another.
 *
 * @example
 * ```ts
 * const chat = new Conversation(client, { model: "my-model" });
 * await chat.send("My name is Ada.");
 * const reply = await chat.send("What is my name?");
 * console.log(reply.output_text, chat.items.length);
 * ```
 */
export class Conversation {
  readonly #state: ConversationState;
  /** Turns run one after another; each waits for the one before to settle. */
  #tail: Promise<void> = Promise.resolve();

  /**
   * @param client the HTTP client: runs turns (unless `transport` is given) and `compact()`. May be
   *   `null` when a `transport` is given and compaction is not needed.
   */
  constructor(client: ResponsesClient | null, options: ConversationOptions = {}) {
    const given = options.transport;
    const overSocket = given instanceof ResponsesSocket;
    const transport: ConversationTransport | undefined = overSocket
      ? { stream: (body) => given.create(body) }
      : (given ?? (client ? { stream: (body) => client.responses.stream(body) } : undefined));
    if (!transport) throw new OpenResponsesError("A Conversation needs a client or a `transport`.");
    this.#state = {
      client,
      options,
      transport,
      overSocket,
      // Starting items may be a saved `response.output`: put them in request form like any recorded output.
      items: toInputItems(options.items ?? []),
      pending: [],
      previousId: null,
      lastResponse: null,
    };
  }

  /** Every item of the exchange so far, in request form: what a full resend would send. */
  get items(): readonly ConversationItem[] {
    return this.#state.items;
  }

  /** Items staged for the next turn (tool outputs, `add()`), not yet sent. */
  get pendingItems(): readonly ConversationItem[] {
    return this.#state.pending;
  }

  /** The latest completed (or incomplete) response. */
  get lastResponse(): ResponseWithOutputText | null {
    return this.#state.lastResponse;
  }

  /** The id the next turn continues from in `previous_response_id` mode; null after `compact()`. */
  get previousResponseId(): string | null {
    return this.#state.previousId;
  }

  /** `function_call` items of the latest response that have no `function_call_output` yet. */
  get pendingToolCalls(): FunctionCallItemParam[] {
    const answered = new Set(
      [...this.#state.items, ...this.#state.pending]
        .filter((item) => item.type === "function_call_output")
        .map((item) => (item as { call_id?: string }).call_id),
    );
    const output = this.#state.lastResponse ? toInputItems(this.#state.lastResponse.output) : [];
    return output.filter(
      (item): item is FunctionCallItemParam =>
        item.type === "function_call" && !answered.has((item as { call_id?: string }).call_id),
    );
  }

  /** Stages items for the next turn (output items, e.g. from another response, are put in request form). */
  add(input: ConversationInput): this {
    this.#state.pending.push(...toInputItems(normalizeInput(input)));
    return this;
  }

  /**
   * Stages `function_call_output` items for the next turn. Takes a list of `{ call_id, output }` or a
   * record from call id to output. A call id the conversation never saw is an error (nothing is staged).
   */
  addToolOutputs(outputs: ToolOutput[] | Record<string, unknown>): this {
    stageToolOutputs(this.#state, outputs);
    return this;
  }

  /** Runs one turn with `input` (plus staged items) and resolves to its response. */
  async send(input?: ConversationInput, overrides?: ConversationDefaults): Promise<ResponseWithOutputText> {
    return this.stream(input, overrides).finalResponse();
  }

  /**
   * Runs one turn and returns it as a `ResponseStream`. Turns queue behind each other, so read (or
   * `finalResponse()`) each stream: the next turn starts when this one has finished.
   */
  stream(input?: ConversationInput, overrides?: ConversationDefaults): ResponseStream {
    if (input !== undefined) this.add(input);
    const state = this.#state;
    let current: AsyncIterable<ResponseStreamEvent> | null = null;
    const previousTurn = this.#tail;
    let settle: () => void = () => {};
    this.#tail = new Promise<void>((resolve) => {
      settle = resolve;
    });
    let abandoned = false;
    async function* relay(): AsyncGenerator<{ event?: string; data: string }> {
      try {
        await previousTurn;
        const { runTurn } = await loadOnDemand("Conversation");
        // Abandoned while queued: never send it (it would run, and bill, for nobody).
        if (abandoned) return;
        yield* runTurn(state, overrides, (source) => {
          current = source;
        });
      } finally {
        settle();
      }
    }
    return ResponseStream.fromMessages(relay(), {
      strict: state.options.strict ?? state.client?.strict,
      requestId: null,
      abort: () => {
        abandoned = true;
        const source = current as { abort?: () => void } | null;
        source?.abort?.();
        // Nobody resumes an abandoned relay, so its `finally` may never run: free the queue here, or every
        // later turn would wait forever. A turn in flight was just cancelled (a WebSocket session still
        // orders its own turns, rule W3).
        settle();
      },
    });
  }

  /**
   * Compacts the conversation through `POST /responses/compact` and starts a new chain from the
   * compacted window (rule W6): the next turn sends that window plus the newest items, without
   * `previous_response_id`.
   */
  async compact(overrides?: Partial<CompactResponseMethodPublicBody>): Promise<CompactResource> {
    const { client } = this.#state;
    if (!client)
      throw new OpenResponsesError("compact() needs the HTTP client (pass it to the constructor).");
    await this.#tail;
    const { compactConversation } = await loadOnDemand("Conversation");
    return compactConversation(this.#state, client, overrides);
  }
}
