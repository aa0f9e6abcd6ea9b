/**
 * The tool-calling loop itself: create a response, run the function calls it made with the tools' own
 * code, send the outputs back, and repeat until the model answers without calling a tool. The turn
 * bookkeeping (previous_response_id or a full resend, and the fallback when the server lost the previous
 * response) is the `Conversation` helper's, used through its state and turn engine (`conversation/turn.ts`)
 * rather than its class; this file only decides what to run and what to send. It is loaded by
 * `ToolRunStream` when a run starts, so a client that never runs tools does not carry it.
 */

import type {
  ConversationDefaults,
  ConversationState,
  ConversationTransport,
} from "../conversation/conversation.js";
import {
  type ConversationInput,
  normalizeInput,
  stageToolOutputs,
  toInputItems,
} from "../conversation/items.js";
import { runTurn } from "../conversation/turn.js";
import type { RequestTool } from "../core/request-types.js";
import { APIUserAbortError, OpenResponsesError } from "../errors.js";
import type { FunctionCall, FunctionCallOutputItemParam, ResponseWithOutputText } from "../spec/index.js";
import { ResponseStream } from "../streaming/index.js";
import { ToolExecutionError, ToolRunMaxTurnsError, type ToolRunProgress } from "./errors.js";
import {
  DEFAULT_MAX_TOOL_CALLS_PER_TURN,
  DEFAULT_MAX_TURNS,
  DEFAULT_TOOL_CONCURRENCY,
  type RunToolsBody,
  type RunToolsOptions,
  type ToolCallRecord,
  type ToolRunEvent,
  type ToolRunHost,
  type ToolRunResult,
  type ToolRunStopReason,
} from "./run-types.js";
import { isRunnableTool, type RunnableTool, type ToolContext } from "./runnable.js";

function abortError(signal: AbortSignal): OpenResponsesError {
  const reason: unknown = signal.reason;
  if (reason instanceof APIUserAbortError) return reason;
  return new APIUserAbortError("The tool run was aborted.", { cause: reason });
}

function checkOptions(options: RunToolsOptions): {
  maxTurns: number;
  concurrency: number;
  maxToolCallsPerTurn: number;
} {
  const maxTurns = options.maxTurns ?? DEFAULT_MAX_TURNS;
  const concurrency = options.concurrency ?? DEFAULT_TOOL_CONCURRENCY;
  const maxToolCallsPerTurn = options.maxToolCallsPerTurn ?? DEFAULT_MAX_TOOL_CALLS_PER_TURN;
  if (!Number.isInteger(maxToolCallsPerTurn) || maxToolCallsPerTurn < 1) {
    throw new OpenResponsesError(
      `runTools: maxToolCallsPerTurn must be a whole number ≥ 1, got ${maxToolCallsPerTurn}.`,
    );
  }
  if (!Number.isInteger(maxTurns) || maxTurns < 1) {
    throw new OpenResponsesError(`runTools: maxTurns must be a whole number ≥ 1, got ${maxTurns}.`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new OpenResponsesError(`runTools: concurrency must be a whole number ≥ 1, got ${concurrency}.`);
  }
  return { maxTurns, concurrency, maxToolCallsPerTurn };
}

/**
 * How many of this response's calls may run: the per-turn cap, one when the request said
 * `parallel_tool_calls: false`, and what is left of the request's `max_tool_calls`. A server that
 * answers with more calls than the request allowed does not get them executed.
 */
function callsAllowed(
  body: RunToolsBody,
  maxToolCallsPerTurn: number,
  alreadyRun: number,
): { allowed: number; reason: string } {
  let allowed = maxToolCallsPerTurn;
  let reason = `the client runs at most ${maxToolCallsPerTurn} calls of one response (maxToolCallsPerTurn)`;
  if (body.parallel_tool_calls === false && allowed > 1) {
    allowed = 1;
    reason = "the request set parallel_tool_calls: false, so one call per response is run";
  }
  const total = body.max_tool_calls;
  if (typeof total === "number" && Number.isFinite(total) && total - alreadyRun < allowed) {
    allowed = Math.max(0, Math.floor(total - alreadyRun));
    reason = `the request set max_tool_calls: ${total}, and ${alreadyRun} ${alreadyRun === 1 ? "was" : "were"} already run`;
  }
  return { allowed, reason };
}

/** Splits `tools` into what is sent (plain definitions) and what the client runs, by name. */
function readTools(tools: RunToolsBody["tools"]): {
  definitions: RequestTool[] | null | undefined;
  runnable: Map<string, RunnableTool>;
  plainNames: Set<string>;
} {
  const runnable = new Map<string, RunnableTool>();
  const plainNames = new Set<string>();
  if (tools === undefined || tools === null) return { definitions: tools, runnable, plainNames };
  const definitions: RequestTool[] = [];
  for (const entry of tools) {
    const definition = isRunnableTool(entry) ? entry.definition : entry;
    const name = (definition as { name?: unknown }).name;
    if (typeof name === "string") {
      // Two tools with one name would make every call to it ambiguous.
      if (runnable.has(name) || plainNames.has(name)) {
        throw new OpenResponsesError(`runTools: two tools are named ${JSON.stringify(name)}.`);
      }
      if (isRunnableTool(entry)) runnable.set(name, entry);
      else if ((definition as { type?: unknown }).type === "function") plainNames.add(name);
    }
    definitions.push(definition);
  }
  return { definitions, runnable, plainNames };
}

/** A tool's return value as `function_call_output.output`: strings as they are, content parts kept. */
function toOutput(value: unknown): FunctionCallOutputItemParam["output"] {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length > 0 && value.every(isInputContentPart)) {
    return value as Exclude<FunctionCallOutputItemParam["output"], string>;
  }
  // `undefined` (a tool with nothing to say) becomes "null" rather than an invalid missing output.
  const json = JSON.stringify(value ?? null);
  if (json === undefined) throw new TypeError("the tool returned a value that is not JSON (a function?)");
  return json;
}

