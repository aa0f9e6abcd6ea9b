/**
 * Rule P2: `tool_choice` and `allowed_tools` are enforced by the kit, whatever the model does.
 *
 * - The model is told the effective tool list and mode (`ModelRequest.tools` / `.toolChoice`).
 * - A function call to a tool outside that list, any call under `none`, a call beyond `max_tool_calls`,
 *   and a second call when `parallel_tool_calls` is false are dropped: they never reach the client.
 * - `required` (and a named function, which means "call this one") with no call at all ends the
 *   response `failed` with code `tool_choice_violation`: synthesising a call would invent arguments.
 */

import type { CreateResponseBody, FunctionTool, ToolChoiceValueEnum } from "../../spec/index.js";

export interface ToolPolicy {
  /** The tools the model may call, after `tool_choice`/`allowed_tools` narrowed the request's list. */
  readonly tools: FunctionTool[];
  readonly mode: ToolChoiceValueEnum;
  /** Whether a function call with this name may be emitted now; counts it when it may. */
  admit(name: string): boolean;
  /** The failure to report when the model ended without the call it was required to make. */
  missingRequiredCall(): string | null;
}

/** The request's tools in the shape of the response resource's `tools` (every field present). */
export function toFunctionTools(body: CreateResponseBody): FunctionTool[] {
  return (body.tools ?? []).map((tool) => ({
    type: "function",
    name: tool.name,
    description: tool.description ?? null,
    parameters: (tool.parameters as FunctionTool["parameters"]) ?? null,
    strict: tool.strict ?? null,
  }));
}

/** The names `tool_choice` refers to that are not among the request's tools (a 400 for the caller). */
export function unknownToolChoiceNames(body: CreateResponseBody): string[] {
  const referenced = referencedNames(body);
  if (referenced.length === 0) return referenced;
  const known = new Set((body.tools ?? []).map((tool) => tool.name));
  return referenced.filter((name) => !known.has(name));
}

function referencedNames(body: CreateResponseBody): string[] {
  const choice = body.tool_choice;
  if (typeof choice !== "object" || choice === null) return [];
  if (choice.type === "allowed_tools") return choice.tools.map((tool) => tool.name);
  return [choice.name];
}

/** No name: only ever read. */
const NO_NAMES: ReadonlySet<string> = new Set();

export function createToolPolicy(body: CreateResponseBody): ToolPolicy {
  const all = toFunctionTools(body);
  const choice = body.tool_choice ?? "auto";
  let mode: ToolChoiceValueEnum;
  let allowed: ReadonlySet<string>;
  if (typeof choice === "string") {
    mode = choice;
    // Most requests offer no tools: the shared empty set then, no new one per turn.
    allowed = all.length === 0 ? NO_NAMES : new Set(all.map((tool) => tool.name));
  } else if (choice.type === "allowed_tools") {
    mode = choice.mode ?? "auto";
    allowed = new Set(choice.tools.map((tool) => tool.name));
  } else {
    mode = "required";
    allowed = new Set([choice.name]);
  }
  if (mode === "none") allowed = NO_NAMES;
  const tools = all.length === 0 ? all : all.filter((tool) => allowed.has(tool.name));
  // `required` with nothing callable cannot be satisfied; the model is then free to answer in text.
  if (mode === "required" && tools.length === 0) mode = "auto";

  const maxCalls = body.max_tool_calls ?? Number.POSITIVE_INFINITY;
  const callLimit = body.parallel_tool_calls === false ? Math.min(1, maxCalls) : maxCalls;
  let calls = 0;

  return {
    tools,
    mode,
    admit(name) {
      if (!allowed.has(name) || calls >= callLimit) return false;
      calls += 1;
      return true;
    },
    missingRequiredCall() {
      if (mode !== "required" || calls > 0) return null;
      return `tool_choice requires a call to ${tools.map((tool) => tool.name).join(" or ")}, but the model made none.`;
    },
  };
}
