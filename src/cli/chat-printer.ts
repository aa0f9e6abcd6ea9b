/**
 * What `chat` prints while a turn streams. The answer goes to stdout, inert (a model's escape sequences
 * never reach the terminal), function calls as `[function call] name(arguments)` lines; everything about
 * the answer (the reasoning summary, "(incomplete)", "(stopped)", errors) is labelled and goes to stderr,
 * dimmed on a terminal, so it is never mistaken for the answer. Both streams always end with a newline, and when both
 * are the same terminal a line on one never continues a line left open on the other.
 */

import type { ResponseResource } from "../spec/index.js";
import type { ResponseStream } from "../streaming/index.js";
import type { CliIO } from "./io.js";
import { isTerminal, type Style, styleFor } from "./style.js";
import { inertText } from "./terminal-text.js";

type Item = Record<string, unknown>;

/** One output stream and whether its last line is still open. */
class Channel {
  open = false;
  constructor(readonly stream: NodeJS.WritableStream) {}

  write(text: string): void {
    if (text === "") return;
    this.stream.write(text);
    this.open = !text.endsWith("\n");
  }

  endLine(): void {
    if (this.open) this.write("\n");
  }
}

/** C1 controls and the Unicode line separators, which JSON allows raw, written as `\u` escapes instead. */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029]/g;

/** A JSON line that parses to exactly `value` and carries no raw control character a terminal would obey. */
export function terminalSafeJSON(value: unknown): string {
  return JSON.stringify(value).replace(
    JSON_UNSAFE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export class ChatPrinter {
  readonly #out: Channel;
  readonly #err: Channel;
  /** stdout and stderr are one screen: a line on one first closes a line left open on the other. */
  readonly #sharedScreen: boolean;
  readonly style: Style;
  /** Inside a reasoning summary part: its label was printed. */
  #inSummary = false;

  constructor(
    io: CliIO,
    private readonly json: boolean,
  ) {
    this.#out = new Channel(io.stdout);
    this.#err = new Channel(io.stderr);
    this.#sharedScreen = isTerminal(io.stdout) && isTerminal(io.stderr);
    this.style = styleFor(io.stderr, io.env);
  }

  /** Answer text on stdout. */
  #answer(text: string): void {
    if (this.#sharedScreen) this.#err.endLine();
    this.#out.write(text);
  }

  /** Text about the answer on stderr (already styled), on a line of its own when the screen is shared. */
  #aside(text: string): void {
    if (this.#sharedScreen) this.#out.endLine();
    this.#err.write(text);
  }

  /** One line on stderr, dimmed on a terminal: who answers, "(stopped)", a command's reply. */
  note(line: string): void {
    this.#aside(`${this.#err.open ? "\n" : ""}${this.style.dim(line)}\n`);
  }

  /** An error line on stderr, after closing any open line. */
  error(line: string): void {
    this.finishLines();
    this.#err.write(`${this.style.red("openresponses:")} ${line}\n`);
  }

  /** Ends open lines, so the shell prompt (or the next turn) starts on a line of its own. */
  finishLines(): void {
    this.#out.endLine();
    this.#err.endLine();
  }

  /** Prints a turn as it streams; resolves with the final response (or throws the stream's failure). */
  async printTurn(stream: ResponseStream): Promise<ResponseResource> {
    try {
      for await (const event of stream) this.#event(event as unknown as Item);
      const response = await stream.finalResponse();
      if (!this.json && response.status === "incomplete") {
        this.note(`(incomplete: ${inertText(response.incomplete_details?.reason ?? "unknown reason")})`);
      }
      return response;
    } finally {
      this.#inSummary = false;
      this.finishLines();
    }
  }

  #event(event: Item): void {
    if (this.json) {
      this.#out.write(`${terminalSafeJSON(event)}\n`);
      return;
    }
    const dim = this.style.dim;
    switch (event.type) {
      case "response.output_text.delta":
      case "response.refusal.delta":
        this.#answer(inertText(String(event.delta ?? ""), "content"));
        break;
      case "response.reasoning_summary_text.delta": {
        const label = this.#inSummary ? "" : `${this.#err.open ? "\n" : ""}${dim("reasoning: ")}`;
        this.#inSummary = true;
        this.#aside(label + dim(inertText(String(event.delta ?? ""), "content")));
        break;
      }
      case "response.reasoning_summary_part.done":
      case "response.reasoning_summary_text.done":
        this.#inSummary = false;
        this.#err.endLine();
        break;
      case "response.output_item.done": {
        const item = event.item as Item | undefined;
        if (item?.type === "message") this.#out.endLine();
        if (item?.type === "function_call") {
          this.#out.endLine();
          const call = `${inertText(String(item.name))}(${inertText(String(item.arguments))})`;
          this.#answer(`[function call] ${call}\n`);
        }
        break;
      }
    }
  }
}
