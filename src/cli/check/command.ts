/**
 * `openresponses check`: a conformance suite for Open Responses servers. This file is the command: it
 * reads the flags, picks the scenarios, runs them (src/cli/check/) and prints the report. Exit codes:
 * 0 compliant (warnings allowed), 1 a MUST broken, 2 a usage error or an unreachable server.
 */

import { writeFile } from "node:fs/promises";
import { stripCredentials } from "../../core/base-url.js";
import { registerSecret } from "../../internal/redact.js";
import { createResponsesHandler } from "../../server/kit/handler.js";
import { MOCK_MODEL_NAME, mockModel } from "../../server/mock/index.js";
import { serve } from "../../server/node/serve.js";
import { integerOption, parseCommandArgs, stringOption, UsageError } from "../args.js";
import { type CliIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { Recorder } from "./recorder.js";
import { humanReport } from "./report-human.js";
import { junitReport } from "./report-junit.js";
import type { Dialect } from "./report-types.js";
import { runScenarios } from "./runner.js";
import { Unreachable } from "./scenario-context.js";
import { SCENARIOS, type Scenario } from "./scenarios/index.js";
import { authHeaders, type CheckTarget, webSocketURL } from "./target.js";

export const CHECK_HELP = `Usage: openresponses check [options]

Checks a server against the Open Responses specification: ${SCENARIOS.length} scenarios over HTTP and
WebSocket, every exchange judged by every rule that applies (H, S1–S9, W, E, X, P), each finding named by
rule id. Without --base-url (or OPENRESPONSES_BASE_URL) it checks the built-in model.
Exit codes: 0 compliant (warnings allowed), 1 a MUST broken, 2 usage error or server unreachable.

Server:
  --base-url <url>        Base URL, e.g. http://127.0.0.1:8080/v1 (env OPENRESPONSES_BASE_URL).
  --api-key <key>         The credential (env OPENRESPONSES_API_KEY).
  --auth-header <name>    Header that carries it (default Authorization).
  --auth-scheme <scheme>  Prefix before the key (default "Bearer" for Authorization; "" for none).
  --header "Name: value"  An extra request header (repeatable).
  --model <name>          Model to request (env OPENRESPONSES_MODEL).
  --dialect spec|openai   openai: deviations clients must accept anyway (no [DONE]) are warnings.

Scenarios:
  --transport <t>         http, websocket or all (default all).
  --only <ids>            Run only these scenarios (comma-separated).
  --skip <ids>            Leave these out (comma-separated).
  --list                  List the scenarios and exit.

Limits:
  --timeout <ms>          Per scenario (default ${DEFAULT_LIMITS.scenarioTimeoutMs}).
  --total-timeout <ms>    For the whole run (default ${DEFAULT_LIMITS.totalTimeoutMs}).
  --max-bytes <n>         Bytes read from one body or WebSocket session (default ${DEFAULT_LIMITS.maxBytes}).
  --max-events <n>        Events read from one stream (default ${DEFAULT_LIMITS.maxEvents}).

Output:
  --json                  Print the report as one JSON object (see docs/cli.md).
  --junit <file>          Also write a JUnit XML report.
  --record <dir>          Write each scenario's raw exchange to <dir>/<scenario>.json.
  -h, --help              Show this help.`;

const OPTIONS = {
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  "auth-header": { type: "string" },
  "auth-scheme": { type: "string" },
  header: { type: "string", multiple: true },
  model: { type: "string" },
  dialect: { type: "string" },
  transport: { type: "string" },
  only: { type: "string" },
  skip: { type: "string" },
  list: { type: "boolean" },
  timeout: { type: "string" },
  "total-timeout": { type: "string" },
  "max-bytes": { type: "string" },
  "max-events": { type: "string" },
  json: { type: "boolean" },
  junit: { type: "string" },
  record: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function idList(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(",")
        .map((id) => id.trim())
        .filter((id) => id !== "");
}

/** The scenarios the flags select; an unknown id is a usage error, not a silent no-op. */
export function selectScenarios(values: Record<string, unknown>): Scenario[] {
  const transport = typeof values.transport === "string" ? values.transport : "all";
  if (!["http", "websocket", "all"].includes(transport)) {
    throw new UsageError(`--transport must be http, websocket or all (got "${transport}").`);
  }
  const only = idList(typeof values.only === "string" ? values.only : undefined);
  const skip = idList(typeof values.skip === "string" ? values.skip : undefined);
  const known = new Set(SCENARIOS.map((scenario) => scenario.id));
  for (const id of [...only, ...skip]) {
    if (!known.has(id)) throw new UsageError(`Unknown scenario "${id}"; --list shows them.`);
  }
  return SCENARIOS.filter(
    (scenario) =>
      (transport === "all" || scenario.transport === transport) &&
      (only.length === 0 || only.includes(scenario.id)) &&
      !skip.includes(scenario.id),
  );
}

function baseURLFrom(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--base-url is not a URL: "${stripCredentials(raw)}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError("--base-url must be an http or https URL.");
  if (url.username || url.password) {
    throw new UsageError(
      "--base-url must not carry credentials; pass --api-key (and --auth-header) instead.",
    );
  }
  return url.toString().replace(/\/+$/, "");
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS);
  if (values.help) {
    io.stdout.write(`${CHECK_HELP}\n`);
    return EXIT_OK;
  }
  const scenarios = selectScenarios(values);
  if (values.list) {
    for (const scenario of scenarios)
      io.stdout.write(`${scenario.id.padEnd(32)} ${scenario.transport.padEnd(9)} ${scenario.title}\n`);
    return EXIT_OK;
  }
  if (scenarios.length === 0) throw new UsageError("No scenario is left to run.");
  const dialect = (stringOption(values, "dialect") ?? "spec") as Dialect;
  if (dialect !== "spec" && dialect !== "openai")
    throw new UsageError(`--dialect must be spec or openai (got "${String(dialect)}").`);
  const limits = {
    scenarioTimeoutMs: integerOption(values, "timeout", DEFAULT_LIMITS.scenarioTimeoutMs, 100, 3_600_000),
    totalTimeoutMs: integerOption(values, "total-timeout", DEFAULT_LIMITS.totalTimeoutMs, 100, 86_400_000),
    maxBytes: integerOption(values, "max-bytes", DEFAULT_LIMITS.maxBytes, 1024, 1024 * 1024 * 1024),
    maxEvents: integerOption(values, "max-events", DEFAULT_LIMITS.maxEvents, 10, 10_000_000),
  };
  const apiKey = stringOption(values, "api-key") ?? (io.env.OPENRESPONSES_API_KEY || undefined);
  registerSecret(apiKey);
  const headerValues = (values as Record<string, unknown>).header;
  let auth: ReturnType<typeof authHeaders>;
  try {
    auth = authHeaders({
      apiKey,
      authHeader: stringOption(values, "auth-header"),
      authScheme: typeof values["auth-scheme"] === "string" ? values["auth-scheme"] : undefined,
      extraHeaders: Array.isArray(headerValues) ? (headerValues as string[]) : [],
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const model = stringOption(values, "model") ?? (io.env.OPENRESPONSES_MODEL || undefined);
  const rawBase = stringOption(values, "base-url") ?? (io.env.OPENRESPONSES_BASE_URL || undefined);

  // Without a server, the built-in model is served on a loopback port for the run, so WebSocket mode is
  // checked too; it is closed before the report is printed.
  const builtIn =
    rawBase === undefined
      ? await serve({ handler: createResponsesHandler({ model: mockModel() }), port: 0, host: "127.0.0.1" })
      : undefined;
  try {
    const baseURL = builtIn ? `${builtIn.url}/v1` : baseURLFrom(rawBase as string);
    const target: CheckTarget = {
      baseURL,
      headers: auth.headers,
      fetch: globalThis.fetch.bind(globalThis),
      label: builtIn ? "the built-in model" : stripCredentials(baseURL),
      wsURL: webSocketURL(baseURL),
      model: model ?? (builtIn ? MOCK_MODEL_NAME : undefined),
      secretHeaders: auth.secret,
      hasCredential: apiKey !== undefined,
    };
    const recordDir = stringOption(values, "record");
    const report = await runScenarios({
      target,
      scenarios,
      limits,
      dialect,
      recorder: recordDir ? new Recorder(recordDir) : undefined,
    });
    const junit = stringOption(values, "junit");
    if (junit) await writeFile(junit, junitReport(report), "utf8");
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : humanReport(report));
    if (report.summary.skipped === report.summary.total) {
      // A wrong key must not look like a pass in CI: with nothing judged, the run is a usage problem.
      const reason = report.scenarios[0]?.reason ?? "every scenario was skipped";
      io.stderr.write(`openresponses check: nothing could be checked (${reason}).\n`);
      return EXIT_USAGE;
    }
    return report.summary.compliant ? EXIT_OK : EXIT_FAILURE;
  } catch (error) {
    if (error instanceof Unreachable) {
      io.stderr.write(`openresponses check: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await builtIn?.close();
  }
}
