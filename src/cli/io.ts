/**
 * What a command needs from the outside world, passed in rather than read from `process`, so tests can
 * run a command in-process as well as spawning the binary.
 */

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Resolves when the user asks the process to stop (SIGINT/SIGTERM). */
  onStop(listener: () => void): () => void;
}

export function processIO(): CliIO {
  // `openresponses chat --json | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onStop(listener) {
      process.once("SIGINT", listener);
      process.once("SIGTERM", listener);
      return () => {
        process.off("SIGINT", listener);
        process.off("SIGTERM", listener);
      };
    },
  };
}

/** A command's outcome; `main` turns it into the process exit code. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Stopped by SIGINT/SIGTERM in the middle of a turn: 128 + SIGINT, what a shell reports for Ctrl-C. */
export const EXIT_INTERRUPTED = 130;
