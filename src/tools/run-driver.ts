/**
 * What drives a `ToolRunStream` once its run starts: the loop's generator, the run's result (settled
 * once, by the loop's end or its failure) and the forwarding of the caller's signal. It is loaded with
 * the loop (through `src/on-demand.ts`), so the `ToolRunStream` every client carries is only the shell
 * that must answer synchronously (whether the run is already being read, `abort()`).
 */

import { APIUserAbortError } from "../errors.js";
import { runLoop } from "./run-loop.js";
import type { RunToolsBody, RunToolsOptions, ToolRunEvent, ToolRunHost, ToolRunResult } from "./run-types.js";

const ignore = (): undefined => undefined;

export class ToolRunDriver {
  /** The run's result; a failure rejects it (handled here, so a run that is only iterated reports none). */
  readonly completion: Promise<ToolRunResult>;
  readonly #controller: AbortController;
  readonly #generator: AsyncGenerator<ToolRunEvent, ToolRunResult>;
  /** Settles the run's result (the first call wins); `undefined` once it has. */
  #settle: ((ok: boolean, value: unknown) => void) | undefined;

  constructor(host: ToolRunHost, body: RunToolsBody, options: RunToolsOptions, controller: AbortController) {
    this.#controller = controller;
    this.completion = new Promise<ToolRunResult>((resolve, reject) => {
      this.#settle = (ok, value) => {
        this.#settle = undefined;
        if (ok) resolve(value as ToolRunResult);
        else reject(value);
      };
    });
    // Nobody may ever ask for the result of a run that is only iterated; its failure still reaches
    // the iterating loop, so this only keeps Node from reporting it as unhandled.
    this.completion.catch(ignore);
    const signal = options.signal ?? undefined;
    if (signal) {
      const forward = () => controller.abort(signal.reason);
      if (signal.aborted) forward();
      else {
        signal.addEventListener("abort", forward, { once: true });
        // Drop the listener when the run ends, so a long-lived signal does not collect them.
        const drop = () => signal.removeEventListener("abort", forward);
        this.completion.then(drop, drop);
      }
    }
    this.#generator = runLoop(host, body, options, controller.signal);
  }

  /**
   * The run's result (`finalResult()`); `drain`: nobody iterates the run, so it is run to the end here
   * for the result only (a failure settles the result, which is where it is reported).
   */
  result(drain: boolean): Promise<ToolRunResult> {
    if (drain) {
      (async () => {
        for await (const _ of this.events());
      })().catch(ignore);
    }
    return this.completion;
  }

  /** Every event of every turn, and the tool outputs between turns; read once. */
  async *events(): AsyncGenerator<ToolRunEvent, void, undefined> {
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
        await this.#generator.return(undefined as never).catch(ignore);
      }
    }
  }
}
