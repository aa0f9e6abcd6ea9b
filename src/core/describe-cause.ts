/**
 * The low-level reason behind a failure, for the end of an error message: fetch hides it in `cause`
 * (`: connect ECONNREFUSED 127.0.0.1:9`), a module loader in its own message. Redacted, since a reason
 * can quote a URL or a header.
 */

import { redactSecrets } from "../internal/redact.js";

/** ` (connect ECONNREFUSED 127.0.0.1:9)`, or "" when the error gives no reason. */
export function describeCause(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(inner instanceof Error)) return "";
  const code = (inner as { code?: unknown }).code;
  const text = inner.message || (typeof code === "string" ? code : "");
  return text ? ` (${redactSecrets(text)})` : "";
}
