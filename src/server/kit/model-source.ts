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
  /**
   * The next step; a promise only for an async model. The first one is raced against the request's
   * abort (`ABORTED`); after that the caller wakes itself on the abort (the turn loop does), since a race
   * per step would leave one reaction per part on the abort's promise for as long as the turn lasts.
   */
  next(): Step | typeof ABORTED | Promise<Step | typeof ABORTED>;
  /** Lets the model's generator run its own cleanup; never throws. */
  close(): void;
}

export type OpenedModel = { ok: true; source: ModelSource } | { ok: false; error: KitError; thrown: unknown };

/**
 * Calls the model and waits for its first step (or the abort of `request.signal`). `aborted` says
 * whether the turn was aborted without reading `request.signal` (turn-abort.ts), for a sync model.
 * A sync model's first step is taken at once, and the result is then no promise: a turn that never
 * waits costs no turn of the microtask queue here.
 */
export function openModel(
  model: Model,
  request: ModelRequest,
  aborted: () => boolean = () => request.signal.aborted,
): OpenedModel | Promise<OpenedModel> {
  let iterator: AsyncIterator<ModelPart> | Iterator<ModelPart> | undefined;
  let first: Step | typeof ABORTED | { thrown: unknown };
  try {
    const source = model(request);
    iterator = openIterator(source);
    if (typeof (source as AsyncIterable<ModelPart>)?.[Symbol.asyncIterator] === "function") {
      return openAsync(iterator as AsyncIterator<ModelPart>, request, aborted);
    }
    first = (iterator as Iterator<ModelPart>).next();
  } catch (thrown) {
    const failed = refusal(thrown, iterator, aborted);
    if (failed !== null) return failed;
    first = { thrown };
  }
  return opened(first, iterator, false, aborted);
}

/** An async model's first step, awaited (or the abort), with the same outcomes as a sync one's. */
async function openAsync(
  iterator: AsyncIterator<ModelPart>,
  request: ModelRequest,
  aborted: () => boolean,
): Promise<OpenedModel> {
  let first: Step | typeof ABORTED | { thrown: unknown };
  try {
    first = await firstOrAbort(iterator.next(), request.signal);
  } catch (thrown) {
    const failed = refusal(thrown, iterator, aborted);
    if (failed !== null) return failed;
    first = { thrown };
  }
  return opened(first, iterator, true, aborted);
}

/** The HTTP answer a model chose by throwing before its first part (e.g. a `ModelError`); else null. */
function refusal(
  thrown: unknown,
  iterator: AsyncIterator<ModelPart> | Iterator<ModelPart> | undefined,
  aborted: () => boolean,
): OpenedModel | null {
  const answer = aborted() ? null : statusAnswerOf(thrown);
  if (answer === null) return null;
  closeQuietly(iterator);
  return { ok: false, error: answer, thrown };
}

/** The source that replays the first step (or what it threw), then pulls the model. */
function opened(
  first: Step | typeof ABORTED | { thrown: unknown },
  iterator: AsyncIterator<ModelPart> | Iterator<ModelPart> | undefined,
  isAsync: boolean,
  aborted: () => boolean,
): OpenedModel {
  let pending: typeof first | null = first;
  const source: ModelSource = {
    next() {
      if (pending !== null) {
        const step = pending;
        pending = null;
        if (step !== ABORTED && "thrown" in step) throw step.thrown;
        return step;
      }
      if (aborted()) return ABORTED;
      if (iterator === undefined) return { done: true, value: undefined };
      // An async step as this realm's promise: the loop tells a pending step by `instanceof Promise`,
      // and a model may hand out another realm's (a platform's stream iterated as its parts, on
      // edge-runtime). `Promise.resolve` returns this realm's own promises as they are.
      return isAsync
        ? Promise.resolve((iterator as AsyncIterator<ModelPart>).next())
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

/**
 * The first step, or `ABORTED` if the signal fires first; the listener goes once the race is decided, so
 * an open stream keeps nothing on the signal for it.
 */
function firstOrAbort(step: Promise<Step>, signal: AbortSignal): Promise<Step | typeof ABORTED> {
  if (signal.aborted) {
    // Left unread: its failure, if any, is nobody's to report.
    step.catch(() => {});
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    const abort = () => resolve(ABORTED);
    signal.addEventListener("abort", abort, { once: true });
    step.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", abort);
        reject(error);
      },
    );
  });
}

function closeQuietly(iterator: AsyncIterator<ModelPart> | Iterator<ModelPart> | undefined): void {
  try {
    const result: unknown = iterator?.return?.();
    // Any thenable, not only this realm's promises: a model may hand out another realm's.
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      Promise.resolve(result).catch(() => {});
    }
  } catch {
    // The model's own cleanup failing is not the client's problem.
  }
}
