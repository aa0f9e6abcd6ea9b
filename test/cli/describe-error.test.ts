import { describe, expect, it } from "vitest";
import { describeError } from "../../src/cli/describe-error.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  ResponseStreamError,
} from "../../src/errors.js";
import { registerSecret } from "../../src/internal/redact.js";

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });

describe("describeError: one line a user can act on", () => {
  it("connection refused names the URL", () => {
    const error = new APIConnectionError("Connection error.", {
      url: "http://127.0.0.1:9/v1/responses",
      cause: new Error("fetch failed", { cause: refused }),
    });
    expect(describeError(error, "http://127.0.0.1:9/v1")).toBe(
      "Could not connect to http://127.0.0.1:9/v1/responses: connection refused. Is the server running?",
    );
  });

  it("an unknown host, a timeout, a 401, a 403 and a 400 each say what happened", () => {
    const notFound = new APIConnectionError("x", {
      url: "http://nowhere.invalid/v1/responses",
      cause: Object.assign(new Error("getaddrinfo"), { code: "ENOTFOUND" }),
    });
    expect(describeError(notFound, undefined)).toContain("the host name was not found");
    expect(describeError(new APIConnectionTimeoutError("t", { url: "http://h/v1" }), undefined)).toBe(
      "The request to http://h/v1 timed out.",
    );
    expect(describeError(new AuthenticationError("Unauthorized", { status: 401 }), "http://h/v1")).toContain(
      "refused the API key (401)",
    );
    expect(describeError(new PermissionDeniedError("nope", { status: 403 }), "http://h/v1")).toContain(
      "(403)",
    );
    const bad = new BadRequestError("input must be a string", {
      status: 400,
      error: { message: "input must be a string", code: "invalid_type" },
    });
    expect(describeError(bad, "http://h/v1")).toBe(
      "The server at http://h/v1 answered 400 (invalid_type): input must be a string",
    );
  });

  it("a failed stream says so, on one line", () => {
    const error = new ResponseStreamError("The model failed\nmid-stream.", {
      kind: "response_failed",
      partialResponse: null,
    });
    expect(describeError(error, undefined)).toBe(
      "The response stream failed (response_failed): The model failed mid-stream.",
    );
  });

  it("never contains an API key, registered or key-shaped", () => {
    registerSecret("custom-gateway-token-42");
    const line = describeError(
      new Error("bad token custom-gateway-token-42 and sk-abcdefghijklmnop"),
      undefined,
    );
    expect(line).not.toContain("custom-gateway-token-42");
    expect(line).not.toContain("sk-abcdefghijklmnop");
    expect(line).toContain("[redacted]");
  });
});

describe("describeError: user info in URLs", () => {
  it("drops user:password@ from any URL in the line, and from the server it names", () => {
    const error = new APIConnectionError("could not reach https://bob:hunter2x@gw.example/v1/responses", {
      url: "https://gw.example/v1/responses",
    });
    const line = describeError(error, undefined);
    expect(line).not.toContain("hunter2x");
    expect(line).toContain("https://gw.example/v1/responses");
    const named = describeError(new BadRequestError("bad", { status: 400 }), "http://u:p4ssw0rd@h/v1");
    expect(named).not.toContain("p4ssw0rd");
    expect(named).toContain("http://h/v1");
  });
});

describe("describeError: the server's words", () => {
  it("does not repeat the status the client's message starts with", () => {
    const error = new NotFoundError("404 Not Found (no body)", {
      status: 404,
      error: { message: "x", code: "not_found" },
    });
    expect(describeError(error, "http://h/v1")).toBe(
      "The server at http://h/v1 answered 404 (not_found): Not Found (no body)",
    );
  });

  it("shows escape sequences and line breaks in a server's message inert, on one line", () => {
    const error = new BadRequestError("400 bad\u001b]52;c;aGk=\u0007\r\nPASS forged", { status: 400 });
    const line = describeError(error, "http://h/v1");
    expect(line).toBe("The server at http://h/v1 answered 400: bad\\x1b]52;c;aGk=\\x07 PASS forged");
  });
});
