/**
 * Reading WebSocket messages: telling a W8 error envelope (`{ type: "error", status, error }`) apart
 * from a streaming event (which carries `sequence_number`, rule S4), and turning envelopes into the
 * typed errors users branch on.
 */

import {
  type ErrorDetails,
  PreviousResponseNotFoundError,
  WebSocketConnectionLimitError,
  WebSocketError,
} from "../errors.js";
import { isRecord } from "../internal/guards.js";
import { isTerminalEventType } from "../internal/terminal-events.js";

/** The W8 error envelope, as parsed. */
export interface WebSocketErrorEnvelope {
  type: "error";
  status: number;
  error: ErrorDetails & Record<string, unknown>;
}

/** What one incoming text message is, decided without trusting its shape. */
export type SocketMessage =
  | { kind: "envelope"; envelope: WebSocketErrorEnvelope }
  | { kind: "event"; type: string; terminal: boolean; value: Record<string, unknown> }
  | { kind: "malformed"; reason: string };

/**
 * A streaming `error` event (rule S8) has a `sequence_number` and is followed by `response.failed`;
 * a W8 envelope has a `status` and no sequence number, and ends the turn on its own.
 */
export function classifyMessage(text: string): SocketMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "malformed", reason: "message is not JSON" };
  }
  if (!isRecord(value) || typeof value.type !== "string") {
    return { kind: "malformed", reason: "message has no string `type`" };
  }
  if (value.type === "error" && typeof value.sequence_number !== "number") {
    const error = isRecord(value.error) ? value.error : {};
    const message = typeof error.message === "string" ? error.message : "WebSocket error";
    return {
      kind: "envelope",
      envelope: {
        type: "error",
        status: typeof value.status === "number" ? value.status : 500,
        error: {
          ...error,
          message,
          code: typeof error.code === "string" ? error.code : null,
          type: typeof error.type === "string" ? error.type : null,
          param: typeof error.param === "string" ? error.param : null,
        },
      },
    };
  }
  return { kind: "event", type: value.type, terminal: isTerminalEventType(value.type), value };
}

/** Maps a W8 envelope to its class: the two codes clients must handle get their own (rule W8). */
export function envelopeToError(envelope: WebSocketErrorEnvelope, requestId?: string | null): WebSocketError {
  const init = {
    status: envelope.status,
    error: envelope.error,
    body: envelope,
    requestId: requestId ?? null,
  };
  const message = `${envelope.status} ${envelope.error.message}`;
  switch (envelope.error.code) {
    case "previous_response_not_found":
      return new PreviousResponseNotFoundError(message, init);
    case "websocket_connection_limit_reached":
      return new WebSocketConnectionLimitError(message, init);
    default:
      return new WebSocketError(message, init);
  }
}
