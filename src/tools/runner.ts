/**
 * `ToolRunStream`, what `client.responses.runTools()` returns: a run of the tool-calling loop, iterated
 * for its events or awaited for its result. The loop (`run-loop.ts`) is imported (through
 * `src/on-demand.ts`) when the run starts, so `runTools` costs a bundle little until it is used.
 */

import { APIUserAbortError, OpenResponsesError } from "../errors.js";
import type { ResponseWithOutputText } from "../spec/index.js";
import type { RunToolsBody, RunToolsOptions, ToolRunEvent, ToolRunHost, ToolRunResult } from "./run-types.js";

/**
 * A run in progress. Iterate it for `{ type: "event", turn, event }` (every streaming event of every
 * turn) and `{ type: "tool_output", ... }` items, or await `finalResult()` / `finalResponse()`.
 * Read once, like a `ResponseStream`; leaving a `for await` loop early aborts the run.
 */
export class ToolRunStream implements AsyncIterable<ToolRunEvent> {
  readonly #controller = new AbortController();
  readonly #generator: AsyncGenerator<ToolRunEvent, ToolRunResult>;
  readonly #completion: Promise<ToolRunResult>;
  /** Settles the run's result (the first call wins); `undefined` once it has. */
  #settle: ((ok: boolean, value: unknown) => void) | undefined;
  #consumed = false;

  /** @internal `client.responses.runTools()` builds it. */
  constructor(host: ToolRunHost, body: RunToolsBody, options: RunToolsOptions = {}) {
    this.#completion = new Promise<ToolRunResult>((resolve, reject) => {
      this.#settle = (ok, value) => {
        this.#settle = undefined;
        if (ok) resolve(value as ToolRunResult);
        else reject(value);
      };
    });
    // Nobody may ever ask for the result of a run that is only iterated; its failure still reaches
    // the iterating loop, so this only keeps Node from reporting it as unhandled.
    this.#completion.catch(() => undefined);
    const signal = options.signal ?? undefined;
    if (signal) {
      const forward = () => this.#controller.abort(signal.reason);
      if (signal.aborted) forward();
      else {
        signal.addEventListener("abort", forward, { once: true });
        // Drop the listener when the run ends, so a long-lived signal does not collect them.
        const drop = () => signal.removeEventListener("abort", forward);
        this.#completion.then(drop, drop);
      }
    }
    this.#generator = lazyLoop(host, body, options, this.#controller.signal);
  }

  /** Iterates every event of every turn, and the tool outputs between turns. */
  [Symbol.asyncIterator](): AsyncIterator<ToolRunEvent> {
    if (this.#consumed) {
      throw new OpenResponsesError(
        "This ToolRunStream is already being consumed; iterate it or call finalResult(), not both.",
      );
    }
    this.#consumed = true;
    return this.#events();
  }

  /** Resolves when the run ends: the final response, every turn's response, the items, the calls. */
  finalResult(): Promise<ToolRunResult> {
    if (!this.#consumed) {
      this.#consumed = true;
      // Drained for its result: a failure settles the result, which is where it is reported.
      (async () => {
        for await (const _ of this.#events());
      })().catch(() => undefined);
    }
    return this.#completion;
  }

  /** The final response (the one without function calls). */
  async finalResponse(): Promise<ResponseWithOutputText> {
    return (await this.finalResult()).response;
  }

  /** The final response's `output_text`. */
  async finalText(): Promise<string> {
    return (await this.finalResult()).outputText;
  }

  /** Stops the run: the current request is cancelled and the result rejects with `APIUserAbortError`. */
  abort(reason?: unknown): void {
    this.#controller.abort(reason ?? new APIUserAbortError("The tool run was aborted."));
  }

  async *#events(): AsyncGenerator<ToolRunEvent, void, undefined> {
    try {
      for (;;) {
        const next = await this.#generator.next();
        if (next.done) return this.#settle?.(true, next.value);
        yield next.value;
      }
    } catch (error) {
      // A failed run (a tool error with `throwOnToolError`, say) also stops the tools still running.
      this.#settle?.(false, error);
      this.#controller.abort(error);
      throw error;
    } finally {
      if (this.#settle) {
        // The loop was left early: stop the run, and let `finalResult()` say so.
        const error = new APIUserAbortError("The tool run's consumer stopped early.");
        this.#controller.abort(error);
        this.#settle(false, error);
        await this.#generator.return(undefined as never).catch(() => undefined);
      }
    }
  }
}

/** The loop, loaded on the first step of the run (the same moment its own code would first run). */
async function* lazyLoop(
  host: ToolRunHost,
  body: RunToolsBody,
  options: RunToolsOptions,
  signal: AbortSignal,
): AsyncGenerator<ToolRunEvent, ToolRunResult> {
  const { runLoop } = await import("../on-demand.js");
  return yield* runLoop(host, body, options, signal);
}
