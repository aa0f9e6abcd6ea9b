import { describe, expect, it } from "vitest";
import { colorEnabled, createStyle } from "../../src/cli/style.js";

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe("colour: on a terminal only, NO_COLOR and FORCE_COLOR respected", () => {
  it("a TTY gets colour, a pipe does not, TERM=dumb does not", () => {
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(tty, { TERM: "dumb" })).toBe(false);
  });

  it("NO_COLOR (non-empty) turns it off; an empty NO_COLOR does not", () => {
    expect(colorEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "" })).toBe(true);
  });

  it("FORCE_COLOR decides when set, as Node reads it", () => {
    for (const value of ["", "1", "2", "3", "true"])
      expect(colorEnabled(pipe, { FORCE_COLOR: value })).toBe(true);
    for (const value of ["0", "false"]) expect(colorEnabled(tty, { FORCE_COLOR: value })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
  });

  it("a disabled style returns text unchanged; an enabled one wraps and resets", () => {
    expect(createStyle(false).red("x")).toBe("x");
    expect(createStyle(true).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(createStyle(true).dim("")).toBe("");
  });
});
