/**
 * The handler as the client's `fetch`: the client then talks to a model (a bridge to any provider,
 * the built-in model) in the same process, with no server and no socket. The client calls
 * `fetch(url, init)` while a handler takes a `Request`; this is the adapter between the two.
 */

/** What the client's `fetch` option takes (a structural copy: the server entry does not import the client). */
export type InProcessFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A `fetch` for the client that calls `handler` directly: the client and the model share one process.
 *
 * @example
 * import { OpenResponses } from "openresponses";
 * import { chatCompletionsModel, createResponsesHandler, inProcessFetch } from "openresponses/server";
 * const handler = createResponsesHandler({ model: chatCompletionsModel({ baseURL: "http://127.0.0.1:11434/v1" }) });
 * const client = new OpenResponses({ baseURL: "http://in-process/v1", apiKey: "unused", fetch: inProcessFetch(handler) });
 */
export function inProcessFetch(handler: (request: Request) => Promise<Response>): InProcessFetch {
  return (url, init) => handler(new Request(url, init));
}
