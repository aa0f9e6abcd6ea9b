import { describe, expect, it } from "vitest";
import { isRecord, stringOrUndefined } from "../../src/internal/guards.js";
import { isTerminalEventType, TERMINAL_EVENT_TYPES } from "../../src/internal/terminal-events.js";

describe("isRecord", () => {
  it("accepts plain objects, including ones with no prototype", () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
  });
  it("refuses null, arrays and primitives", () => {
    for (const value of [null, undefined, [], [1], "x", 1, true]) expect(isRecord(value)).toBe(false);
  });
});

describe("stringOrUndefined", () => {
  it("keeps strings (the empty one too) and drops everything else", () => {
    expect(stringOrUndefined("")).toBe("");
    expect(stringOrUndefined("a")).toBe("a");
    expect(stringOrUndefined(1)).toBeUndefined();
    expect(stringOrUndefined(null)).toBeUndefined();
  });
});

describe("S5: terminal event types", () => {
  it("recognises exactly the three terminal events", () => {
    for (const type of TERMINAL_EVENT_TYPES) expect(isTerminalEventType(type)).toBe(true);
    for (const type of ["response.created", "response.in_progress", "error", "response.completed.x", ""]) {
      expect(isTerminalEventType(type)).toBe(false);
    }
  });
});
