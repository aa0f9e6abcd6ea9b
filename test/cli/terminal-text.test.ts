import { describe, expect, it } from "vitest";
import { inertText } from "../../src/cli/terminal-text.js";

/** True when the text holds a character a terminal would act on (ESC, BEL, CSI, a CR...). */
function hasControl(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
  return /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.test(text);
}

const ATTACKS: Record<string, string> = {
  "OSC 52 clipboard write": "\u001b]52;c;cm0gLXJmIH4K\u0007",
  "window title": "\u001b]0;owned\u001b\\",
  hyperlink: "\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\",
  "screen clear": "\u001b[2J\u001b[H",
  "CSI cursor move": "\u001b[10A",
  "8-bit CSI (C1)": "\u009b2J",
  "8-bit OSC (C1)": "\u009d0;title\u009c",
  bell: "\u0007",
  backspace: "ok\b\b\bno",
};

describe("inertText: text from a model or a server cannot drive the terminal", () => {
  for (const [name, sequence] of Object.entries(ATTACKS)) {
    it(`${name} is shown, not obeyed, in both modes`, () => {
      for (const mode of ["content", "line"] as const) {
        const shown = inertText(`before ${sequence} after`, mode);
        expect(hasControl(shown)).toBe(false);
        expect(shown).toMatch(/^before .* after$/);
      }
    });
  }

  it("shows ESC as \\x1b and C1 controls as \\u escapes of their code", () => {
    expect(inertText("\u001b[2J")).toBe("\\x1b[2J");
    expect(inertText("\u009b")).toBe("\\x9b");
    expect(inertText("\u007f")).toBe("\\x7f");
    expect(inertText("\u0000")).toBe("\\x00");
  });

  it("content: newlines and tabs stay, CRLF becomes LF, a lone CR cannot overwrite the line", () => {
    expect(inertText("one\n\ttwo\r\nthree", "content")).toBe("one\n\ttwo\nthree");
    expect(inertText("secret\rpublic", "content")).toBe("secretpublic");
  });

  it("line: a line break cannot forge another line, nor can a Unicode separator or a bidi override", () => {
    const forged = "ok\n  PASS  fake-scenario\r\u2028\u2029\u202etxt.exe";
    const shown = inertText(forged, "line");
    expect(shown).toBe("ok\\n  PASS  fake-scenario\\r\\u2028\\u2029\\u202etxt.exe");
    expect(shown.split(/[\n\r\u2028\u2029]/)).toHaveLength(1);
  });

  it("leaves ordinary text alone, including non-Latin scripts, emoji and quotes", () => {
    const text = 'Grüße, 你好, مرحبا, 🙂 "quoted" and a backslash \\ too';
    expect(inertText(text, "line")).toBe(text);
    expect(inertText(text, "content")).toBe(text);
  });
});
