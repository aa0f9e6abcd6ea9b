/**
 * `APIPromise<T>`: awaits to the parsed value like a plain promise, and also gives access to the raw
 * HTTP answer through `.withResponse()` / `.asResponse()`, as in the `openai` SDK.
 */

import { loadOnDemand } from "./load-on-demand.js";

export interface WithResponse<T> {
  data: T;
  /** The HTTP response (status, headers, url). Its body belongs to `data`: read it through `asResponse()`. */
  response: Response;
  requestId: string | null;
  /** The same id under the `openai` SDK's name. */
  request_id: string | null;
}

/**
 * What a request method hands to `APIPromise` once the server accepted the request: the value is made
 * on demand, so `asResponse()` can still give the body unread.
 */
export interface AcceptedAnswer<T> {
  response: Response;
  requestId: string | null;
  /** Builds the value (parses the JSON, opens the stream). Called at most once. */
  read: () => T | Promise<T>;
  /** A `Response` whose body nobody has read (status, headers and url of the original). */
  unread: () => Response | Promise<Response>;
}

/**
 * What a request method returns: a promise of the result that can also give the HTTP response
 * (`withResponse()`, `asResponse()`), as the `openai` SDK's `APIPromise` does.
 *
 * @example
 * ```ts
 * const { data, response, request_id } = await client.responses.create({ model: "m", input: "x" }).withResponse();
 * ```
 */
export class APIPromise<T> implements PromiseLike<T> {
  readonly [Symbol.toStringTag] = "APIPromise";
  #parsed: Promise<T> | undefined;
  #withParsed: Promise<WithResponse<T>> | undefined;

  readonly #answer: Promise<AcceptedAnswer<T>>;

  /** @internal The client's methods build it. */
  constructor(answer: Promise<AcceptedAnswer<T>>) {
    this.#answer = answer;
    // Errors surface through whichever method the caller uses.
    answer.catch(() => undefined);
  }

  /** The value together with the `Response` and the request id. */
  withResponse(): Promise<WithResponse<T>> {
    this.#withParsed ??= this.#answer.then(async (answer) => withResponseOf(await this.#value(), answer));
    return this.#withParsed;
  }

  /**
   * The raw `Response` with its body unread (read it with `.json()`, `.text()` or `.body`). For a stream,
   * this takes the body instead of the `ResponseStream`: use one or the other.
   */
  asResponse(): Promise<Response> {
    return this.#answer.then((answer) => answer.unread());
  }

  // The value is built on first use, so `.asResponse()` alone never opens a stream nor leaves an
  // unobserved rejection behind.
  #value(): Promise<T> {
    this.#parsed ??= this.#answer.then((answer) => answer.read());
    return this.#parsed;
  }

  // biome-ignore lint/suspicious/noThenProperty: this class is a promise on purpose.
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#value().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#value().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#value().finally(onfinally);
  }
}

/** `data` with the answer's `Response` and request id (also as `request_id`): what `withResponse()` gives. */
export function withResponseOf<T>(
  data: T,
  { response, requestId }: { response: Response; requestId: string | null },
): WithResponse<T> {
  return { data, response, requestId, request_id: requestId };
}

/**
 * A JSON answer: its value is already parsed; `asResponse()` gets the same bytes as a fresh body, made by
 * `unread-body.ts` (loaded when first asked for).
 */
export function jsonAnswer<T>(
  r: { response: Response; requestId: string | null; text: string },
  data: T,
): AcceptedAnswer<T> {
  return {
    response: r.response,
    requestId: r.requestId,
    read: () => data,
    unread: async () => (await loadOnDemand("asResponse()")).unreadCopy(r.response, r.text),
  };
}
