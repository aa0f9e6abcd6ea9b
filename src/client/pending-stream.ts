/**
 * What `responses.stream()` returns: the HTTP request is already on its way, and the value can be used
 * either way a caller expects —
 *   `const stream = await client.responses.stream(body)` (the full `ResponseStream`), or directly
 *   `for await (const event of client.responses.stream(body))`, `.finalResponse()`, `.abort()`.
 */

import type { ResponseWithOutputText, StreamingEventType } from "../spec/index.js";
import type { ResponseStream, ResponseStreamEvent, ResponseStreamListener } from "../streaming/index.js";
import type { WithResponse } from "./api-promise.js";

export class PendingResponseStream
  implements PromiseLike<ResponseStream>, AsyncIterable<ResponseStreamEvent>
{
  readonly [Symbol.toStringTag] = "PendingResponseStream";
  private readonly stream: Promise<ResponseStream>;

  constructor(
    private readonly result: Promise<WithResponse<ResponseStream>>,
    private readonly abortRequest: (reason?: unknown) => void,
  ) {
    this.stream = result.then((r) => r.data);
    // Errors surface through whichever method the caller uses; this only stops Node from reporting an
    // unhandled rejection for a stream nobody consumed.
    this.stream.catch(() => undefined);
  }

  /** The stream, the HTTP `Response` and the request id. */
  withResponse(): Promise<WithResponse<ResponseStream>> {
    return this.result;
  }

  // biome-ignore lint/suspicious/noThenProperty: this class is a promise on purpose.
  then<R1 = ResponseStream, R2 = never>(
    onfulfilled?: ((value: ResponseStream) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.stream.then(onfulfilled, onrejected);
  }

  catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<ResponseStream | R> {
    return this.stream.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<ResponseStream> {
    return this.stream.finally(onfinally);
  }

  /** Iterates the events; `break` cancels the HTTP request. */
  async *[Symbol.asyncIterator](): AsyncIterator<ResponseStreamEvent> {
    const stream = await this.stream;
    yield* stream;
  }

  /** Consumes the stream and resolves to the reconciled final response (see `ResponseStream`). */
  async finalResponse(): Promise<ResponseWithOutputText> {
    return (await this.stream).finalResponse();
  }

  /**
   * Adds a listener to the stream once it opens (typed by event name, as `ResponseStream.on`). Listeners
   * added before the first event is read see every event.
   */
  on<T extends StreamingEventType | "event" | (string & {})>(
    type: T,
    listener: ResponseStreamListener<T>,
  ): this {
    this.stream.then(
      (stream) => stream.on(type, listener),
      () => undefined,
    );
    return this;
  }

  /** The final response's `output_text`. */
  async finalText(): Promise<string> {
    return (await this.stream).finalText();
  }

  /** Cancels the request, whether or not the response headers have arrived yet. */
  abort(reason?: unknown): void {
    this.abortRequest(reason);
  }
}
