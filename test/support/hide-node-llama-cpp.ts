/**
 * Preloaded with `node --import` (after tsx) to run a process as if node-llama-cpp were not installed:
 * a resolve hook answers every import of it as Node does for a package that is absent.
 */

import { register } from "node:module";

const hook = `
export async function resolve(specifier, context, next) {
  if (specifier === "node-llama-cpp" || specifier.startsWith("node-llama-cpp/")) {
    const error = new Error("Cannot find package 'node-llama-cpp' imported from " + context.parentURL);
    error.code = "ERR_MODULE_NOT_FOUND";
    throw error;
  }
  return next(specifier, context);
}`;

register(`data:text/javascript,${encodeURIComponent(hook)}`);
