import { describe, expect, it } from "vitest";
import { createLogger, redactValue } from "../../src/client/logger.js";
import { registerSecret } from "../../src/errors.js";
import { recordingLogger } from "./helpers.js";

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

  it("redactValue copies without touching the input and survives cycles", () => {
    const input: Record<string, unknown> = { authorization: "secret" };
    input.self = input;
    const out = redactValue(input) as Record<string, unknown>;
    expect(out.authorization).toBe("[redacted]");
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
