/**
 * `openresponses check`: a conformance suite for Open Responses servers. This file is the command: it
 * reads the flags, picks the scenarios, runs them (src/cli/check/) and prints the report, the human one
 * scenario by scenario as they finish (with a progress line on a terminal). Exit codes: 0 compliant
 * (warnings allowed), 1 a MUST broken, 2 a usage error, an unreachable server or refused credentials.
 */

import { writeFile } from "node:fs/promises";
import { stripCredentials } from "../../core/base-url.js";
import { createResponsesHandler } from "../../server/kit/handler.js";
import { MOCK_MODEL_NAME, mockModel } from "../../server/mock/index.js";
import { serve } from "../../server/node/serve.js";
import { integerOption, parseCommandArgs, stringOption, UsageError } from "../args.js";
import { type CliIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { isTerminal, type Style, styleFor } from "../style.js";
import { serverSettings } from "../target.js";
import { inertText } from "../terminal-text.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { Progress } from "./progress.js";
import { Recorder } from "./recorder.js";
import { idWidth, reportFooter, reportHeader, scenarioLines } from "./report-human.js";
import { junitReport } from "./report-junit.js";
import { type CheckReport, type Dialect, SPEC_VERSION } from "./report-types.js";
import { type RunObserver, runScenarios } from "./runner.js";
import { newRunState, type RunState, Unreachable } from "./scenario-context.js";
import { SCENARIOS, type Scenario } from "./scenarios/index.js";
import { authHeaders, type CheckTarget, webSocketURL } from "./target.js";

export const CHECK_HELP = `Usage: openresponses check [options]

Checks a server against the Open Responses specification: ${SCENARIOS.length} scenarios over HTTP and
WebSocket, every exchange judged by every rule that applies (H, S1–S9, W, E, X, P), each finding named by
rule id. Without --base-url (or OPENRESPONSES_BASE_URL) it checks the built-in model.
Exit codes: 0 compliant (warnings allowed), 1 a MUST broken, 2 usage error, server unreachable or
credentials refused.

Server:
  --base-url <url>        Base URL, e.g. http://127.0.0.1:8080/v1; a bare origin gets /v1 (env
                          OPENRESPONSES_BASE_URL, then OPENAI_BASE_URL).
  --api-key <key>         The credential (env OPENRESPONSES_API_KEY; OPENAI_API_KEY for OpenAI's URL
                          or OPENAI_BASE_URL's).
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
  --json                  Print the report as one JSON object (see docs/cli.md). Without it, the
                          report is printed as the scenarios finish (a progress line on a terminal).
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

/** Prints the human report as the run goes: the header at once, then each scenario as it finishes. */
function liveReport(io: CliIO, label: string, dialect: Dialect, ids: string[], style: Style) {
  const width = idWidth(ids);
  // A progress line redraws itself with escape sequences: a real terminal only, not a dumb one.
  const redraws = isTerminal(io.stdout) && io.env.TERM !== "dumb";
  const progress = redraws ? new Progress(io.stdout, ids.length, style) : undefined;
  io.stdout.write(reportHeader(label, SPEC_VERSION, dialect, style));
  const observer: RunObserver = {
    started: (scenario, index) => progress?.start(index, scenario.id),
    finished: (result) => {
      progress?.clear();
      io.stdout.write(scenarioLines(result, width, style));
    },
  };
  return { observer, stop: () => progress?.clear() };
}

/** Why a finished run is not a pass although nothing failed, for stderr (exit code 2); else undefined. */
function notJudged(report: CheckReport): string | undefined {
  const { summary } = report;
  if (summary.skipped === summary.total) {
    const reason = report.scenarios[0]?.reason ?? "every scenario was skipped";
    return `nothing could be checked (${inertText(reason)}).`;
  }
  if (summary.credentials_refused > 0) {
    return `the server refused the credentials in ${summary.credentials_refused} of ${summary.total} scenarios, so the run is not a pass. Check --api-key (and --auth-header, --auth-scheme).`;
  }
  return undefined;
}

/** A hint when every answer was 404: the base URL is most likely not the API's. */
function notFoundHint(state: RunState, baseURL: string): string | undefined {
  if (state.answers === 0 || state.notFound !== state.answers) return undefined;
  return `every request was answered 404 Not Found: is ${baseURL} the base URL of the API? Requests go to ${baseURL}/responses; most servers serve it under /v1.`;
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
  const server = serverSettings(values, io.env);
  const { apiKey } = server;
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
  const { model } = server;

  // Without a server, the built-in model is served on a loopback port for the run, so WebSocket mode is
  // checked too; it is closed before the report is printed.
  const builtIn =
    server.baseURL === undefined
      ? await serve({ handler: createResponsesHandler({ model: mockModel() }), port: 0, host: "127.0.0.1" })
      : undefined;
  let live: ReturnType<typeof liveReport> | undefined;
  try {
    const baseURL = builtIn ? `${builtIn.url}/v1` : (server.baseURL as string);
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
    const state = newRunState();
    const style = styleFor(io.stdout, io.env);
    live = values.json
      ? undefined
      : liveReport(
          io,
          target.label,
          dialect,
          scenarios.map((scenario) => scenario.id),
          style,
        );
    const report = await runScenarios({
      target,
      scenarios,
      limits,
      dialect,
      recorder: recordDir ? new Recorder(recordDir) : undefined,
      observer: live?.observer,
      state,
    });
    live?.stop();
    const junit = stringOption(values, "junit");
    if (junit) await writeFile(junit, junitReport(report), "utf8");
    io.stdout.write(
      values.json ? `${JSON.stringify(report, null, 2)}\n` : reportFooter(report.summary, style),
    );
    const hint = notFoundHint(state, target.label);
    if (hint) io.stderr.write(`openresponses check: ${hint}\n`);
    // A wrong key, or a run where nothing was judged, must not look like a pass in CI: exit code 2.
    const why = notJudged(report);
    if (why) {
      io.stderr.write(`openresponses check: ${why}\n`);
      return EXIT_USAGE;
    }
    return report.summary.compliant ? EXIT_OK : EXIT_FAILURE;
  } catch (error) {
    live?.stop();
    if (error instanceof Unreachable) {
      io.stderr.write(`openresponses check: ${inertText(error.message)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await builtIn?.close();
  }
}
