/**
 * The request mappers of the Anthropic and Gemini bridges are pure functions of the request; what they
 * cannot map they refuse through a `Refuse` callback, which names the request field (`param`) and says
 * why in a sentence that names the upstream. `refuser` binds it to the kit's answer: a `ModelError`, so
 * a 400 spec error before any upstream call.
 */

import { ModelError } from "../kit/model-error.js";

/** Refuses the request: `param` is the field's path in the request (`input[2].content[0]`). Never returns. */
export type Refuse = (param: string, message: string, code?: string) => never;

const EARLIER = "previous_response_id";

/**
 * The `Refuse` that throws the 400 `ModelError`. An item of an earlier turn (reached through
 * `previous_response_id`) is not in this request: the param is `previous_response_id`, and the message
 * says where in that item the problem is.
 */
export function refuser(): Refuse {
  return (param, message, code = "unsupported_parameter") => {
    let field = param;
    let text = message;
    if (param.startsWith(`${EARLIER}.`) || param === EARLIER) {
      field = EARLIER;
      const inner = param.slice(EARLIER.length).replace(/^\./, "");
      text = `${message} (It is in an item of an earlier turn${inner === "" ? "" : `, at \`${inner}\``}.)`;
    }
    throw new ModelError(text, { status: 400, type: "invalid_request", code, param: field });
  };
}
