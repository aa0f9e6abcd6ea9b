/**
 * The validation error and its parts, apart from the validator so that code which only reports bad input
 * (the builders) does not pull the validator and the schemas into a bundle.
 */

import { OpenResponsesError } from "../errors.js";
import type { SchemaTypes } from "./types.gen.js";

/** The name of a component schema of the specification. */
export type SchemaName = keyof SchemaTypes;

/** One reason a value does not match: where (`input[0].content[1].type`, `""` for the root) and why. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult = { valid: true } | { valid: false; errors: ValidationIssue[] };

/**
 * A value does not match a schema of the specification (from `assertValid`, or a builder given a bad
 * argument); `issues` lists every problem found. The message shows the first five.
 */
export class SpecValidationError extends OpenResponsesError {
  readonly schema: SchemaName;
  readonly issues: ValidationIssue[];
  constructor(schema: SchemaName, issues: ValidationIssue[]) {
    super(formatIssues(schema, issues));
    this.schema = schema;
    this.issues = issues;
  }
}

function formatIssues(schema: string, issues: ValidationIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${issue.path || "(root)"}: ${issue.message}`);
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : "";
  return `Invalid ${schema}: ${shown.join("; ")}${more}`;
}
