/**
 * `ToolRunStream`, what `client.responses.runTools()` returns: a run of the tool-calling loop, iterated
 * for its events or awaited for its result. This class is what must answer synchronously; the loop
 * (`run-loop.ts`) and what drives it (`run-driver.ts`) are imported (through `src/on-demand.ts`) when
 * the run is made, so `runTools` costs a bundle little until it is used.
 */

import { loadOnDemand } from "../core/load-on-demand.js";
import { APIUserAbortError, OpenResponsesError } from "../errors.js";
import type { ResponseWithOutputText } from "../spec/index.js";
import type { ToolRunDriver } from "./run-driver.js";
import type { RunToolsBody, RunToolsOptions, ToolRunEvent, ToolRunHost, ToolRunResult } from "./run-types.js";

/**
 * A run in progress. Iterate it for `{ type: "event", turn, event }` (every streaming event of every
 * turn) and `{ type: "tool_output", ... }` items, or await `finalResult()` / `finalResponse()`.
 * Read once, like a `ResponseStream`; leaving a `for await` loop early aborts the run.
 */
export class ToolRunStream implements AsyncIterable<ToolRunEvent> {
  readonly #controller = new AbortController();
  readonly #driver: Promise<ToolRunDriver>;
  #result: Promise<ToolRunResult> | undefined;
  #consumed: boolean | undefined;

  /** @internal `client.responses.runTools()` builds it. */
  constructor(host: ToolRunHost, body: RunToolsBody, options: RunToolsOptions = {}) {
    const controller = this.#controller;
    this.#driver = loadOnDemand("runTools()").then(
      ({ ToolRunDriver }) => new ToolRunDriver(host, body, options, controller),
    );
    // A run nobody reads must not report a failed load as unhandled; its readers still get the failure.
    this.#driver.catch(() => undefined);
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
    const drain = !this.#consumed;
    this.#consumed = true;
    this.#result ??= this.#driver.then((driver) => driver.result(drain));
    return this.#result;
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
    yield* (await this.#driver).events();
  }
}
