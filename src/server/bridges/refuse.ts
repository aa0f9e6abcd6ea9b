/**
 * "Unsupported means refused, by name": a request field or item a bridge's upstream cannot honour is a
 * 400 naming the field (`param`) and the upstream, raised before any upstream call, never silently
 * dropped. Every bridge refusal is built by `refusal` here, so they all have one shape; the kit answers
 * it as the HTTP status (or a WebSocket `error` message). The chat and responses bridges throw
 * `refuse`/`refuseValue` while they build the upstream request; the Anthropic and Gemini mappers are pure
 * functions that refuse through a `Refuse` callback, which `refuser` binds to the same 400.
 */

import { ModelError } from "../kit/model-error.js";

/**
 * The 400 `invalid_request` for `param` (a path into the caller's request: `background`, `tools[2]`,
 * `input[3].content[0]`); an optional `hint` (where the field is, what to do) follows the message.
 */
export function refusal(
  param: string,
  message: string,
  options: { code?: string | undefined; hint?: string } = {},
): ModelError {
  return new ModelError(options.hint === undefined ? message : `${message} ${options.hint}`, {
    status: 400,
    type: "invalid_request",
    code: options.code ?? "unsupported_parameter",
    param,
  });
}

/**
 * The refusal for `param`, e.g. `refuse("tools[0]", "Anthropic", "hosted tool \"web_search\"")`.
 */
export function refuse(param: string, upstream: string, what?: string): ModelError {
  const subject = what === undefined ? `\`${param}\`` : `${what} (\`${param}\`)`;
  return refusal(param, `${unsupported(subject, upstream)}; remove it from the request.`);
}

/** A refusal of a field that has a value other than the one the upstream can take. */
export function refuseValue(param: string, upstream: string, value: unknown): ModelError {
  const subject = `\`${param}\` = ${JSON.stringify(value)}`;
  return refusal(param, `${unsupported(subject, upstream)}.`, { code: "unsupported_value" });
}

function unsupported(subject: string, upstream: string): string {
  return `${subject} is not supported by this server's upstream (${upstream})`;
}

/** True for a value that asks for something: not absent, null, false, or an empty list. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  return !(Array.isArray(value) && value.length === 0);
}

/**
 * Refuses the request: `param` is the field's path in the request (`input[2].content[0]`), `message` a
 * sentence that names the upstream. Never returns.
 */
export type Refuse = (param: string, message: string, code?: string) => never;

/**
 * The `Refuse` that throws the 400. An item of an earlier turn (reached through `previous_response_id`;
 * `itemParam` names it `previous_response_id (context item N)`) is not in this request: the param is
 * `previous_response_id`, and the message says where in the context it is.
 */
export function refuser(): Refuse {
  return (param, message, code) => {
    const earlier = /^previous_response_id(?: \(([^)]*)\))?(.*)$/.exec(param);
    if (earlier === null) throw refusal(param, message, { code });
    const where = [earlier[1], earlier[2]?.replace(/^\./, "")].filter((part) => part).join(", at ");
    const hint = `(This is in an earlier turn of the previous_response_id chain${where ? `: ${where}` : ""}.)`;
    throw refusal("previous_response_id", message, { code, hint });
  };
}
