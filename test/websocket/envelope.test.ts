/** Telling W8 envelopes from S8 error events, and mapping envelopes to typed errors. */

import { describe, expect, it } from "vitest";
import {
  APIError,
  PreviousResponseNotFoundError,
  WebSocketConnectionLimitError,
  WebSocketError,
} from "../../src/errors.js";
import { classifyMessage, envelopeToError } from "../../src/websocket/envelope.js";

describe("classifyMessage", () => {
  it("W8: an error without sequence_number is an envelope; S8: with one it is a stream event", () => {
    const envelope = classifyMessage(
      JSON.stringify({
        type: "error",
        status: 429,
        error: { code: "rate_limited", message: "slow down", param: null },
      }),
    );
    expect(envelope).toMatchObject({
      kind: "envelope",
      envelope: { status: 429, error: { code: "rate_limited" } },
    });
    const event = classifyMessage(
      JSON.stringify({
        type: "error",
        sequence_number: 4,
        error: { type: "model_error", code: "x", message: "m" },
      }),
    );
    expect(event).toMatchObject({ kind: "event", type: "error", terminal: false });
  });

  it("S5: terminal events are recognised; bad JSON and missing types are malformed", () => {
    expect(classifyMessage('{"type":"response.incomplete","sequence_number":9}')).toMatchObject({
      terminal: true,
    });
    expect(classifyMessage("not json")).toMatchObject({ kind: "malformed" });
    expect(classifyMessage('{"no":"type"}')).toMatchObject({ kind: "malformed" });
  });

  it("an envelope without a status or message still becomes a usable error", () => {
    const message = classifyMessage('{"type":"error","error":{}}');
    expect(message).toMatchObject({
      kind: "envelope",
      envelope: { status: 500, error: { message: "WebSocket error" } },
    });
  });
});

describe("envelopeToError", () => {
  it("W8: the two codes clients must handle have their own classes; all are APIErrors with the fields", () => {
    const make = (code: string) =>
      envelopeToError({
        type: "error",
        status: 400,
        error: { code, message: `about ${code}`, param: "p", type: "t" },
      });
    const notFound = make("previous_response_not_found");
    const limit = make("websocket_connection_limit_reached");
    const other = make("something_else");
    expect(notFound).toBeInstanceOf(PreviousResponseNotFoundError);
    expect(limit).toBeInstanceOf(WebSocketConnectionLimitError);
    expect(other).toBeInstanceOf(WebSocketError);
    expect(other).toBeInstanceOf(APIError);
    expect(other).toMatchObject({ status: 400, code: "something_else", param: "p", type: "t" });
  });

  it("never carries a key into the message", () => {
    const error = envelopeToError({
      type: "error",
      status: 401,
      error: { code: "invalid_api_key", message: "Incorrect key sk-abcdefghijklmnop1234 provided" },
    });
    expect(error.message).not.toContain("sk-abcdefghijklmnop1234");
  });
});
