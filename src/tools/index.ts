/** Tool-calling loops: `tool()` pairs a function tool with its code; `client.responses.runTools()` runs them. */
export { ToolExecutionError, ToolRunMaxTurnsError, type ToolRunProgress } from "./errors.js";
export {
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
export { ToolRunStream } from "./runner.js";
export {
  isRunnableTool,
  type RunnableTool,
  type SchemaToolInit,
  type ToolContext,
  type ToolInit,
  tool,
} from "./tool.js";
