/**
 * `responses.retrieve(id)`, `responses.delete(id)` and `responses.inputItems.list(id)`: the stored-response
 * endpoints that OpenAI-compatible servers also serve (extensions to the Open Responses specification,
 * which defines only `POST /responses` and `/responses/compact`). A server without them answers with an
 * `EndpointNotSupportedError` rather than a confusing 404.
 */

import { type AcceptedAnswer, APIPromise, jsonAnswer } from "../core/api-promise.js";
import { loadOnDemand } from "../core/load-on-demand.js";
import type { RequestOptions } from "../core/options.js";
import type { Transport } from "../core/transport.js";
import type { ItemField, ItemParam } from "../spec/index.js";
import { type RequestIdField, withRequestId } from "./output-text.js";

/** What `responses.delete(id)` resolves to. */
export interface ResponseDeleted extends RequestIdField {
  id: string;
  object: "response";
  deleted: boolean;
}

/** One item of a response's input, as listed by the server (every listed item has an `id`). */
export type InputItem = (ItemParam | ItemField) & { id: string };

export interface InputItemsListParams {
  /** The id of the item to list after (the `last_id` of the previous page). */
  after?: string;
  /** Items per page, 1–100 (the server's default is 20). */
  limit?: number;
  /** `"desc"` (newest first, OpenAI's default) or `"asc"`. */
  order?: "asc" | "desc";
}

/** The list object of `GET /responses/{id}/input_items`, as the server sends it. */
export interface InputItemsList {
  object: "list";
  data: InputItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** How a page fetches the page after it (the same list call, with `after` set). */
export type FetchInputItemsPage = (params: InputItemsListParams) => APIPromise<InputItemsPage>;

/**
 * One page of input items. It is async-iterable over every item from this page on (fetching the next
 * pages as needed), like the `openai` SDK's page objects; `iterPages()` goes page by page.
 */
export class InputItemsPage implements AsyncIterable<InputItem>, RequestIdField {
  // Declared, not defined: the constructor sets them (from the answer `stored-requests.ts` read, whose
  // `object` is always "list"), and a field list would only repeat their names in the bundle.
  declare readonly object: "list";
  declare readonly data: InputItem[];
  declare readonly first_id: string | null;
  declare readonly last_id: string | null;
  declare readonly has_more: boolean;
  declare readonly _request_id: string | null;
  readonly #params: InputItemsListParams;
  readonly #fetch: FetchInputItemsPage;

  /**
   * @internal `client.responses.inputItems.list()` builds it, from the list as `stored-requests.ts` read
   * it from the answer (`pageFields`: every field set).
   */
  constructor(
    list: InputItemsList,
    params: InputItemsListParams,
    fetch: FetchInputItemsPage,
    requestId: string | null,
  ) {
    Object.assign(this, list);
    this.#params = params;
    this.#fetch = fetch;
    withRequestId(this, requestId);
  }

  hasNextPage(): boolean {
    return this.has_more && this.last_id !== null && this.data.length > 0;
  }

  // A page exists once the list call's code (`stored-requests.ts`) has loaded, so what follows pages is
  // there too: loading it again here takes it from the module cache.

  /** The next page; throws when there is none (check `hasNextPage()` first). */
  async getNextPage(): Promise<InputItemsPage> {
    return (await loadOnDemand("inputItems.list")).nextPage(this, this.#params, this.#fetch);
  }

  /** This page, then each following page. */
  async *iterPages(): AsyncGenerator<InputItemsPage, void, undefined> {
    yield* (await loadOnDemand("inputItems.list")).pagesFrom(this);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<InputItem, void, undefined> {
    for await (const page of this.iterPages()) yield* page.data;
  }
}

/** Awaits to the first page; iterating it with `for await` goes over every item of every page. */
export class InputItemsPagePromise extends APIPromise<InputItemsPage> implements AsyncIterable<InputItem> {
  async *[Symbol.asyncIterator](): AsyncGenerator<InputItem, void, undefined> {
    yield* await this;
  }
}

/** `client.responses.inputItems`. */
export class InputItems {
  readonly #transport: Transport;

  /** @internal The client builds it: use `client.responses.inputItems`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** `GET {base}/responses/{id}/input_items`: the context the response was made from, page by page. */
  list(
    responseId: string,
    params: InputItemsListParams = {},
    options?: RequestOptions,
  ): InputItemsPagePromise {
    return storedCall(
      this.#transport,
      "inputItems.list",
      responseId,
      options,
      (list: InputItemsList, requestId) =>
        new InputItemsPage(
          list,
          params,
          (pageParams) => this.list(responseId, pageParams, options),
          requestId,
        ),
      InputItemsPagePromise,
      params,
    );
  }
}

/**
 * `{method} {base}/responses/{id}` (`/input_items` for `inputItems.list`), its answer made into the
 * method's value. The request itself, with the id checked and a missing endpoint recognised, is
 * `stored-requests.ts`, imported (through `src/on-demand.ts`) on the first call, so that a bundle that
 * never calls these endpoints does not carry it.
 */
export function storedCall<T, V, P extends APIPromise<V> = APIPromise<V>>(
  transport: Transport,
  name: "retrieve" | "delete" | "inputItems.list",
  id: string,
  options: RequestOptions | undefined,
  make: (data: T, requestId: string | null) => V,
  PromiseClass: new (answer: Promise<AcceptedAnswer<V>>) => P = APIPromise as never,
  params?: InputItemsListParams,
): P {
  const answer = loadOnDemand(name).then(async ({ requestStored }) => {
    const r = await requestStored<T>(transport, id, name, options, params);
    return jsonAnswer(r, make(r.data, r.requestId));
  });
  return new PromiseClass(answer);
}
