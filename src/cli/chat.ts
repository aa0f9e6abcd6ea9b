/**
 * `openresponses chat [prompt]`: one streamed answer for a prompt, or a conversation read line by line
 * from the terminal (or from piped stdin) that keeps its context between turns.
 */

import { createInterface } from "node:readline";
import { APIError, APIUserAbortError } from "../errors.js";
import type { ResponseResource } from "../spec/index.js";
import type { ResponseStream } from "../streaming/index.js";
import { integerOption, parseCommandArgs, stringOption, UsageError } from "./args.js";
import { describeError } from "./describe-error.js";
import { type CliIO, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from "./io.js";
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS, type Target } from "./target.js";
import { UPSTREAM_OPTIONS, upstreamFromArgs } from "./upstream.js";

export const CHAT_HELP = `Usage: openresponses chat [options] [prompt...]

Streams the model's answer to the terminal as it arrives. Without a prompt, starts a conversation
(interactive on a terminal, or one turn per line of piped stdin) that keeps its context between turns.

Options:
${TARGET_HELP}
  --instructions <text>  System instructions sent with every turn.
  --reasoning <effort>   Ask for reasoning (none|low|medium|high|xhigh); the summary goes to stderr.
  --max-output-tokens <n>  Output token budget per turn.
  --upstream <kind>:<url>  Talk to a provider through a bridge, in process (no server):
                     kinds chat, responses, anthropic, gemini (see "openresponses serve --help";
                     --upstream-model, --upstream-api-key-env and --route work here too).
  --json             Print every streaming event as one JSON line (NDJSON) instead of text.
  --delay <ms>       Built-in model only: pause between parts (default 15 on a terminal, else 0).
  -h, --help         Show this help.

Examples:
  openresponses chat "what is 12 * 7?"
  OPENRESPONSES_BASE_URL=http://127.0.0.1:8080/v1 openresponses chat
  echo "my name is Ada" | openresponses chat --json
  openresponses chat --upstream chat:http://127.0.0.1:11434/v1 --model qwen3:4b "hello"`;

const OPTIONS = {
  ...TARGET_OPTIONS,
  instructions: { type: "string" },
  reasoning: { type: "string" },
  "max-output-tokens": { type: "string" },
  json: { type: "boolean" },
  delay: { type: "string" },
  help: { type: "boolean", short: "h" },
  ...UPSTREAM_OPTIONS,
} as const;

const EFFORTS = new Set(["none", "low", "medium", "high", "xhigh"]);

type Item = Record<string, unknown>;

interface TurnSettings {
  json: boolean;
  instructions: string | undefined;
  reasoning: string | undefined;
  maxOutputTokens: number | undefined;
}

/** Keeps a conversation's context: a `previous_response_id` chain, or the full history when needed. */
class ChatSession {
  #history: Item[] = [];
  #previousId: string | undefined;
  /** Switched off when the server cannot continue from a stored response; then history is resent. */
  #chain = true;
  /** The turn being streamed, so a stop request (Ctrl-C, SIGTERM) can cancel it. */
  #current: { abort(): void } | null = null;
  #stopped = false;

  constructor(
    private readonly target: Target,
    private readonly io: CliIO,
    private readonly settings: TurnSettings,
  ) {}

  /** Set once the user asked to stop: the turn in flight was cancelled and no other may start. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Cancels the turn in flight (the request, and the built-in model with it) and refuses new turns.
   * Without this, Ctrl-C would only close the prompt and the CLI would wait for a slow server to finish.
   */
  stop(): void {
    this.#stopped = true;
    this.#current?.abort();
  }