function isInputContentPart(value: unknown): boolean {
  const type = (value as { type?: unknown } | null)?.type;
  return type === "input_text" || type === "input_image" || type === "input_file" || type === "input_video";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping results in input order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    // Stop handing out calls once one failed or the run was aborted: their outputs would be discarded.
    while (next < items.length && !failed && !signal.aborted) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker);
  // A tool that ignores its signal must not hold an aborted run open: race the workers with the abort.
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    await Promise.race([Promise.all(workers), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  if (signal.aborted) throw abortError(signal);
  return results;
}

export async function* runLoop(
  host: ToolRunHost,
  body: RunToolsBody,
  options: RunToolsOptions,
  signal: AbortSignal,
): AsyncGenerator<ToolRunEvent, ToolRunResult> {
  const { maxTurns, concurrency, maxToolCallsPerTurn } = checkOptions(options);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new OpenResponsesError("runTools() needs a request body object.");
  }
  const {
    input,
    tools,
    stream: _stream,
    background: _background,
    previous_response_id: previousResponseId,
    ...rest
  } = body as RunToolsBody & { background?: unknown };
  const { definitions, runnable, plainNames } = readTools(tools);
  const {
    maxTurns: _maxTurns,
    concurrency: _concurrency,
    maxToolCallsPerTurn: _maxToolCallsPerTurn,
    throwOnToolError,
    mode,
    signal: _signal,
    idempotencyKey: _idempotencyKey,
    ...requestOptions
  } = options as RunToolsOptions & { idempotencyKey?: string };

  // Each turn is its own request: the run's signal cancels whichever is in flight. An idempotency key
  // is left out on purpose; one key on every turn would let a server replay the first answer.
  const transport: ConversationTransport = {
    stream: (turnBody) => host.stream(turnBody, { ...requestOptions, signal }),
  };
  const defaults = { ...rest } as ConversationDefaults;
  if (definitions !== undefined) (defaults as { tools?: unknown }).tools = definitions;
  const strict = options.strict ?? host.strict ?? false;
  // A conversation's bookkeeping without the `Conversation` class: a bundler puts code that lazily loaded
  // code uses from a file the package's entry exports in the part every client loads up front.
  const conversation: ConversationState = {
    client: null,
    options: { defaults, ...(mode !== undefined ? { mode } : {}), strict },
    transport,
    overSocket: false,
    items: [],
    pending: [],
    previousId: null,
    lastResponse: null,
  };
  // A run that continues an earlier response: the first turn (and a full resend) must still refer to
  // it, since the items before it are not ours to resend. `previous_response_id` is not among the
  // fields Conversation's types let a caller set, so it goes in as a per-turn override.
  const overrides =
    previousResponseId !== undefined && previousResponseId !== null
      ? ({ previous_response_id: previousResponseId } as ConversationDefaults)
      : undefined;

  const responses: ResponseWithOutputText[] = [];
  const toolCalls: ToolCallRecord[] = [];
  /** Calls given a slot against the limits so far (run, or answered as unknown/invalid). */
  let callsRun = 0;
  const progress = (): ToolRunProgress => ({
    response: responses[responses.length - 1] as ResponseWithOutputText,
    responses: [...responses],
    items: [...conversation.items],
  });
  const finish = (stopReason: ToolRunStopReason, pendingCalls: FunctionCall[]): ToolRunResult => {
    const response = responses[responses.length - 1] as ResponseWithOutputText;
    return { ...progress(), outputText: response.output_text, stopReason, toolCalls, pendingCalls };
  };

  for (let turn = 1; ; turn++) {
    if (signal.aborted) throw abortError(signal);
    // Each item in request form, as `Conversation.add` stages it; a type-less message passes as the
    // message it is.
    if (turn === 1 && input != null) {
      conversation.pending.push(...toInputItems(normalizeInput(input as ConversationInput)));
    }
    let source: { abort?: () => void } | null = null;
    const stream = ResponseStream.fromMessages(
      runTurn(conversation, overrides, (current) => {
        source = current as { abort?: () => void };
      }),
      { strict, requestId: null, abort: () => source?.abort?.() },
    );
    const stopStream = () => stream.abort(abortError(signal));
    signal.addEventListener("abort", stopStream, { once: true });
    let response: ResponseWithOutputText;
    try {
      for await (const event of stream) yield { type: "event", turn, event };
      response = await stream.finalResponse();
    } catch (error) {
      if (signal.aborted) throw abortError(signal);
      throw error;
    } finally {
      signal.removeEventListener("abort", stopStream);
    }
    responses.push(response);

    const calls = response.output.filter((item): item is FunctionCall => item.type === "function_call");
    // An incomplete response (out of output tokens, say) may hold a call cut short: stop, run nothing.
    if (response.status === "incomplete") return finish("incomplete", calls);
    if (calls.length === 0) return finish("completed", []);
    if (calls.some((call) => plainNames.has(call.name))) return finish("unhandled_calls", calls);
    if (turn >= maxTurns) throw new ToolRunMaxTurnsError(maxTurns, progress(), calls);

    const known = [...runnable.keys()];
    const { allowed, reason } = callsAllowed(body, maxToolCallsPerTurn, callsRun);
    callsRun += Math.min(allowed, calls.length);
    const runCall = async ({
      call,
      index,
    }: {
      call: FunctionCall;
      index: number;
    }): Promise<ToolCallRecord> => {
      if (index >= allowed) {
        return { turn, call, status: "not_run", output: `Error: this call was not run: ${reason}.` };
      }
      const target = runnable.get(call.name);
      if (!target) {
        const list = known.length > 0 ? ` Available tools: ${known.join(", ")}.` : "";
        return {
          turn,
          call,
          status: "unknown_tool",
          output: `Error: there is no tool named ${JSON.stringify(call.name)}.${list}`,
        };
      }
      let args: unknown;
      try {
        args = await target.parse(call.arguments);
      } catch (error) {
        return {
          turn,
          call,
          status: "invalid_arguments",
          error,
          output: `Error: invalid arguments for ${call.name}: ${messageOf(error)}. Call it again with arguments that match its parameters.`,
        };
      }
      const context: ToolContext = { call, response, turn, signal };
      try {
        const output = toOutput(await target.execute(args, context));
        return { turn, call, status: "ok", output };
      } catch (error) {
        if (signal.aborted) throw abortError(signal);
        if (throwOnToolError) throw new ToolExecutionError(call, error, progress());
        return { turn, call, status: "error", error, output: `Error: ${messageOf(error)}` };
      }
    };
    const records = await mapBounded(
      calls.map((call, index) => ({ call, index })),
      concurrency,
      signal,
      runCall,
    );
    for (const record of records) {
      toolCalls.push(record);
      yield { type: "tool_output", ...record };
    }
    stageToolOutputs(
      conversation,
      records.map((record) => ({ call_id: record.call.call_id, output: record.output })),
    );
  }
}
