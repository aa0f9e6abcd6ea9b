/**
 * `APIPromise<T>`: awaits to the parsed value like a plain promise, and also gives access to the raw
 * HTTP answer through `.withResponse()` / `.asResponse()`, as in the `openai` SDK.
 */

export interface WithResponse<T> {
  data: T;
  /** The HTTP response. For JSON answers its body has already been read. */
  response: Response;
  requestId: string | null;
}

export class APIPromise<T> implements PromiseLike<T> {
  readonly [Symbol.toStringTag] = "APIPromise";
  private parsed: Promise<T> | undefined;

  constructor(private readonly result: Promise<WithResponse<T>>) {}

  /** The value together with the `Response` and the request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.result;
  }

  /** The raw `Response` (status, headers). */
  asResponse(): Promise<Response> {
    return this.result.then((r) => r.response);
  }

  // The derived promise is created on first use, so `.withResponse()` alone never leaves an unobserved
  // rejection behind.
  private value(): Promise<T> {
    this.parsed ??= this.result.then((r) => r.data);
    return this.parsed;
  }

  // biome-ignore lint/suspicious/noThenProperty: this class is a promise on purpose.
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.value().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.value().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.value().finally(onfinally);
  }
}
