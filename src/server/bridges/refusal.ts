/**
 * The request mappers of the Anthropic and Gemini bridges are pure functions of the request; what they
 * cannot map they refuse through a `Refuse` callback, which names the request field (`param`) and says
 * why in a sentence that names the upstream. `refuser` binds it to the kit's answer: a `ModelError`, so
 * a 400 spec error before any upstream call.
 */

import { ModelError } from "../kit/model-error.js";

/** Refuses the request: `param` is the field's path in the request (`input[2].content[0]`). Never returns. */
export type Refuse = (param: string, message: string, code?: string) => never;

/**
 * The `Refuse` that throws the 400 `ModelError`. An item of an earlier turn (reached through
 * `previous_response_id`; `itemParam` names it `previous_response_id (context item N)`) is not in this
 * request: the param is `previous_response_id`, and the message says where in the context it is.
 */
export function refuser(): Refuse {
  return (param, message, code = "unsupported_parameter") => {
    const earlier = /^previous_response_id(?: \(([^)]*)\))?(.*)$/.exec(param);
    let field = param;
    let text = message;
    if (earlier !== null) {
      field = "previous_response_id";
      const where = [earlier[1], earlier[2]?.replace(/^\./, "")].filter((part) => part).join(", at ");
      text = `${message} (This is in an earlier turn of the previous_response_id chain${where ? `: ${where}` : ""}.)`;
    }
    throw new ModelError(text, { status: 400, type: "invalid_request", code, param: field });
  };
}
