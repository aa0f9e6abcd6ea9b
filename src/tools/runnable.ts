/**
 * What a runnable tool is (`tool()` builds one) and how to recognise one, apart from `tool()` itself:
 * every request checks its tools with `isRunnableTool`, and schema-built tools need not come along.
 */

import type { FunctionCall, FunctionToolParam, ResponseResource } from "../spec/index.js";

/** What a tool's `execute` is given besides its arguments. */
export interface ToolContext {
  /** The `function_call` item being answered (`call_id`, `name`, the raw `arguments` JSON). */
  readonly call: FunctionCall;
  /** The response that made the call. */
  readonly response: ResponseResource;
  /** 1 for the first model response of the run, 2 for the next, ... */
  readonly turn: number;
  /** Aborted when the run is aborted (its `signal`, `.abort()`, or a consumer that stopped early). */
  readonly signal: AbortSignal;
}

/** A function tool with its code. Put it in `tools` of `client.responses.runTools()`. */
export interface RunnableTool<Args = unknown, Result = unknown> {
  /** The tool definition sent to the server (a plain `FunctionToolParam`). */
  readonly definition: FunctionToolParam;
  readonly name: string;
  // Method syntax on purpose: it keeps `RunnableTool<{ city: string }>` assignable to `RunnableTool`,
  // so tools with different argument types sit in one `tools` array.
  parse(argumentsJson: string): Args | Promise<Args>;
  execute(args: Args, context: ToolContext): Result | Promise<Result>;
}

/**
 * Whether a `tools` entry is a runnable tool (rather than a plain tool definition sent as is): one copy
 * for `toWireTools` (every request), `parse()` and the tool loop.
 */
export function isRunnableTool(value: unknown): value is RunnableTool {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<RunnableTool>;
  return (
    typeof candidate.execute === "function" &&
    typeof candidate.parse === "function" &&
    typeof candidate.definition === "object" &&
    candidate.definition !== null
  );
}
