/**
 * Which request bodies the kit reads as JSON. A browser page on any origin may POST `text/plain`,
 * `multipart/form-data` or `application/x-www-form-urlencoded` without a CORS preflight (a "simple
 * request"), so accepting those would let any page a user visits run the model. Only JSON media types
 * are read: `application/json` (with any parameters, such as `charset=utf-8`) and the structured-syntax
 * suffix `application/*+json`. A request with no `Content-Type` at all is read only from a non-browser
 * client (raw sockets and scripts often omit it): a page can POST a `Blob` with no type and no preflight,
 * so from a browser (see `browser-policy.ts`) a missing type is refused like `text/plain`.
 */

import { fromBrowser } from "./browser-policy.js";
import { type KitError, kitError } from "./kit-error.js";

export function isJsonMediaType(header: string): boolean {
  if (header === "application/json") return true;
  const essence = (header.split(";", 1)[0] ?? "").trim().toLowerCase();
  if (essence === "application/json") return true;
  return essence.startsWith("application/") && essence.endsWith("+json") && !essence.includes(" ");
}

/** A 415 spec error for a body that is not declared as JSON, or null when the body may be read. */
export function unsupportedContentType(request: Request): KitError | null {
  return unsupportedMediaType(request.headers.get("content-type"), () => fromBrowser(request));
}

/**
 * The same check on the `Content-Type` header's value (null when absent); `browser` says whether a
 * browser page sent the request, asked only when there is no Content-Type.
 */
export function unsupportedMediaType(header: string | null, browser: () => boolean): KitError | null {
  if (header === null ? !browser() : isJsonMediaType(header)) return null;
  return kitError(
    415,
    "invalid_request",
    "The request body must be JSON: send it with `Content-Type: application/json`.",
    { param: null, code: "unsupported_media_type" },
  );
}