  async send(text: string): Promise<ResponseResource> {
    const userItem: Item = { type: "message", role: "user", content: text };
    let response: ResponseResource;
    try {
      response = await this.#turn(userItem, this.#chain && this.#previousId !== undefined);
    } catch (error) {
      if (!(this.#previousId !== undefined && this.#chain && isMissingPrevious(error))) throw error;
      this.#chain = false;
      response = await this.#turn(userItem, false);
    }
    this.#history.push(userItem, ...(response.output as unknown as Item[]));
    this.#previousId = response.store === false ? undefined : response.id;
    return response;
  }

  async #turn(userItem: Item, continueChain: boolean): Promise<ResponseResource> {
    const { settings } = this;
    const body: Record<string, unknown> = {
      input: continueChain ? [userItem] : [...this.#history, userItem],
    };
    if (continueChain) body.previous_response_id = this.#previousId;
    if (this.target.model) body.model = this.target.model;
    if (settings.instructions) body.instructions = settings.instructions;
    if (settings.reasoning) body.reasoning = { effort: settings.reasoning, summary: "auto" };
    if (settings.maxOutputTokens !== undefined) body.max_output_tokens = settings.maxOutputTokens;

    if (this.#stopped) throw new APIUserAbortError("The chat was stopped.");
    const stream = this.target.client.responses.stream(body as never);
    this.#current = stream;
    try {
      return await this.#print(await stream);
    } finally {
      this.#current = null;
    }
  }

  async #print(stream: ResponseStream): Promise<ResponseResource> {
    const { settings, io } = this;
    let printed = false;
    let endsWithNewline = true;
    const write = (text: string) => {
      if (text === "") return;
      io.stdout.write(text);
      printed = true;
      endsWithNewline = text.endsWith("\n");
    };
    for await (const event of stream) {
      const record = event as unknown as Item;
      if (settings.json) {
        io.stdout.write(`${JSON.stringify(record)}\n`);
        continue;
      }
      switch (record.type) {
        case "response.output_text.delta":
        case "response.refusal.delta":
          write(String(record.delta ?? ""));
          break;
        case "response.reasoning_summary_text.delta":
          io.stderr.write(String(record.delta ?? ""));
          break;
        case "response.reasoning_summary_part.done":
          io.stderr.write("\n");
          break;
        case "response.output_item.done": {
          const item = record.item as Item | undefined;
          if (item?.type === "message" && printed && !endsWithNewline) write("\n");
          if (item?.type === "function_call") {
            write(
              `${printed && !endsWithNewline ? "\n" : ""}[function call] ${String(item.name)}(${String(item.arguments)})\n`,
            );
          }
          break;
        }
      }
    }
    const response = await stream.finalResponse();
    if (!settings.json) {
      if (printed && !endsWithNewline) write("\n");
      if (response.status === "incomplete") {
        io.stderr.write(`(incomplete: ${response.incomplete_details?.reason ?? "unknown reason"})\n`);
      }
    }
    return response;
  }
}

function isMissingPrevious(error: unknown): boolean {
  if (!(error instanceof APIError)) return false;
  return (
    error.code === "previous_response_not_found" ||
    error.param === "previous_response_id" ||
    (error.status === 404 && /previous/i.test(error.message))
  );
}

/** Lines typed at a terminal, or piped in; resolves when input ends or the user stops the process. */
async function conversation(session: ChatSession, io: CliIO, target: Target): Promise<number> {
  const interactive = io.stdin.isTTY === true;
  const lines = createInterface({
    input: io.stdin,
    output: interactive ? io.stdout : undefined,
    terminal: interactive,
  });
  // Stopping (SIGINT/SIGTERM, or Ctrl-C, which on a terminal reaches readline rather than the process)
  // leaves the chat, cancelling the turn in flight rather than waiting for the server to finish it.
  const stop = () => {
    session.stop();
    lines.close();
  };
  const stopListening = io.onStop(stop);
  lines.on("SIGINT", stop);
  if (interactive) {
    io.stdout.write(
      `Chatting with ${target.label}${target.model ? ` (${target.model})` : ""}. Type /exit or press Ctrl-D to leave.\n`,
    );
    lines.setPrompt("> ");
    lines.prompt();
  }
  let exitCode = EXIT_OK;
  let turns = 0;
  try {
    for await (const raw of lines) {
      const text = raw.trim();
      if (text === "/exit" || text === "/quit") break;
      if (text !== "") {
        turns++;
        try {
          await session.send(text);
        } catch (error) {
          if (session.stopped) {
            exitCode = EXIT_INTERRUPTED;
            break;
          }
          io.stderr.write(`openresponses: ${describeError(error, target.label, target.keyHint)}\n`);
          exitCode = EXIT_FAILURE;
          // Piped input is a script: stop at the first failure. A person at a terminal can retry.
          if (!interactive) break;
        }
      }
      if (interactive) lines.prompt();
    }
  } finally {
    stopListening();
    lines.close();
  }
  if (turns === 0 && !interactive && !session.stopped) {
    throw new UsageError(
      'Nothing to send: give a prompt (openresponses chat "hello") or pipe lines to stdin.',
    );
  }
  return exitCode;
}

export async function runChat(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, true);
  if (values.help) {
    io.stdout.write(`${CHAT_HELP}\n`);
    return EXIT_OK;
  }
  const reasoning = stringOption(values, "reasoning");
  if (reasoning !== undefined && !EFFORTS.has(reasoning)) {
    throw new UsageError(`--reasoning must be one of ${[...EFFORTS].join(", ")} (got "${reasoning}").`);
  }
  const settings: TurnSettings = {
    json: values.json === true,
    instructions: stringOption(values, "instructions"),
    reasoning,
    maxOutputTokens:
      values["max-output-tokens"] === undefined
        ? undefined
        : integerOption(values, "max-output-tokens", 0, 16, 1_000_000),
  };
  // The built-in model is instant; on a terminal a small pause between parts lets the streaming show.
  const onTerminal = (io.stdout as { isTTY?: boolean }).isTTY === true && !settings.json;
  const delayMs = integerOption(values, "delay", onTerminal ? 15 : 0, 0, 10_000);
  const upstream = upstreamFromArgs(values, io.env);
  if (upstream !== undefined && stringOption(values, "base-url") !== undefined) {
    throw new UsageError(
      "--upstream talks to the provider in process; it cannot be combined with a base URL.",
    );
  }
  const target = resolveTarget(values, io.env, { delayMs, ...(upstream === undefined ? {} : { upstream }) });
  const session = new ChatSession(target, io, settings);
  const prompt = positionals.join(" ").trim();
  if (prompt === "") return conversation(session, io, target);
  const stopListening = io.onStop(() => session.stop());
  try {
    await session.send(prompt);
    return EXIT_OK;
  } catch (error) {
    // Stopped by the user: the cancelled request is not a failure worth a line.
    if (session.stopped) return EXIT_INTERRUPTED;
    io.stderr.write(`openresponses: ${describeError(error, target.label, target.keyHint)}\n`);
    return EXIT_FAILURE;
  } finally {
    stopListening();
  }
}
