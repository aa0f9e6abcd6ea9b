/**
 * The request mappers of the Anthropic and Gemini bridges are pure functions of the request; what they
 * cannot map they refuse through this callback, which names the request field (`param`) and says why.
 * The bridge binds it to the kit's refusal (a 400 spec error naming the upstream).
 */

/** Refuses the request: `param` is the field's path in the request (`input[2].content[0]`). Never returns. */
export type Refuse = (param: string, message: string) => never;
