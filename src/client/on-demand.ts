/**
 * What the client imports only when a call needs it, gathered in one module so that a bundler makes one
 * chunk of it rather than one per feature (each chunk costs its own compression and import lines):
 * reading a `parse()` answer through its schemas, and the requests of the stored-response endpoints.
 */

export { parseResponse } from "../structured/parse.js";
export { requestStored } from "./stored-requests.js";
