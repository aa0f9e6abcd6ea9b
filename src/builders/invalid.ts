import { type SchemaName, SpecValidationError } from "../spec/errors.js";

/**
 * Builders check their arguments by hand (not with the validator, so that a client bundle that only
 * builds requests stays small) and report a bad argument the way the validator would.
 */
export function invalid(schema: SchemaName, path: string, message: string): SpecValidationError {
  return new SpecValidationError(schema, [{ path, message }]);
}
