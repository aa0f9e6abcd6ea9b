import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";
import { registerSecret } from "../../src/internal/redact.js";
import { recordingLogger } from "../client/helpers.js";

describe("leveled, redacting logger", () => {
  it("passes only messages at or above the level", () => {
    const { lines, logger } = recordingLogger();
    const log = createLogger("warn", logger);
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(lines.map((l) => l.level)).toEqual(["warn", "error"]);
    const off = recordingLogger();
    createLogger("off", off.logger).error("nothing");
    expect(off.lines).toEqual([]);
  });

  it("redacts registered secrets and key-shaped strings in messages and in objects", () => {
    registerSecret("plain-looking-secret-value");
    const { lines, logger } = recordingLogger();
    const log = createLogger("debug", logger);
    log.debug("token plain-looking-secret-value and sk-abcdefghijklmnop", {
      headers: {
        Authorization: "Bearer whatever-1234",
        "api-key": "k",
        "x-other": "plain-looking-secret-value",
      },
      nested: [{ note: "Bearer abcdefgh" }],
    });
    const text = lines[0]!.text;
    expect(text).toContain("[openresponses] token [redacted] and [redacted]");
    expect(text).not.toContain("plain-looking-secret-value");
    expect(text).not.toContain("whatever-1234");
    expect(text).not.toContain("abcdefgh");
    expect(text).not.toContain('"api-key":"k"');
  });

  it("logs a copy: the caller's object is untouched, and one that refers to itself is logged", () => {
    const input: Record<string, unknown> = { authorization: "secret" };
    input.self = input;
    const seen: unknown[] = [];
    const log = createLogger("debug", {
      error: () => undefined,
      warn: () => undefined,
      info: () => undefined,
      debug: (_message, ...rest) => seen.push(...rest),
    });
    log.debug("x", input);
    const out = seen[0] as Record<string, unknown>;
    expect(out.authorization).toBe("[redacted]");
    expect(out.self).toBe("[circular]");
    expect(input.authorization).toBe("secret");
  });

  it("a sink that throws never breaks the caller", () => {
    const log = createLogger("debug", {
      error: () => {
        throw new Error("sink down");
      },
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
    });
    expect(() => log.error("x")).not.toThrow();
  });
});
