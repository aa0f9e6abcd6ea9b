/** The errors a tool run adds to the package's own (`src/errors.ts`). */

import type { ConversationItem } from "../conversation/items.js";
import { OpenResponsesError } from "../errors.js";
import type { FunctionCall, ResponseWithOutputText } from "../spec/index.js";

/** What a failed run had reached: enough to log it, show it, or continue it by hand. */
export interface ToolRunProgress {
  /** The latest response. */
  response: ResponseWithOutputText;
  /** Every response of the run, in order (one per turn). */
  responses: ResponseWithOutputText[];
  /** Every item of the run in request form: the input, each response's output, each tool output. */
  items: ConversationItem[];
}

/**
 * The model was still calling tools after `maxTurns` responses. The calls of the last response were not
 * run; they are in `pendingCalls`.
 */
export class ToolRunMaxTurnsError extends OpenResponsesError {
  readonly maxTurns: number;
  readonly response: ResponseWithOutputText;
  readonly responses: ResponseWithOutputText[];
  readonly items: ConversationItem[];
  readonly pendingCalls: FunctionCall[];

  constructor(maxTurns: number, progress: ToolRunProgress, pendingCalls: FunctionCall[]) {
    const names = [...new Set(pendingCalls.map((call) => call.name))].join(", ");
    super(
      `The model was still calling tools (${names}) after ${maxTurns} response${maxTurns === 1 ? "" : "s"} (maxTurns).`,
    );
    this.maxTurns = maxTurns;
    this.response = progress.response;
    this.responses = progress.responses;
    this.items = progress.items;
    this.pendingCalls = pendingCalls;
  }
}

/** A tool's `execute` threw and the run has `throwOnToolError: true`; the original error is `cause`. */
export class ToolExecutionError extends OpenResponsesError {
  readonly toolName: string;
  readonly call: FunctionCall;
  readonly response: ResponseWithOutputText;
  readonly responses: ResponseWithOutputText[];
  readonly items: ConversationItem[];

  constructor(call: FunctionCall, cause: unknown, progress: ToolRunProgress) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Tool ${call.name} (call ${call.call_id}) failed: ${reason}`, { cause });
    this.toolName = call.name;
    this.call = call;
    this.response = progress.response;
    this.responses = progress.responses;
    this.items = progress.items;
  }
}
