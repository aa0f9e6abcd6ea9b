/** The W8 error envelope as the server sends it, and the failures WebSocket mode reports itself. */

import { redactSecrets } from "../../internal/redact.js";

export interface ErrorEnvelope {
  type: "error";
  status: number;
  error: { type: string; code: string; message: string; param: string | null };
}

export function errorEnvelope(
  status: number,
  code: string,
  message: string,
  options: { type?: string; param?: string | null } = {},
): ErrorEnvelope {
  return {
    type: "error",
    status,
    error: {
      type: options.type ?? (status >= 500 ? "server_error" : "invalid_request"),
      code,
      message: redactSecrets(message),
      param: options.param ?? null,
    },
  };
}

/**
 * Builds an envelope from whatever a kit call reported: a `KitError` value (`{ status, error }`), an
 * error object carrying `status`/`code`/`type`/`param`, or anything else (a 500).
 */
export function envelopeFrom(failure: unknown, fallbackStatus = 500): ErrorEnvelope {
  const record = typeof failure === "object" && failure !== null ? (failure as Record<string, unknown>) : {};
  const inner =
    typeof record.error === "object" && record.error !== null
      ? (record.error as Record<string, unknown>)
      : record;
  const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);
  const status = typeof record.status === "number" ? record.status : fallbackStatus;
  const message =
    text(inner.message) ?? (failure instanceof Error ? failure.message : undefined) ?? "The request failed.";
  return errorEnvelope(
    status,
    text(inner.code) ?? (status >= 500 ? "server_error" : "invalid_request"),
    message,
    {
      type: text(inner.type),
      param: text(inner.param) ?? null,
    },
  );
}
