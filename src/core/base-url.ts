/**
 * Base URL rule:
 * - a URL with a path (`https://host/v1`, `https://host/api/v1beta/openai`) is used exactly as given;
 * - a bare origin (`http://localhost:1234`, with or without a trailing slash) means `{origin}/v1`, the
 *   conventional base of every Open Responses server (rule H2).
 * A trailing slash is dropped either way, and a query string on the base (`?api-version=...`) is kept and
 * sent with every request.
 */

import { OpenResponsesError } from "../errors.js";
import { registerURLPassword } from "../internal/redact.js";

// Defined with the other defaults: the package's entry exports it, and code the lazily loaded module uses
// from a file the entry exports anything of is in every app's bundle (this file's `stripCredentials`).
export { DEFAULT_BASE_URL } from "./options.js";

export function normalizeBaseURL(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new OpenResponsesError(
      `Invalid baseURL ${JSON.stringify(stripCredentials(input))}: not an absolute URL.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OpenResponsesError(`Invalid baseURL: protocol ${url.protocol} is not http: or https:.`);
  }
  if (url.username || url.password) {
    // fetch refuses such URLs, and its error would quote the password: fail here, naming neither part.
    registerURLPassword(url.password);
    throw new OpenResponsesError(
      `Invalid baseURL ${JSON.stringify(stripCredentials(url.toString()))}: fetch does not send its user:password; ` +
        "pass the credential as `apiKey` or in `defaultHeaders`.",
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path === "" ? "/v1" : path;
  url.hash = "";
  return url.toString();
}

/** Joins the base and an endpoint path (`/responses`), keeping the base's query and adding `query`. */
export function buildURL(baseURL: string, path: string, query?: Record<string, string | undefined>): string {
  const url = new URL(baseURL);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
  }
  return url.toString();
}

/**
 * The URL as it may appear in an error or a log line: no user:password, no query (query strings are where
 * some gateways take their key), no fragment.
 */
export function stripCredentials(rawURL: string): string {
  try {
    const url = new URL(rawURL);
    url.username = "";
    url.password = "";
    url.search = "";
    url.hash = "";
    return url.toString();
  } catch {
    // Not parseable: keep only what precedes a query, and drop anything that looks like user info.
    return rawURL.split(/[?#]/)[0]!.replace(/\/\/[^/@]*@/, "//");
  }
}
