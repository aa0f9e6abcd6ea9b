/**
 * The `openresponses` command: `chat`, `serve` and `check`. Each command lives in its own file and
 * parses its own flags with `node:util` parseArgs; this file only dispatches and maps outcomes to exit
 * codes (0 ok, 1 failure, 2 usage error).
 */

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UsageError } from "./args.js";
import { runChat } from "./chat.js";
import { runCheck } from "./check/command.js";
import { describeError } from "./describe-error.js";
import { type CliIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIO } from "./io.js";
import { runServe } from "./serve.js";
import { packageVersion } from "./version.js";

export const MAIN_HELP = `Usage: openresponses <command> [options]

The Open Responses toolkit on the command line.

Commands:
  chat [prompt]   Stream an answer, or hold a conversation (built-in model unless a server is set).
  serve           Serve the built-in model, or a provider (--upstream), over HTTP and WebSocket.
  check           Check a server's compliance with the Open Responses protocol.

Options:
  -h, --help      Show help (also: openresponses <command> --help).
  -v, --version   Show the version.

Environment:
  OPENRESPONSES_BASE_URL (else OPENAI_BASE_URL), OPENRESPONSES_API_KEY, OPENRESPONSES_MODEL
                  The server chat and check talk to; none set: the built-in model.
  OPENRESPONSES_UPSTREAM_API_KEY
                  The key of an --upstream provider (serve, chat).
  NO_COLOR, FORCE_COLOR
                  Colour is used on a terminal only; NO_COLOR turns it off, FORCE_COLOR decides.
  PORT            serve's port when --port is not given.`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

// Imported statically on purpose: the CLI bundles to one file (dist/cli.js) with no chunks beside it.
const COMMANDS: Record<string, Command> = { chat: runChat, serve: runServe, check: runCheck };

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    // No command is a mistake (a script that lost its argument must not pass): usage, and exit code 2.
    io.stderr.write(`${MAIN_HELP}\n`);
    return EXIT_USAGE;
  }
  if (first === "-h" || first === "--help" || first === "help") {
    if (first === "help" && rest[0] && COMMANDS[rest[0]]) return main([rest[0], "--help"], io);
    io.stdout.write(`${MAIN_HELP}\n`);
    return EXIT_OK;
  }
  if (first === "-v" || first === "--version") {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[first];
  if (!command) {
    io.stderr.write(`openresponses: unknown command "${first}". Run "openresponses --help" for the list.\n`);
    return EXIT_USAGE;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`openresponses ${first}: ${error.message} Run "openresponses ${first} --help".\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`openresponses: ${describeError(error, undefined)}\n`);
    return EXIT_FAILURE;
  }
}

/** True when this file is the program being run (directly, through tsx, or through the npm bin link). */
function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  if (!invoked) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`openresponses: ${describeError(error, undefined)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
