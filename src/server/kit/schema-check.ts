/**
 * Adapter over the spec's runtime validator: the first issue it finds, as a message plus the path
 * (`input[0].content`) that becomes the error's `param`.
 */

import { validate } from "../../spec/index.js";

export interface SchemaIssue {
  message: string;
  param: string | null;
}

export function firstSchemaIssue(
  schema: "CreateResponseBody" | "CompactResponseMethodPublicBody",
  value: unknown,
): SchemaIssue | null {
  const result = validate(schema, value);
  if (result.valid) return null;
  const issue = result.errors[0];
  if (issue === undefined) return { message: `does not match ${schema}`, param: null };
  return {
    message: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
    param: issue.path || null,
  };
}
