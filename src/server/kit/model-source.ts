/**
 * The model's side of a turn: calls the model, and pulls its first part before any event is written.
 * That first pull is where a model can still choose the HTTP answer: an error with a status thrown
 * before it (`ModelError`, e.g. a bridge whose upstream said 429) becomes that status and an E1 body
 * instead of a stream. Every other outcome is kept and replayed by `next()`, so the event loop sees the
 * model exactly as before: a first part, or the end, or an error that becomes `error` + `response.failed`.
 */

import type { Model, ModelPart, ModelRequest } from "../model.js";
import type { KitError } from "./kit-error.js";
import { statusAnswerOf } from "./model-error.js";

export const ABORTED = Symbol("aborted");

type Step = IteratorResult<ModelPart>;

export interface ModelSource {
  /** The next step; a promise only for an async model, raced against the request's abort (`ABORTED`). */
  next(): Step | typeof ABORTED | Promise<Step | typeof ABORTED>;
  /** Lets the model's generator run its own cleanup; never throws. */
  close(): void;
}

export type OpenedModel = { ok: true; source: ModelSource } | { ok: false; error: KitError; thrown: unknown };

/** Calls the model and waits for its first step (or the abort of `request.signal`). */
export async function openModel(model: Model, request: ModelRequest): Promise<OpenedModel> {
  const aborted = abortPromise(request.signal);
  let iterator: AsyncIterator<ModelPart> | Iterator<ModelPart> | undefined;
  let isAsync = false;
  let first: Step | typeof ABORTED | { thrown: unknown };
  try {
    const source = model(request);
    isAsync = typeof (source as AsyncIterable<ModelPart>)?.[Symbol.asyncIterator] === "function";
    iterator = openIterator(source);
    first = isAsync
      ? await Promise.race([(iterator as AsyncIterator<ModelPart>).next(), aborted])
      : (iterator as Iterator<ModelPart>).next();
  } catch (thrown) {
    const answer = request.signal.aborted ? null : statusAnswerOf(thrown);
    if (answer !== null) {
      closeQuietly(iterator);
      return { ok: false, error: answer, thrown };
    }
    first = { thrown };
  }
  let pending: typeof first | null = first;
  const source: ModelSource = {
    next() {
      if (pending !== null) {
        const step = pending;
        pending = null;
        if (step !== ABORTED && "thrown" in step) throw step.thrown;
        return step;
      }
      if (request.signal.aborted) return ABORTED;
      if (iterator === undefined) return { done: true, value: undefined };
      return isAsync
        ? Promise.race([(iterator as AsyncIterator<ModelPart>).next(), aborted])
        : (iterator as Iterator<ModelPart>).next();
    },
    close: () => closeQuietly(iterator),
  };
  return { ok: true, source };
}

function openIterator(
  source: AsyncIterable<ModelPart> | Iterable<ModelPart>,
): AsyncIterator<ModelPart> | Iterator<ModelPart> {
  if (source && typeof (source as AsyncIterable<ModelPart>)[Symbol.asyncIterator] === "function") {
    return (source as AsyncIterable<ModelPart>)[Symbol.asyncIterator]();
  }
  if (source && typeof (source as Iterable<ModelPart>)[Symbol.iterator] === "function") {
    return (source as Iterable<ModelPart>)[Symbol.iterator]();
  }
  throw new TypeError("The model must return an iterable or async iterable of parts.");
}

/** Resolves to `ABORTED` when the signal fires; one listener per run, not one per part. */
function abortPromise(signal: AbortSignal): Promise<typeof ABORTED> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener("abort", () => resolve(ABORTED), { once: true });
  });
}

function closeQuietly(iterator: AsyncIterator<ModelPart> | Iterator<ModelPart> | undefined): void {
  try {
    const result = iterator?.return?.();
    if (result instanceof Promise) result.catch(() => {});
  } catch {
    // The model's own cleanup failing is not the client's problem.
  }
}
