/**
 * `chat` without a prompt: a conversation, one turn per line typed at a terminal or piped to stdin.
 * Lines starting with `/` are commands, never prompts. At a terminal, Ctrl-C stops the answer being
 * streamed and keeps the conversation; a second Ctrl-C at the prompt (or Ctrl-D, or `/exit`) leaves.
 * Piped input is a script: the first failure, or SIGINT/SIGTERM, ends it.
 */

import { createInterface, type Interface } from "node:readline";
import { UsageError } from "./args.js";
import type { ChatPrinter } from "./chat-printer.js";
import type { ChatSession } from "./chat-session.js";
import { describeError } from "./describe-error.js";
import { type CliIO, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from "./io.js";
import { inertText } from "./terminal-text.js";

export const CHAT_COMMANDS_HELP = `Commands:
  /help    this list
  /reset   forget the conversation and start a new one
  /exit    leave (also /quit, Ctrl-D, or Ctrl-C twice at the prompt)
Ctrl-C while an answer streams stops that answer; the conversation goes on.
A line starting with // is sent with one slash (//etc/hosts sends /etc/hosts).`;

type Command = "help" | "reset" | "exit";

const COMMANDS: Readonly<Record<string, Command>> = {
  help: "help",
  "?": "help",
  reset: "reset",
  new: "reset",
  exit: "exit",
  quit: "exit",
};

/** What a line is: a command (known or not), or a prompt to send. */
export function classifyLine(
  line: string,
):
  | { kind: "command"; command: Command }
  | { kind: "unknown"; name: string }
  | { kind: "prompt"; text: string } {
  const text = line.trim();
  if (text.startsWith("//")) return { kind: "prompt", text: text.slice(1) };
  const match = /^\/([a-z]+|\?)(?:\s|$)/i.exec(text);
  if (!match?.[1]) return { kind: "prompt", text };
  const command = COMMANDS[match[1].toLowerCase()];
  return command ? { kind: "command", command } : { kind: "unknown", name: match[1] };
}

interface ReplState {
  /** The turn streaming now, to stop on Ctrl-C. */
  turn: AbortController | null;
  /** A Ctrl-C at the prompt now leaves (after a stopped answer, or a first Ctrl-C at an empty prompt). */
  armed: boolean;
  /** SIGINT/SIGTERM from outside: the whole chat stops. */
  killed: boolean;
}

/** Ctrl-C at a terminal (readline's SIGINT): stop the answer, clear the line, or leave. */
function onInterrupt(lines: Interface, state: ReplState, printer: ChatPrinter, io: CliIO): void {
  if (state.turn) {
    state.turn.abort();
    return;
  }
  if (lines.line !== "") {
    // Like a shell: Ctrl-C drops what was typed.
    lines.write(null, { ctrl: true, name: "e" });
    lines.write(null, { ctrl: true, name: "u" });
    state.armed = false;
    return;
  }
  if (state.armed) {
    lines.close();
    return;
  }
  state.armed = true;
  io.stdout.write("\n"); // the prompt's line is open
  printer.note("(To leave, press Ctrl-C again or Ctrl-D, or type /exit.)");
  lines.prompt();
}

export async function conversation(
  session: ChatSession,
  io: CliIO,
  printer: ChatPrinter,
  label: string,
  keyHint?: string,
): Promise<number> {
  const interactive = io.stdin.isTTY === true;
  const lines = createInterface({
    input: io.stdin,
    output: interactive ? io.stdout : undefined,
    terminal: interactive,
  });
  const state: ReplState = { turn: null, armed: false, killed: false };
  // SIGTERM, or SIGINT sent to the process (piped input, kill -INT): the chat stops, the turn with it.
  const stopListening = io.onStop(() => {
    state.killed = true;
    state.turn?.abort();
    lines.close();
  });
  if (interactive) {
    lines.on("SIGINT", () => onInterrupt(lines, state, printer, io));
    printer.note("Type /help for the commands; Ctrl-D or /exit leaves.");
    lines.setPrompt("> ");
    lines.prompt();
  }
  let exitCode = EXIT_OK;
  /** Lines acted on (prompts and commands): piped input with none is a usage mistake. */
  let handled = 0;
  let byCommand = false;
  try {
    for await (const raw of lines) {
      const line = classifyLine(raw);
      state.armed = false;
      if (line.kind !== "prompt" || line.text !== "") handled++;
      if (line.kind === "command") {
        if (line.command === "exit") {
          byCommand = true;
          break;
        }
        if (line.command === "help") printer.note(CHAT_COMMANDS_HELP);
        if (line.command === "reset") {
          session.reset();
          printer.note("(Conversation reset: the next turn starts a new one.)");
        }
      } else if (line.kind === "unknown") {
        printer.note(
          `Unknown command /${inertText(line.name)}: /help lists them (// sends a line that starts with /).`,
        );
      } else if (line.text !== "") {
        state.turn = new AbortController();
        try {
          await session.send(line.text, state.turn.signal);
        } catch (error) {
          if (state.killed) {
            exitCode = EXIT_INTERRUPTED;
            break;
          }
          if (state.turn.signal.aborted) {
            printer.note("(stopped: the conversation goes on; Ctrl-C again leaves)");
            state.armed = true;
          } else {
            printer.error(describeError(error, label, keyHint));
            exitCode = EXIT_FAILURE;
            // Piped input is a script: stop at the first failure. A person at a terminal can retry.
            if (!interactive) break;
          }
        } finally {
          state.turn = null;
        }
      }
      if (state.killed) break;
      if (interactive) lines.prompt();
    }
  } finally {
    stopListening();
    lines.close();
    printer.finishLines();
  }
  if (state.killed) return EXIT_INTERRUPTED;
  if (handled === 0 && !interactive) {
    throw new UsageError(
      'Nothing to send: give a prompt (openresponses chat "hello") or pipe lines to stdin.',
    );
  }
  // Ctrl-D or Ctrl-C leave with the prompt's line open: the shell prompt must not follow "> ".
  if (interactive && !byCommand) io.stdout.write("\n");
  return exitCode;
}
