/**
 * Turns any failure into the one line the CLI prints on stderr. Messages name the URL that could not
 * be reached and say when a key was refused, and never contain the key: every line goes through
 * `redactSecrets`, which also scrubs keys registered with `registerSecret`. A server's words are shown
 * inert (see terminal-text.ts): they cannot drive the terminal or break the line.
 */

import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  PermissionDeniedError,
  ResponseStreamError,
} from "../errors.js";
import { redactSecrets } from "../internal/redact.js";
import { inertText } from "./terminal-text.js";

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * `keyHint` is what a refused key's line tells the user to do (the client's key by default; `chat
 * --upstream` names the upstream's).
 */
export function describeError(
  error: unknown,
  baseURL: string | undefined,
  keyHint = "Set OPENRESPONSES_API_KEY or pass --api-key.",
): string {
  const where = (error instanceof APIConnectionError ? error.url : undefined) ?? baseURL ?? "the server";
  let line: string;
  if (error instanceof APIConnectionTimeoutError) {
    line = `The request to ${where} timed out.`;
  } else if (error instanceof APIConnectionError) {
    const code = causeCode(error);
    line =
      code === "ECONNREFUSED"
        ? `Could not connect to ${where}: connection refused. Is the server running?`
        : code === "ENOTFOUND"
          ? `Could not connect to ${where}: the host name was not found.`
          : error.message;
  } else if (error instanceof AuthenticationError) {
    line = `The server at ${where} refused the API key (401). ${keyHint}`;
  } else if (error instanceof PermissionDeniedError) {
    line = `The server at ${where} denied access (403): ${error.message}`;
  } else if (error instanceof APIError) {
    line = `The server at ${where} answered ${error.status ?? "an error"}${error.code ? ` (${error.code})` : ""}: ${withoutStatus(error)}`;
  } else if (error instanceof ResponseStreamError) {
    line = `The response stream failed (${error.kind}): ${error.message}`;
  } else if (error instanceof Error) {
    line = error.message;
  } else {
    line = String(error);
  }
  return inertText(redactSecrets(withoutUserInfo(line.replace(/\s*[\r\n]+\s*/g, " "))), "line");
}

/**
 * The client's messages start with the status (`404 Not Found (no body)`), which this line already
 * gives: "answered 404: Not Found (no body)", not "answered 404: 404 Not Found".
 */
function withoutStatus(error: APIError): string {
  const prefix = `${error.status} `;
  return error.status !== undefined && error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
}

/**
 * `https://user:password@host` carries a credential in the URL itself, and lower layers (fetch's own
 * messages, a base URL shown as given) may quote it; the line never shows user info.
 */
function withoutUserInfo(line: string): string {
  return line.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, "$1");
}
