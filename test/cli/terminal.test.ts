/**
 * What the CLI does on a terminal, seen through a real pseudo-terminal (pty.ts): check's progress line
 * and colour, chat's Ctrl-C, commands, labels and line ends, and model text that cannot drive the
 * terminal. Spawned programs, each bounded in time.
 */

import { expect, it } from "vitest";
import { describeWith } from "../support/needs.js";
import { ERASE, ptyNeed, runInPty, SGR, startInPty } from "./pty.js";
import { cleanEnv } from "./spawn-cli.js";

/** readline's prompt as a terminal receives it: "> ", then the cursor put after it. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's cursor sequence is part of it
const PROMPT = /> (\u001b\[3G)?$/;
/** The dim SGR sequence, as a regular expression's source. */
const DIM = "\\u001b\\[2m";
const after = (text: string) => new RegExp(`${text}[^]*${PROMPT.source}`);

/** What is left on screen: progress lines erased, colour removed, CRLF as LF. */
function screen(output: string): string {
  return (
    output
      // biome-ignore lint/suspicious/noControlCharactersInRegex: a progress frame up to the next erase
      .replace(/\r\u001b\[2K[^\r\n]*(?=\r\u001b\[2K)/g, "")
      .replaceAll(ERASE, "")
      .replace(SGR, "")
      .replace(/\r\n/g, "\n")
  );
}

describeWith(ptyNeed(), "on a terminal (pseudo-terminal)", () => {
  it("check: the header first, a progress line for each scenario erased before its result, colour", async () => {
    const { code, output } = await runInPty(["check", "--only", "basic-response,streaming-response"]);
    expect(code).toBe(0);
    expect(output).toContain(`${ERASE}\u001b[2m  ⠋ [1/2] basic-response`);
    expect(output).toContain(`${ERASE}\u001b[2m  ⠋ [2/2] streaming-response`);
    expect(output).toContain("\u001b[32mPASS\u001b[39m  basic-response");
    const lines = screen(output).split("\n");
    expect(lines[0]).toBe("Checking the built-in model against Open Responses 2026-04-24");
    expect(lines[1]).toBe("  PASS  basic-response      http       a basic text response");
    expect(lines[2]).toBe("  PASS  streaming-response  http       a streaming response");
    expect(lines[4]).toMatch(/^2 scenarios: 2 passed, 0 failed, 0 with warnings, 0 skipped \(\d+ ms\)\.$/);
    expect(lines.at(-2)).toBe("Compliant: no MUST of the specification was broken.");
    expect(lines.at(-1)).toBe("");
  }, 60_000);

  it("check: NO_COLOR keeps the progress line and drops the colour; --json has neither", async () => {
    const [plain, json] = await Promise.all([
      runInPty(["check", "--only", "basic-response"], cleanEnv({ NO_COLOR: "1" })),
      runInPty(["check", "--json", "--only", "basic-response"]),
    ]);
    expect(plain.code).toBe(0);
    expect(plain.output).toContain(`${ERASE}  ⠋ [1/1] basic-response`);
    expect(plain.output.match(SGR)).toBeNull();
    expect(json.code).toBe(0);
    expect(json.output).not.toContain("\u001b");
    const report = JSON.parse(json.output.replace(/\r\n/g, "\n")) as { summary: { passed: number } };
    expect(report.summary.passed).toBe(1);
  }, 60_000);

  it("chat: Ctrl-C stops the answer and keeps the conversation; commands are not prompts; a second Ctrl-C leaves", async () => {
    const chat = startInPty(["chat", "--delay", "60"]);
    try {
      await chat.waitFor(PROMPT);
      expect(chat.output().startsWith("\u001b[2mTalking to the built-in model")).toBe(true);
      let mark = chat.output().length;
      chat.type("my name is Ada\r");
      await chat.waitFor(after("Nice to meet you, Ada!"), { from: mark });

      mark = chat.output().length;
      chat.type("/help\r");
      await chat.waitFor(after("/reset"), { from: mark });
      expect(chat.output().slice(mark)).not.toContain("You said");

      // About 70 parts 60 ms apart: 4 s if it were left to finish; stopped after its first words.
      mark = chat.output().length;
      chat.type("tell me about yourself\r");
      await chat.waitFor("built-in", { from: mark });
      const stoppedAt = Date.now();
      chat.type("\u0003");
      await chat.waitFor(after("\\(stopped"), { from: mark });
      expect(Date.now() - stoppedAt).toBeLessThan(3000);
      const stopped = chat.output().slice(mark);
      expect(stopped).not.toContain("json_schema format");
      // The answer's line is closed before the note: the note never continues the answer's line.
      expect(stopped).toMatch(new RegExp(`built-in[^\\n]*\\r\\n${DIM}\\(stopped`));

      mark = chat.output().length;
      chat.type("what is my name?\r");
      await chat.waitFor(after("Your name is Ada\\."), { from: mark });

      mark = chat.output().length;
      chat.type("/reset\r");
      await chat.waitFor(after("Conversation reset"), { from: mark });
      mark = chat.output().length;
      chat.type("what is my name?\r");
      await chat.waitFor(after("You haven't told me your name"), { from: mark });

      // Ctrl-C at an idle prompt says how to leave; the second one leaves, with the line closed.
      mark = chat.output().length;
      chat.type("\u0003");
      await chat.waitFor(after("To leave, press Ctrl-C again"), { from: mark });
      chat.type("\u0003");
      expect(await chat.exited).toBe(0);
      expect(chat.output()).toMatch(/\r\n$/);
    } finally {
      chat.kill();
    }
  }, 60_000);

  it("chat: Ctrl-D at the prompt leaves with exit 0 and the shell prompt on a line of its own", async () => {
    const chat = startInPty(["chat"]);
    try {
      await chat.waitFor(PROMPT);
      chat.type("\u0004");
      expect(await chat.exited).toBe(0);
      expect(chat.output()).toMatch(new RegExp(`${PROMPT.source.slice(0, -1)}\\r\\n$`));
    } finally {
      chat.kill();
    }
  }, 30_000);

  it("chat: the reasoning summary is labelled and dimmed, the answer is not; model text cannot drive the terminal", async () => {
    const osc52 = "\u001b]52;c;cm0gLXJmIH4=\u0007";
    const clear = "\u001b[2J";
    const { code, output } = await runInPty(["chat", "--reasoning", "low", `echo ${osc52}and${clear}`]);
    expect(code).toBe(0);
    expect(output).toContain("\u001b[2mreasoning: \u001b[22m");
    // The echoed answer shows the sequences as text, undimmed, and the terminal never gets them.
    expect(output).toContain("\\x1b]52;c;cm0gLXJmIH4=\\x07and\\x1b[2J\r\n");
    expect(output).not.toContain("\u001b]52");
    expect(output).not.toContain(clear);
    expect(output).toMatch(/\r\n$/);
  }, 30_000);
});
