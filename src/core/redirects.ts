/**
 * Following a redirect answer (the transport fetches with `redirect: "manual"`): where the next hop goes
 * and with which headers, or the `RedirectError` that refuses it. Redirects are the exception, so the
 * transport's loop over them (`rare-answers.ts`) and this file are loaded (through `src/on-demand.ts`)
 * when the first one arrives: a bundle that never sees one does not load them.
 */

import { RedirectError } from "../errors.js";
import { isSecretHeaderName } from "../internal/secret-headers.js";
import { requestIdFrom } from "./answer-headers.js";
import { stripCredentials } from "./base-url.js";
import { discard } from "./body.js";
import { headersToRecord } from "./http-errors.js";
import type { Logger } from "./logger.js";

/** The most redirects followed for one request (as fetch does). */
const MAX_REDIRECTS = 20;

/** The request being redirected, as the transport sent it first. */
export interface RedirectedRequest {
  url: string;
  method: string;
  headers: Headers;
  /** Lower-case names of the headers never sent to another origin than `url`'s (besides credential-looking ones). */
  secretHeaders: ReadonlySet<string>;
  logger: Logger;
}

/** Where to send the request next, and with which headers. */
export interface Hop {
  target: string;
  headers: Headers;
}

/**
 * The hop after `response`, the answer to `target` after `hop` redirects, whose `Location` is `location`
 * (null for a browser's `opaqueredirect`, which hides it: there any redirect is an error). A hop to another
 * origin than the request's is sent without any secret header, and a hop back to it carries them again.
 * A redirect that would turn the method into a GET (301/302/303 on a POST, 303 on a DELETE) is a
 * `RedirectError`, never a silent GET whose answer would be taken as the result; so is one to a URL that is
 * not http(s), and the one past `MAX_REDIRECTS`.
 */
export async function followRedirect(
  response: Response,
  location: string | null,
  target: string,
  hop: number,
  request: RedirectedRequest,
): Promise<Hop> {
  const { method } = request;
  const { status } = response;
  if (location === null) {
    throw new RedirectError(
      `${method} ${stripCredentials(target)} was redirected, and this runtime (a browser) does not let the client see where to; set baseURL to the final address.`,
      { status, location: null },
    );
  }
  await discard(response);
  const next = resolveLocation(location, target);
  const shown = next === null ? location : stripCredentials(next);
  const error = (message: string) =>
    new RedirectError(message, {
      status,
      headers: headersToRecord(response.headers),
      requestId: requestIdFrom(response.headers),
      location: shown,
    });
  if (next === null) {
    throw error(`${status} redirect to ${JSON.stringify(shown)}, which is not an http(s) URL.`);
  }
  // What fetch would do to the method: 303 makes anything but GET a GET; 301/302 make a POST a GET.
  if (status === 303 ? method !== "GET" : status < 303 && method === "POST") {
    throw error(
      `${status} redirect to ${shown}: following it would turn the ${method} into a GET, so it is not followed; set baseURL to the final address (or have the server answer 307/308).`,
    );
  }
  if (hop >= MAX_REDIRECTS) throw error(`More than ${MAX_REDIRECTS} redirects; the last one to ${shown}.`);
  request.logger.debug(`${status} redirect of ${method} to ${shown}`);
  if (new URL(next).origin === new URL(request.url).origin) return { target: next, headers: request.headers };
  const withoutSecrets = new Headers();
  for (const [name, value] of request.headers) {
    if (!request.secretHeaders.has(name) && !isSecretHeaderName(name)) withoutSecrets.set(name, value);
  }
  return { target: next, headers: withoutSecrets };
}

/** The absolute http(s) URL a `Location` names, or null. */
function resolveLocation(location: string, base: string): string | null {
  try {
    const next = new URL(location, base);
    return /^https?:$/.test(next.protocol) ? next.href : null;
  } catch {
    return null;
  }
}
