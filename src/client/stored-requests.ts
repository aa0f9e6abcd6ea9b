/**
 * The request half of `retrieve`, `delete` and `inputItems.list`, imported on their first call: the id
 * checked as one path segment before anything is sent, and a server without the endpoint recognised
 * (an `EndpointNotSupportedError` rather than a confusing 404); and what follows a page of input items.
 *
 * What the values are made of (the page class, the JSON answer) stays with the shell
 * (`stored-responses.ts`): whatever code this module uses from the package's public files is in every
 * app's bundle, since any app can reach this module, while the shell's code is only in a client's.
 */

import type { RequestOptions } from "../core/options.js";
import type { JSONResult, Transport } from "../core/transport.js";
import {
  APIError,
  EndpointNotSupportedError,
  InvalidResponseIdError,
  OpenResponsesError,
} from "../errors.js";
import type {
  FetchInputItemsPage,
  InputItemsList,
  InputItemsListParams,
  InputItemsPage,
} from "./stored-responses.js";

/** `page.getNextPage()`: the page after `page`; throws when there is none. */
export function nextPage(
  page: InputItemsPage,
  params: InputItemsListParams,
  fetch: FetchInputItemsPage,
): Promise<InputItemsPage> {
  if (!page.hasNextPage() || page.last_id === null) {
    throw new OpenResponsesError("There is no next page: check hasNextPage() before getNextPage().");
  }
  return fetch({ ...params, after: page.last_id });
}

/** At most this many pages are followed by one iteration, so a server that always says `has_more` ends. */
const MAX_PAGES = 10_000;

/** `page.iterPages()`: `page`, then each following page. */
export async function* pagesFrom(page: InputItemsPage): AsyncGenerator<InputItemsPage, void, undefined> {
  const seen = new Set<string>();
  for (let count = 0; count < MAX_PAGES; count++) {
    yield page;
    if (!page.hasNextPage() || page.last_id === null || seen.has(page.last_id)) return;
    // A cursor seen before would loop forever: the server is not paginating, so stop.
    seen.add(page.last_id);
    page = await page.getNextPage();
  }
}

/**
 * `{method} {base}/responses/{id}` (with `/input_items` for `inputItems.list`), its JSON answer parsed;
 * `name` is the method of `client.responses` that asked. For `inputItems.list`, `params` go in the query
 * and the answer's `data` is the page's fields (`pageFields`).
 */
export async function requestStored<T>(
  transport: Transport,
  id: string,
  name: "retrieve" | "delete" | "inputItems.list",
  options: RequestOptions | undefined,
  params?: InputItemsListParams,
): Promise<JSONResult<T>> {
  const list = name === "inputItems.list";
  const method = name === "delete" ? "DELETE" : "GET";
  const suffix = list ? "/input_items" : "";
  const path = `/responses/${pathId(id, `responses.${name}`)}${suffix}`;
  if (params) {
    const query: Record<string, string | undefined> = {
      ...options?.query,
      after: params.after,
      limit: params.limit === undefined ? undefined : String(params.limit),
      order: params.order,
    };
    options = { ...options, query };
  }
  try {
    const r = await transport.requestJSON<T>({ method, path, options });
    if (list) return { ...r, data: pageFields(r.data as InputItemsList) as T };
    // A deletion answered without its object (an empty or non-object body) is still a deletion.
    if (name === "delete" && (typeof r.data !== "object" || r.data === null)) {
      return { ...r, data: { id, object: "response", deleted: true } as T };
    }
    return r;
  } catch (error) {
    throw unsupportedOr(error, `${method} /responses/{id}${suffix}`, id);
  }
}

/**
 * A page's fields from a list answer: `data` an array (empty when the server sent none), `first_id` and
 * `last_id` from the items when the server left them out, `has_more` only when it said `true`.
 */
function pageFields(list: Partial<InputItemsList>): InputItemsList {
  const data = Array.isArray(list.data) ? list.data : [];
  return {
    object: "list",
    data,
    first_id: list.first_id ?? data[0]?.id ?? null,
    last_id: list.last_id ?? data.at(-1)?.id ?? null,
    has_more: list.has_more === true,
  };
}

/**
 * A server that does not serve the endpoint answers 405 or 501, or a 404 that is about the path rather
 * than the response (it names neither the id nor `response_not_found`).
 */
function unsupportedOr(error: unknown, endpoint: string, id: string): unknown {
  if (!(error instanceof APIError)) return error;
  const status = error.status;
  const aboutTheResponse =
    error.code === "response_not_found" || error.param === "response_id" || error.message.includes(id);
  if (status === 405 || status === 501 || (status === 404 && !aboutTheResponse)) {
    return new EndpointNotSupportedError(endpoint, error);
  }
  return error;
}

/** True when `text` stays one path segment once in a URL: none of the characters that end or climb one. */
function isOneSegment(text: string): boolean {
  if (text === "" || text === "." || text === "..") return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // Control characters, "#" (35), "/" (47), "?" (63), a backslash (92) and DEL (127).
    if (code < 32 || code === 35 || code === 47 || code === 63 || code === 92 || code === 127) return false;
  }
  return true;
}

/**
 * The id as one path segment. An id that is not one (empty, `.`, `..`, holding `/`, `\\`, `?`, `#` or a
 * control character, also once percent-decoded, since some servers and proxies decode before routing)
 * would send the request, and the key, to another path (`retrieve("..")` is `GET /v1/`), so it is
 * refused before anything is sent. Any other id is percent-encoded.
 */
function pathId(id: string, method: string): string {
  if (typeof id !== "string" || id === "") {
    throw new InvalidResponseIdError(`${method}() needs a response id (a non-empty string).`, method);
  }
  let form = id;
  for (let round = 0; round < 4; round++) {
    if (!isOneSegment(form)) {
      throw new InvalidResponseIdError(
        `${method}(): ${JSON.stringify(id.slice(0, 80))} is not one path segment, so not a response id.`,
        method,
      );
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(form);
    } catch {
      break; // not valid percent-encoding: it is sent encoded as it is (`%` becomes `%25`)
    }
    if (decoded === form) break;
    form = decoded;
  }
  return encodeURIComponent(id);
}
