import { describe, expect, it } from "vitest";
import {
  MAX_REDACT_DEPTH,
  redactDeep,
  redactError,
  redactSecrets,
  registerSecret,
} from "../../src/internal/redact.js";
import { isSecretHeaderName } from "../../src/internal/secret-headers.js";

describe("isSecretHeaderName: the one list of credential headers", () => {
  it("knows the standard names in any case, and names that contain a credential word", () => {
    for (const name of [
      "Authorization",
      "proxy-authorization",
      "Cookie",
      "set-cookie",
      "x-api-key",
      "api-key",
    ]) {
      expect(isSecretHeaderName(name)).toBe(true);
    }
    for (const name of ["x-goog-api-key", "x-auth-token", "x-client-secret", "x-signature"]) {
      expect(isSecretHeaderName(name)).toBe(true);
    }
  });
  it("leaves ordinary headers alone", () => {
    for (const name of ["content-type", "accept", "x-request-id", "openai-organization"]) {
      expect(isSecretHeaderName(name)).toBe(false);
    }
  });
});

describe("redactSecrets", () => {
  it("scrubs key-shaped strings and bearer tokens, keeping the scheme", () => {
    expect(redactSecrets("key sk-abcdefghijkl and Bearer abcd1234efgh")).toBe(
      "key [redacted] and Bearer [redacted]",
    );
  });
  it("scrubs a registered secret that does not look like a key; ignores one too short to be a key", () => {
    registerSecret("plain-gateway-value-77");
    registerSecret("abc");
    expect(redactSecrets("sent plain-gateway-value-77 twice: plain-gateway-value-77")).toBe(
      "sent [redacted] twice: [redacted]",
    );
    expect(redactSecrets("abc")).toBe("abc");
  });
});

describe("redactError", () => {
  it("copies message, stack, code and (a few levels of) cause, redacted", () => {
    const inner = Object.assign(new Error("inner sk-abcdefghijkl"), { code: "EINNER" });
    const outer = new Error("outer Bearer abcdefghijkl", { cause: inner });
    const copy = redactError(outer) as Error & { cause: Error & { code: string } };
    expect(copy).not.toBe(outer);
    expect(copy.message).toBe("outer Bearer [redacted]");
    expect(copy.stack).not.toContain("abcdefghijkl");
    expect(copy.cause.message).toBe("inner [redacted]");
    expect(copy.cause.code).toBe("EINNER");
  });
  it("passes non-errors through, redacting strings", () => {
    expect(redactError(42)).toBe(42);
    expect(redactError("sk-abcdefghijkl")).toBe("[redacted]");
  });
});

describe("redactDeep: the one deep redactor", () => {
  it("returns the same object when there is nothing to redact (copy on write)", () => {
    const value = { a: [1, { b: "plain" }], c: null };
    expect(redactDeep(value)).toBe(value);
  });
  it("copies only what changes and never touches the input", () => {
    const value = { keep: { x: 1 }, list: ["ok", "sk-abcdefghijkl"] };
    const out = redactDeep(value) as typeof value;
    expect(out).not.toBe(value);
    expect(out.keep).toBe(value.keep);
    expect(out.list).toEqual(["ok", "[redacted]"]);
    expect(value.list[1]).toBe("sk-abcdefghijkl");
  });
  it("keeps a __proto__ key as an own data property, never as a prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": "sk-abcdefghijkl"}}') as Record<string, unknown>;
    const out = redactDeep(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
  });
  it("copies the keys before the first change as they were, __proto__ included, in order, as plain data", () => {
    const value = JSON.parse('{"a": 1, "__proto__": {"x": 2}, "b": "sk-abcdefghijkl", "c": 3}') as Record<
      string,
      unknown
    >;
    const out = redactDeep(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["a", "__proto__", "b", "c"]);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")).toEqual({
      value: Object.getOwnPropertyDescriptor(value, "__proto__")?.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expect(out.b).toBe("[redacted]");
    expect(out.c).toBe(3);
  });
  it(`cuts nesting deeper than ${MAX_REDACT_DEPTH} levels`, () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < MAX_REDACT_DEPTH + 5; i++) deep = [deep];
    let out = redactDeep(deep);
    for (let i = 0; i < MAX_REDACT_DEPTH; i++) out = (out as unknown[])[0];
    expect(out).toBe("[nested too deep]");
  });
  it("cuts a cycle where it closes instead of hanging", () => {
    const value: Record<string, unknown> = { token: "Bearer abcdefghijkl" };
    value.self = value;
    const out = redactDeep(value) as Record<string, unknown>;
    expect(out.token).toBe("Bearer [redacted]");
    expect(out.self).toBe("[circular]");
  });
  it("masks fields named like secret headers only when asked", () => {
    const value = { authorization: "opaque", "X-Api-Key": "k", note: "fine" };
    expect(redactDeep(value)).toBe(value);
    expect(redactDeep(value, { maskSecretKeys: true })).toEqual({
      authorization: "[redacted]",
      "X-Api-Key": "[redacted]",
      note: "fine",
    });
  });
  it("redacts errors inside a value", () => {
    const out = redactDeep({ cause: new Error("sk-abcdefghijkl") }) as { cause: Error };
    expect(out.cause.message).toBe("[redacted]");
  });
});
