/**
 * What `responses.stream()` returns: the HTTP request is already on its way, and the value can be used
 * either way a caller expects —
 *   `const stream = await client.responses.stream(body)` (the full `ResponseStream`), or directly
 *   `for await (const event of client.responses.stream(body))`, `.textDeltas()`, `.finalResponse()`,
 *   `.abort()`: every method of `ResponseStream` (test/client/types.test-d.ts holds it to that). The
 *   state getters (`snapshot`, `text`, ...) exist once the stream does, so they need the `await`.
 */

import type { WithResponse } from "../core/api-promise.js";
import { APIUserAbortError, OpenResponsesError } from "../errors.js";
import type { ResponseWithOutputText } from "../spec/index.js";
import type {
  ResponseStream,
  ResponseStreamEvent,
  ResponseStreamEventName,
  ResponseStreamListener,
} from "../streaming/index.js";

type AnyListener = (argument?: unknown) => void;

/**
 * What `client.responses.stream()` returns at once: every method of `ResponseStream` works on it without
 * `await`; `await` it for the `ResponseStream` itself (with `snapshot`, `text`, `response`...).
 *
 * @example
 * ```ts
 * const stream = client.responses.stream({ model: "my-model", input: "Hi" });
 * stream.on("response.output_text.delta", (event) => process.stdout.write(event.delta));
 * const response = await stream.finalResponse();
 * ```
 */
export class PendingResponseStream
  implements PromiseLike<ResponseStream>, AsyncIterable<ResponseStreamEvent>
{
  readonly [Symbol.toStringTag] = "PendingResponseStream";
  readonly #stream: Promise<ResponseStream>;
  #opened: ResponseStream | undefined;
  // Listeners added before the stream opened; handed to it when it does, or told of the failure.
  readonly #waiting: Array<{ type: string; listener: AnyListener; once: boolean }> = [];
  #openFailure: Error | undefined;
  readonly #result: Promise<WithResponse<ResponseStream>>;
  readonly #abortRequest: (reason?: unknown) => void;

  constructor(result: Promise<WithResponse<ResponseStream>>, abortRequest: (reason?: unknown) => void) {
    this.#result = result;
    this.#abortRequest = abortRequest;
    this.#stream = result.then((r) => r.data);
    this.#stream.then(
      (stream) => {
        this.#opened = stream;
        for (const { type, listener, once } of this.#waiting.splice(0)) attach(stream, type, listener, once);
      },
      (error: unknown) => {
        // The request failed before any stream existed (a connection error, an HTTP error, an abort):
        // its `error` (or `abort`) and `end` listeners still hear about it.
        this.#openFailure = error instanceof Error ? error : new OpenResponsesError(String(error));
        this.#tellFailure();
      },
    );
  }

  /** The stream, the HTTP `Response` and the request id (`requestId`, and `request_id` as in `openai`). */
  withResponse(): Promise<WithResponse<ResponseStream>> {
    return this.#result;
  }

  // biome-ignore lint/suspicious/noThenProperty: this class is a promise on purpose.
  then<R1 = ResponseStream, R2 = never>(
    onfulfilled?: ((value: ResponseStream) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#stream.then(onfulfilled, onrejected);
  }

  catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<ResponseStream | R> {
    return this.#stream.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<ResponseStream> {
    return this.#stream.finally(onfinally);
  }

  /** Iterates the events; `break` cancels the HTTP request. */
  async *[Symbol.asyncIterator](): AsyncIterator<ResponseStreamEvent> {
    const stream = await this.#stream;
    yield* stream;
  }

  /**
   * The `output_text` deltas as they arrive (see `ResponseStream.textDeltas`); throws the stream's
   * failure after the last one.
   *
   * @example
   * ```ts
   * for await (const delta of client.responses.stream({ model: "m", input: "Hi" }).textDeltas()) {
   *   process.stdout.write(delta);
   * }
   * ```
   */
  async *textDeltas(): AsyncGenerator<string, void, undefined> {
    const stream = await this.#stream;
    yield* stream.textDeltas();
  }

  /**
   * The events as SSE bytes, ending in `data: [DONE]` (see `ResponseStream.toReadableStream`). A request
   * that fails before the stream opens errors the byte stream with that failure.
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const open = async () => {
      reader ??= (await this.#stream).toReadableStream().getReader();
      return reader;
    };
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const next = await (await open()).read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel: async (reason) => {
        if (reader) await reader.cancel(reason);
        else this.abort(reason);
      },
    });
  }

  /** Consumes the stream and resolves to the reconciled final response (see `ResponseStream`). */
  async finalResponse(): Promise<ResponseWithOutputText> {
    return (await this.#stream).finalResponse();
  }

  /** Resolves when the stream has ended successfully; rejects with its failure (see `ResponseStream.done`). */
  async done(): Promise<void> {
    await (await this.#stream).done();
  }

  /**
   * Adds a listener (typed by name, as `ResponseStream.on`). Listeners added before the first event is
   * read see every event; `error`/`abort` and `end` also fire when the request fails before a stream
   * exists (a connection error, an HTTP error status).
   */
  on<T extends ResponseStreamEventName>(type: T, listener: ResponseStreamListener<T>): this {
    return this.#add(type, listener as AnyListener, false);
  }

  /** As `.on()`, for the first time only. */
  once<T extends ResponseStreamEventName>(type: T, listener: ResponseStreamListener<T>): this {
    return this.#add(type, listener as AnyListener, true);
  }

  /** Removes a listener added with `.on()` or `.once()`. */
  off<T extends ResponseStreamEventName>(type: T, listener: ResponseStreamListener<T>): this {
    const index = this.#waiting.findIndex((entry) => entry.type === type && entry.listener === listener);
    if (index >= 0) this.#waiting.splice(index, 1);
    this.#opened?.off(type, listener);
    return this;
  }

  /** The final response's `output_text`. */
  async finalText(): Promise<string> {
    return (await this.#stream).finalText();
  }

  /** Cancels the request, whether or not the response headers have arrived yet. */
  abort(reason?: unknown): void {
    this.#abortRequest(reason);
  }

  #add(type: string, listener: AnyListener, once: boolean): this {
    if (this.#opened) attach(this.#opened, type, listener, once);
    else {
      this.#waiting.push({ type, listener, once });
      if (this.#openFailure) queueMicrotask(() => this.#tellFailure());
    }
    return this;
  }

  #tellFailure(): void {
    const failure = this.#openFailure;
    if (!failure) return;
    const entries = this.#waiting.splice(0);
    const failureType = failure instanceof APIUserAbortError ? "abort" : "error";
    for (const type of [failureType, "end"]) {
      for (const entry of entries) {
        if (entry.type !== type) continue;
        try {
          entry.listener(type === "end" ? undefined : failure);
        } catch {
          // As on a stream: a lifecycle listener cannot fail what has already failed.
        }
      }
    }
  }
}

function attach(stream: ResponseStream, type: string, listener: AnyListener, once: boolean): void {
  stream[once ? "once" : "on"](
    type as ResponseStreamEventName,
    listener as ResponseStreamListener<ResponseStreamEventName>,
  );
}
