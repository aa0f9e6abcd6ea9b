/**
 * The default ids: a readable prefix and the 32 hex digits of a random version 4 UUID, drawn from a pool
 * of random bytes that is refilled every 256 ids.
 */

import { describe, expect, it } from "vitest";
import { randomHex, randomIds } from "../../../src/server/kit/ids.js";

const UUID_HEX = /^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/;

describe("random ids", () => {
  it("are the hex digits of a version 4 UUID, all different across refills of the pool", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const hex = randomHex();
      expect(hex).toMatch(UUID_HEX);
      seen.add(hex);
    }
    expect(seen.size).toBe(1000);
  });

  it("carry the prefix of their kind", () => {
    expect(randomIds("response")).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(randomIds("message")).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(randomIds("function_call")).toMatch(/^fc_[0-9a-f]{32}$/);
    expect(randomIds("reasoning")).toMatch(/^rs_[0-9a-f]{32}$/);
  });

  it("use every hex digit in every free position", () => {
    const digits = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const hex = randomHex();
      for (let at = 0; at < 32; at++) digits[at]!.add(hex[at]!);
    }
    for (let at = 0; at < 32; at++) {
      const expected = at === 12 ? 1 : at === 16 ? 4 : 16;
      expect(digits[at]!.size, `digit ${at}`).toBe(expected);
    }
  });
});
