/** The error `responses.parse()` throws when the model's JSON cannot be read into the schema. */

import { OpenResponsesError } from "../errors.js";
import type { ResponseResource } from "../spec/index.js";
import type { SchemaIssue } from "./standard-schema.js";

export type ResponseParseErrorKind = "invalid_json" | "schema_mismatch";

/**
 * `responses.parse()` got text that is not JSON, or JSON the schema rejects; the response and the
 * schema's issues are attached, so nothing is lost.
 *
 * @example
 * ```ts
 * try {
 *   await client.responses.parse({ model: "m", input: "x", text: { format } });
 * } catch (error) {
 *   if (error instanceof ResponseParseError) console.log(error.kind, error.rawText, error.issues);
 * }
 * ```
 */
export class ResponseParseError extends OpenResponsesError {
  /** `invalid_json`: the text is not JSON. `schema_mismatch`: it is, but the schema rejects it. */
  declare readonly kind: ResponseParseErrorKind;
  /** The text exactly as the model produced it (the `output_text`, or a call's `arguments`). */
  declare readonly rawText: string;
  /** What the schema rejected (empty for `invalid_json`). */
  declare readonly issues: ReadonlyArray<SchemaIssue>;
  /** The function tool whose arguments failed, or `null` for the response's text. */
  declare readonly toolName: string | null;
  /** The whole response, so that nothing the server sent is lost (`null` until it is attached). */
  response: ResponseResource | null = null;

  constructor(
    message: string,
    details: {
      kind: ResponseParseErrorKind;
      rawText: string;
      issues?: ReadonlyArray<SchemaIssue>;
      toolName?: string | null;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ResponseParseError";
    this.kind = details.kind;
    this.rawText = details.rawText;
    this.issues = details.issues ?? [];
    this.toolName = details.toolName ?? null;
  }
}
