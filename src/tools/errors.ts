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
  declare readonly maxTurns: number;
  declare readonly response: ResponseWithOutputText;
  declare readonly responses: ResponseWithOutputText[];
  declare readonly items: ConversationItem[];
  declare readonly pendingCalls: FunctionCall[];

  constructor(maxTurns: number, progress: ToolRunProgress, pendingCalls: FunctionCall[]) {
    const names = [...new Set(pendingCalls.map((call) => call.name))].join(", ");
    super(
      `The model was still calling tools (${names}) after ${maxTurns} response${maxTurns === 1 ? "" : "s"} (maxTurns).`,
    );
    Object.assign(this, { maxTurns, ...progressOf(progress), pendingCalls });
  }
}

/** A tool's `execute` threw and the run has `throwOnToolError: true`; the original error is `cause`. */
export class ToolExecutionError extends OpenResponsesError {
  declare readonly toolName: string;
  declare readonly call: FunctionCall;
  declare readonly response: ResponseWithOutputText;
  declare readonly responses: ResponseWithOutputText[];
  declare readonly items: ConversationItem[];

  constructor(call: FunctionCall, cause: unknown, progress: ToolRunProgress) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Tool ${call.name} (call ${call.call_id}) failed: ${reason}`, { cause });
    Object.assign(this, { toolName: call.name, call, ...progressOf(progress) });
  }
}

/** The fields both errors copy from the run's progress. */
function progressOf({ response, responses, items }: ToolRunProgress): ToolRunProgress {
  return { response, responses, items };
}
