/**
 * The shapes of a tool run (its body, options, records and result), apart from the loop that runs it, so
 * the `ToolRunStream` that `runTools()` returns and the loop, loaded only when a run starts, share them.
 */

import type { ConversationMode } from "../conversation/conversation.js";
import type { RequestOptions } from "../core/options.js";
import type { RequestTool, ResponseCreateParams } from "../core/request-types.js";
import type { ResponsesAPI } from "../core/responses-api.js";
import type { FunctionCall, FunctionCallOutputItemParam } from "../spec/index.js";
import type { ResponseStreamEvent } from "../streaming/index.js";
import type { ToolRunProgress } from "./errors.js";
import type { RunnableTool } from "./runnable.js";

export const DEFAULT_MAX_TURNS = 10;
export const DEFAULT_TOOL_CONCURRENCY = 8;
/** The default `maxToolCallsPerTurn`: far above what a model asks for in one response. */
export const DEFAULT_MAX_TOOL_CALLS_PER_TURN = 64;

/** A request body for `runTools`: `tools` may mix runnable tools (`tool()`) and plain definitions. */
export type RunToolsBody = Omit<ResponseCreateParams, "tools" | "stream" | "background"> & {
  tools?: ReadonlyArray<RunnableTool | RequestTool> | null;
  /** `true`: `runTools` returns a `ToolRunStream` of every turn's events instead of a promise. */
  stream?: boolean | null;
};

export interface RunToolsOptions extends Omit<RequestOptions, "idempotencyKey"> {
  /** The most model responses the run may create (default 10); see `ToolRunMaxTurnsError`. */
  maxTurns?: number;
  /** The most tool calls run at once (default 8). Outputs are sent in call order either way. */
  concurrency?: number;
  /**
   * The most calls of one response that are run (default 64). With the request's own limits
   * (`parallel_tool_calls: false`: one per response; `max_tool_calls`: that many in the whole run), it
   * bounds what a server can make the client execute: calls past a limit are not run, and are answered
   * with an error output (status `not_run`) so the model can see why.
   */
  maxToolCallsPerTurn?: number;
  /** Reject the run with a `ToolExecutionError` when an `execute` throws, instead of telling the model. */
  throwOnToolError?: boolean;
  /** How turns continue (default `previous_response_id`; `resend` sends the whole context each turn). */
  mode?: ConversationMode;
}

/** One call the run answered. */
export interface ToolCallRecord {
  /** The turn (model response, from 1) that made the call. */
  turn: number;
  call: FunctionCall;
  /** What was sent back as the `function_call_output`. */
  output: FunctionCallOutputItemParam["output"];
  /**
   * `ok`: `execute` returned. `error`: `execute` threw. `invalid_arguments`: `parse` rejected the
   * arguments (bad JSON by default). `unknown_tool`: no runnable tool has that name. `not_run`: the call
   * was past a limit (`parallel_tool_calls: false`, `max_tool_calls`, `maxToolCallsPerTurn`) and was not
   * executed; its output says which.
   */
  status: "ok" | "error" | "invalid_arguments" | "unknown_tool" | "not_run";
  /** What `parse` or `execute` threw, for `error` and `invalid_arguments`. */
  error?: unknown;
}

/**
 * Why the run stopped. `completed`: the last response made no function call. `incomplete`: the last
 * response ended `incomplete` (e.g. `max_output_tokens`); any calls in it may be cut short, so none
 * were run. `unhandled_calls`: the model called a function tool passed as a plain definition (no `execute`);
 * answer `pendingCalls` yourself, continuing from `response.id`.
 */
export type ToolRunStopReason = "completed" | "incomplete" | "unhandled_calls";

export interface ToolRunResult extends ToolRunProgress {
  /** The final response's `output_text`. */
  outputText: string;
  stopReason: ToolRunStopReason;
  /** Every call the run answered, in order. */
  toolCalls: ToolCallRecord[];
  /** Function calls of the last response left unanswered (empty when `stopReason` is `completed`). */
  pendingCalls: FunctionCall[];
}

/**
 * What a streamed run yields: every event of every turn, and, once a turn's calls have run, one
 * `tool_output` per call, in call order.
 */
export type ToolRunEvent =
  | { type: "event"; turn: number; event: ResponseStreamEvent }
  | ({ type: "tool_output" } & ToolCallRecord);

/** What the loop needs from the client: `responses.stream` and the default protocol-checker mode. */
export type ToolRunHost = Pick<ResponsesAPI, "stream"> & { readonly strict?: boolean };
