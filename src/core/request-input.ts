/**
 * The errors for what a caller gave the transport that cannot be sent: an `authHeader` that is not a
 * header name, an API key or a header value that HTTP does not allow, an `apiKey` function that failed or
 * gave no key, a body JSON cannot hold. Such mistakes are the exception, so the transport loads this
 * file (through `src/on-demand.ts`) when one happens.
 */

import { OpenResponsesError } from "../errors.js";

/**
 * What was wrong, and the `detail` that comes with it: `auth`, the auth header could not be set (the
 * TypeError of `Headers`); `header`, a default or request header could not (its name); `key`, the
 * `apiKey` function threw (what it threw); `empty`, it gave no key; `body`, `JSON.stringify` threw.
 */
export type InputProblem = "auth" | "header" | "key" | "empty" | "body";

export function requestInputError(
  problem: InputProblem,
  detail: unknown,
  authHeader?: string,
): OpenResponsesError {
  const reason = detail instanceof Error ? detail.message : String(detail);
  if (problem === "auth") {
    // A bad header name (the `authHeader` option) is no secret: its own message goes through. A bad key
    // (a line break, a typographic dash...) makes `Headers` quote the whole value: named, never quoted.
    return new OpenResponsesError(
      detail instanceof TypeError && reason.includes("header name")
        ? `The authHeader option is not a valid header name: ${reason}`
        : `The API key cannot be sent in the ${authHeader} header: it holds a line break, a NUL or a character above U+00FF.`,
    );
  }
  return new OpenResponsesError(
    problem === "header"
      ? `The header ${JSON.stringify(detail)} cannot be sent: its name or value has a character HTTP does not allow.`
      : problem === "key"
        ? `The apiKey function failed: ${reason}`
        : problem === "empty"
          ? "The apiKey function must resolve to a non-empty string."
          : `The request body cannot be serialised to JSON: ${reason}`,
  );
}
