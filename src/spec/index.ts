/**
 * The type model of the Open Responses specification: every component schema as a type of the same
 * name (generated from openapi.json), the extension types of rules X1–X4, friendly aliases, and the
 * zero-dependency runtime validator.
 */

export * from "./aliases.js";
export {
  type SchemaName,
  SpecValidationError,
  type ValidationIssue,
  type ValidationResult,
} from "./errors.js";
export * from "./extensions.js";
export { schemaNames } from "./schemas.gen.js";
export type * from "./types.gen.js";
export { assertValid, isValid, type ValidateOptions, validate } from "./validate.js";
