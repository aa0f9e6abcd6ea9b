/**
 * `routeModels`: one `Model` that hands each request to a bridge chosen by the request's `model`, so a
 * single endpoint can put several providers behind the names users already type. Patterns are exact
 * names or globs with `*`; the first pattern that matches, in the order given, wins; a model no
 * pattern matches is answered 404 `model_not_found` (before anything streams). Compaction is routed
 * the same way.
 */

import { genericCompactor } from "../kit/compactor.js";
import { randomIds } from "../kit/ids.js";
import { ModelError } from "../kit/model-error.js";
import type { CompactRequest, Model, ModelRequest } from "../model.js";

/**
 * One `Model` that hands each request to the model whose pattern (an exact name, or a glob with `*`)
 * first matches the request's `model`; no match is a 404 `model_not_found`.
 *
 * @example
 * const model = routeModels({
 *   "claude-*": anthropicModel({ apiKey: process.env.ANTHROPIC_API_KEY }),
 *   "gemini-*": geminiModel({ apiKey: process.env.GEMINI_API_KEY }),
 *   "*": chatCompletionsModel({ baseURL: "http://127.0.0.1:11434/v1" }),
 * });
 */
export function routeModels(routes: Record<string, Model>): Model {
  const table = Object.entries(routes).map(([pattern, model]) => {
    if (typeof model !== "function")
      throw new TypeError(`routeModels: the route ${JSON.stringify(pattern)} is not a model.`);
    return { pattern, test: globMatcher(pattern), model };
  });
  const pick = (name: string | null | undefined): Model => {
    const wanted = typeof name === "string" ? name : "";
    const route = table.find((entry) => entry.test(wanted));
    if (route !== undefined) return route.model;
    const known = table.map((entry) => entry.pattern).join(", ");
    throw new ModelError(
      `The model ${JSON.stringify(wanted)} is not served here (models served: ${known || "none"}).`,
      { status: 404, type: "not_found", code: "model_not_found", param: "model" },
    );
  };
  const fallbackCompact = genericCompactor(randomIds);
  const model = (request: ModelRequest) => pick(request.body.model)(request);
  const compact = (request: CompactRequest) => {
    const chosen = pick(request.body.model);
    return (chosen.compact ?? fallbackCompact)(request);
  };
  return Object.assign(model, { compact });
}

/** `*` matches any run of characters (none included); everything else matches itself. */
function globMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  const source = pattern
    .split("*")
    .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  const regex = new RegExp(`^${source}$`, "s");
  return (name) => regex.test(name);
}
