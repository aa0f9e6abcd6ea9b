import { describe, expect, it } from "vitest";
import { terminalSafeJSON } from "../../src/cli/chat-printer.js";
import { classifyLine } from "../../src/cli/chat-repl.js";

describe("chat: what a line is", () => {
  it("commands, unknown commands, prompts and the // escape", () => {
    expect(classifyLine("/help")).toEqual({ kind: "command", command: "help" });
    expect(classifyLine("  /RESET  ")).toEqual({ kind: "command", command: "reset" });
    expect(classifyLine("/quit")).toEqual({ kind: "command", command: "exit" });
    expect(classifyLine("/frobnicate now")).toEqual({ kind: "unknown", name: "frobnicate" });
    expect(classifyLine("/etc/hosts is what?")).toEqual({ kind: "prompt", text: "/etc/hosts is what?" });
    expect(classifyLine("//help")).toEqual({ kind: "prompt", text: "/help" });
    expect(classifyLine("hello")).toEqual({ kind: "prompt", text: "hello" });
  });
});

describe("chat --json: lines that parse to the exact event and carry no raw control character", () => {
  it("escapes C1 controls and the Unicode line separators, which JSON allows raw", () => {
    const value = { delta: "a\u009b2J\u2028b\u001b[0m\u007f" };
    const line = terminalSafeJSON(value);
    expect(line).toBe('{"delta":"a\\u009b2J\\u2028b\\u001b[0m\\u007f"}');
    expect(JSON.parse(line)).toEqual(value);
  });
});
