/**
 * `openresponses chat [prompt]`: one streamed answer for a prompt, or a conversation read line by line
 * from the terminal (or from piped stdin) that keeps its context between turns (chat-repl.ts). It always
 * says, on stderr, which server answers.
 */

import { integerOption, parseCommandArgs, stringOption, UsageError } from "./args.js";
import { ChatPrinter } from "./chat-printer.js";
import { conversation } from "./chat-repl.js";
import { ChatSession, type TurnSettings } from "./chat-session.js";
import { describeError } from "./describe-error.js";
import { type CliIO, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from "./io.js";
import { loadModelFile, MODEL_FILE_OPTIONS, modelFileFromFlags } from "./model-file.js";
import { isTerminal } from "./style.js";
import { describeTarget, resolveTarget, TARGET_OPTIONS, type Target, targetHelp } from "./target.js";
import { UPSTREAM_OPTIONS, upstreamFromArgs } from "./upstream.js";
import { upstreamKindsHelp } from "./upstream-kinds.js";

/** The shortest `--max-output-tokens` accepted (OpenAI's minimum, which the built-in model follows). */
const MIN_OUTPUT_TOKENS = 16;

export const CHAT_HELP = `Usage: openresponses chat [options] [prompt...]

Streams the model's answer to the terminal as it arrives. Without a prompt, starts a conversation
(interactive on a terminal, or one turn per line of piped stdin) that keeps its context between turns;
type /help in it for the commands. The first line (on stderr) says which server answers.

Options:
${targetHelp(23)}
  --instructions <text>    System instructions sent with every turn.
  --reasoning <effort>     Ask for reasoning: none, low, medium, high or xhigh. The summary is
                           printed on stderr, labelled "reasoning:".
  --max-output-tokens <n>  Output token budget per turn (at least ${MIN_OUTPUT_TOKENS}).
  --upstream <kind>:<url>  Talk to a provider through a bridge, in process (no server); see
                           "openresponses serve --help" (--upstream-model, --upstream-api-key-env
                           and --route work here too). The kinds:
${upstreamKindsHelp(27)}
  --model-file <path>      Run a local GGUF model in process instead of the built-in model (needs
                           the node-llama-cpp package); --context-size, --threads, --gpu and
                           --seed size it as for serve (see "openresponses serve --help").
  --json                   Print every streaming event as one JSON line (NDJSON) instead of text.
  --delay <ms>             Built-in model only: pause between parts (default 15 on a terminal, else 0).
  -h, --help               Show this help.

Examples:
  openresponses chat "what is 12 * 7?"
  OPENRESPONSES_BASE_URL=http://127.0.0.1:8080/v1 openresponses chat
  echo "my name is Ada" | openresponses chat --json
  openresponses chat --upstream chat:http://127.0.0.1:11434/v1 --model qwen3:4b "hello"
  openresponses chat --model-file ./Llama-3.2-1B-Instruct-Q4_K_M.gguf`;

const OPTIONS = {
  ...TARGET_OPTIONS,
  instructions: { type: "string" },
  reasoning: { type: "string" },
  "max-output-tokens": { type: "string" },
  json: { type: "boolean" },
  delay: { type: "string" },
  help: { type: "boolean", short: "h" },
  ...UPSTREAM_OPTIONS,
  ...MODEL_FILE_OPTIONS,
} as const;

const EFFORTS = new Set(["none", "low", "medium", "high", "xhigh"]);

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
        : integerOption(values, "max-output-tokens", 0, MIN_OUTPUT_TOKENS, 1_000_000),
  };
  // The built-in model is instant; on a terminal a small pause between parts lets the streaming show.
  const onTerminal = isTerminal(io.stdout) && !settings.json;
  const delayMs = integerOption(values, "delay", onTerminal ? 15 : 0, 0, 10_000);
  const upstream = upstreamFromArgs(values, io.env);
  if (upstream !== undefined && stringOption(values, "base-url") !== undefined) {
    throw new UsageError(
      "--upstream talks to the provider in process; it cannot be combined with --base-url.",
    );
  }
  // One conversation needs one sequence of a local model.
  const local = modelFileFromFlags(values, { sequences: 1 });
  if (local !== undefined && upstream !== undefined) {
    throw new UsageError("--upstream (or --route) and --model-file each name the model: give one of them.");
  }
  const target = resolveTarget(values, io.env, {
    delayMs,
    ...(upstream === undefined ? {} : { upstream }),
    ...(local === undefined
      ? {}
      : { local: { model: local, description: `the local model ${stringOption(values, "model-file")}` } }),
  });
  if (local === undefined) return chatWith(target, positionals, io, settings);
  io.stderr.write(`Loading ${stringOption(values, "model-file")} ...\n`);
  try {
    const loaded = await loadModelFile(local, "chat");
    if ("error" in loaded) {
      io.stderr.write(`openresponses: ${loaded.error}\n`);
      return EXIT_FAILURE;
    }
    return await chatWith(target, positionals, io, settings);
  } finally {
    await local.close();
  }
}

async function chatWith(
  target: Target,
  positionals: string[],
  io: CliIO,
  settings: TurnSettings,
): Promise<number> {
  const printer = new ChatPrinter(io, settings.json);
  const session = new ChatSession(target, settings, printer);
  printer.note(describeTarget(target));
  const prompt = positionals.join(" ").trim();
  if (prompt === "") return conversation(session, io, printer, target.label, target.keyHint);
  const controller = new AbortController();
  const stopListening = io.onStop(() => controller.abort());
  try {
    await session.send(prompt, controller.signal);
    return EXIT_OK;
  } catch (error) {
    // Stopped by the user: the cancelled request is not a failure worth a line.
    if (controller.signal.aborted) return EXIT_INTERRUPTED;
    printer.error(describeError(error, target.label, target.keyHint));
    return EXIT_FAILURE;
  } finally {
    stopListening();
    printer.finishLines();
  }
}
