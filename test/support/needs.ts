/**
 * What a test needs from outside the repository (the specification files in `../shared/spec`, Debian's
 * Chromium, a Redis server, a runtime binary...), and one way to skip when it is absent.
 *
 * On a fresh clone elsewhere, `npm test` must pass: a test whose need is missing is skipped and prints
 * exactly what is missing and how to get it. CI sets `OPENRESPONSES_TEST_ALL=1`, which turns every such
 * skip into a failure, so nothing is silently left out there.
 */

import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "vitest";

/** The specification folder beside the repository (`../shared/spec`). */
export const SHARED_SPEC_DIR = resolve(import.meta.dirname, "../../../shared/spec");
export const OPENAPI_PATH = resolve(SHARED_SPEC_DIR, "openapi.json");
/** Debian's Chromium; `OPENRESPONSES_CHROMIUM_PATH` points elsewhere (or, set to "", simulates none). */
export const CHROMIUM_PATH = process.env.OPENRESPONSES_CHROMIUM_PATH ?? "/usr/bin/chromium";

/** True in CI: a missing need fails instead of skipping. */
export const requireAll = process.env.OPENRESPONSES_TEST_ALL === "1";

export interface Need {
  /** Whether the need is met on this machine. */
  present: boolean;
  /** What is missing, and how to enable the tests that need it. */
  missing: string;
}

export const needs = {
  sharedSpec: (): Need => ({
    present: existsSync(OPENAPI_PATH),
    missing: `${OPENAPI_PATH} is absent (the specification files live in ../shared/spec beside the repository; put them there to run these tests)`,
  }),
  chromium: (): Need => ({
    present: CHROMIUM_PATH !== "" && existsSync(CHROMIUM_PATH),
    missing: `Debian's Chromium is not at ${CHROMIUM_PATH || "(OPENRESPONSES_CHROMIUM_PATH is empty)"} (run \`apt-get install chromium\`, or set OPENRESPONSES_CHROMIUM_PATH, to run these tests)`,
  }),
  /** Any executable on a fixed path, such as `/usr/bin/redis-server`. */
  binary: (path: string, install: string): Need => ({
    present: existsSync(path),
    missing: `${path} is absent (${install} to run these tests)`,
  }),
};

let llamaCpp: Promise<Need> | undefined;

/**
 * node-llama-cpp (a devDependency) with a prebuilt llama.cpp binary that loads on this machine's CPU.
 * Loading it takes a second or more, so a file awaits this once at its top.
 */
export function llamaCppNeed(): Promise<Need> {
  llamaCpp ??= import("node-llama-cpp")
    .then(({ getLlama, LlamaLogLevel }) =>
      getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error }),
    )
    .then(
      (): Need => ({ present: true, missing: "" }),
      (error: unknown): Need => ({
        present: false,
        missing:
          `node-llama-cpp's prebuilt llama.cpp binary does not load here (${error instanceof Error ? error.message : String(error)}); ` +
          "run `npm ci` (node-llama-cpp and its CPU binaries are devDependencies; they exist for Linux, macOS and Windows on x64 and arm64)",
      }),
    );
  return llamaCpp;
}

/**
 * `describe`, or `describe.skip` with a printed reason when the need is missing; under
 * `OPENRESPONSES_TEST_ALL=1` a missing need throws at collection, which fails the file.
 */
export function describeWith(need: Need, name: string, body: () => void): void {
  if (need.present) {
    describe(name, body);
    return;
  }
  if (requireAll) {
    throw new Error(`OPENRESPONSES_TEST_ALL=1 and a test needs what is missing: ${need.missing}`);
  }
  console.warn(`[skipped] ${name}: ${need.missing}`);
  describe.skip(`${name} (skipped: ${need.missing})`, body);
}

/** `it` with the same rule as `describeWith`, for one test in a suite that otherwise needs nothing. */
export function itWith(need: Need, name: string, body: () => unknown): void {
  if (need.present) {
    it(name, body);
    return;
  }
  if (requireAll) {
    throw new Error(`OPENRESPONSES_TEST_ALL=1 and a test needs what is missing: ${need.missing}`);
  }
  console.warn(`[skipped] ${name}: ${need.missing}`);
  it.skip(`${name} (skipped: ${need.missing})`, body);
}

/** The parsed openapi.json, or undefined when it is absent (pair with `describeWith(needs.sharedSpec())`). */
export function loadOpenAPI<T = { components: { schemas: Record<string, unknown> } }>(): T | undefined {
  return existsSync(OPENAPI_PATH) ? (JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as T) : undefined;
}
