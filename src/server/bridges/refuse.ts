/**
 * "Unsupported means refused, by name": a request field or item a bridge's upstream cannot honour is a
 * 400 naming the field (`param`) and the upstream, raised before any upstream call, never silently
 * dropped. Bridges collect what they cannot map while they build the upstream request and throw the
 * first refusal; the kit answers it as the HTTP status (or a WebSocket `error` message).
 */

import { ModelError } from "../kit/model-error.js";

/**
 * The refusal for `param` (a path into the caller's request: `background`, `tools[2]`,
 * `input[3].content[0]`), e.g. `refuse("tools[0]", "Anthropic", "hosted tool \"web_search\"")`.
 */
export function refuse(param: string, upstream: string, what?: string): ModelError {
  const subject = what === undefined ? `\`${param}\`` : `${what} (\`${param}\`)`;
  return new ModelError(
    `${subject} is not supported by this server's upstream (${upstream}); remove it from the request.`,
    { status: 400, type: "invalid_request", code: "unsupported_parameter", param },
  );
}

/** A refusal of a field that has a value other than the one the upstream can take. */
export function refuseValue(param: string, upstream: string, value: unknown): ModelError {
  return new ModelError(
    `\`${param}\` = ${JSON.stringify(value)} is not supported by this server's upstream (${upstream}).`,
    { status: 400, type: "invalid_request", code: "unsupported_value", param },
  );
}

/** True for a value that asks for something: not absent, null, false, or an empty list. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  return !(Array.isArray(value) && value.length === 0);
}
