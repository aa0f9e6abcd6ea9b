/**
 * The engine's `compact()`: the context resolved as for a create, handed to the compactor (the
 * caller's, the model's own, or the generic one), and the result framed as a `response.compaction`
 * resource with usage. A compactor that throws or returns something other than a list is a 500.
 */

import type { CompactResource, CompactResponseMethodPublicBody } from "../../spec/index.js";
import type { Compactor, ResponseStore } from "../model.js";
import type { ErrorReporter } from "./error-report.js";
import type { IdGenerator } from "./ids.js";
import { describeThrown, type KitError, kitError } from "./kit-error.js";
import { statusAnswerOf } from "./model-error.js";
import { type ContextLimits, resolveContext } from "./resolve-context.js";
import { buildUsage, countContextCharacters } from "./usage.js";

export type CompactResult = { ok: true; resource: CompactResource } | { ok: false; error: KitError };

export interface CompactSettings {
  readonly store: ResponseStore;
  readonly limits: ContextLimits;
  /** Called after the context resolved, so a compactor is only built for a request that gets that far. */
  readonly compactor: () => Compactor;
  readonly ids: IdGenerator;
  readonly now: () => number;
  readonly report: ErrorReporter;
}

export async function runCompaction(
  settings: CompactSettings,
  body: CompactResponseMethodPublicBody,
  signal: AbortSignal | undefined,
): Promise<CompactResult> {
  const context = await resolveContext(body, settings.store, settings.limits);
  if (!context.ok) return context;
  const compactor = settings.compactor();
  let output: Awaited<ReturnType<Compactor>>;
  try {
    output = await compactor({ body, input: context.input, signal: signal ?? new AbortController().signal });
    if (!Array.isArray(output)) throw new TypeError("The compactor did not return a list of items.");
  } catch (error) {
    settings.report(error, "compact");
    // A compactor that calls an upstream answers with the upstream's status, as a model does.
    const answer = statusAnswerOf(error);
    if (answer !== null) return { ok: false, error: answer };
    const described = describeThrown(error);
    return { ok: false, error: kitError(500, described.type, described.message, { code: described.code }) };
  }
  const resource: CompactResource = {
    id: settings.ids("compact"),
    object: "response.compaction",
    output,
    created_at: Math.floor(settings.now() / 1000),
    usage: buildUsage(
      {
        inputChars: countContextCharacters(context.input),
        outputChars: countContextCharacters(output),
        reasoningChars: 0,
      },
      undefined,
    ),
  };
  return { ok: true, resource };
}
