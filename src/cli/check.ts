/**
 * `openresponses check`: a small compliance check of a server. It sends a non-streaming and a streaming
 * request through the client, validates what comes back against the specification's schemas, lists
 * every protocol violation by rule id, and checks that a malformed request gets a spec error (E1).
 */

import { APIError, ProtocolError } from "../errors.js";
import { validate } from "../spec/index.js";
import { parseCommandArgs } from "./args.js";
import { describeError } from "./describe-error.js";
import { type CliIO, EXIT_FAILURE, EXIT_OK } from "./io.js";
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS, type Target } from "./target.js";

export const CHECK_HELP = `Usage: openresponses check [options]

Checks that a server speaks the Open Responses protocol: a non-streaming request (H2, H3), a streaming
request (S1–S9, every violation listed by rule), and the error body of a malformed request (E1).
Without --base-url (or OPENRESPONSES_BASE_URL) it checks the built-in model. Exits 1 if a check fails.

Options:
${TARGET_HELP}
  --prompt <text>   What to send (default "echo ping").
  --strict          Use the client's strict mode: the stream stops at the first violation.
  --json            Print the findings as one JSON object.
  -h, --help        Show this help.`;

const OPTIONS = {
  ...TARGET_OPTIONS,
  prompt: { type: "string" },
  strict: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface Finding {
  /** The rule ids the check covers, e.g. "S1-S9". */
  rules: string;
  ok: boolean;
  message: string;
}

function schemaFindings(rules: string, what: string, value: unknown, schema: "ResponseResource"): Finding[] {
  const result = validate(schema, value);
  if (result.valid) return [];
  return result.errors.map((issue) => ({
    rules,
    ok: false,
    message: `${what} does not match ${schema} at ${issue.path || "(root)"}: ${issue.message}`,
  }));
}

async function checkJSON(target: Target, body: Record<string, unknown>): Promise<Finding[]> {
  try {
    const response = await target.client.responses.create({ ...body, stream: false } as never).withResponse();
    const findings: Finding[] = [];
    const type = response.response.headers.get("content-type") ?? "";
    if (!type.includes("application/json")) {
      findings.push({ rules: "H3", ok: false, message: `non-streaming answer has Content-Type "${type}"` });
    }
    const data = response.data as unknown as Record<string, unknown>;
    const { _request_id: _ignored, ...resource } = data;
    findings.push(...schemaFindings("H2", "the non-streaming answer", resource, "ResponseResource"));
    if (findings.length === 0) {
      findings.push({
        rules: "H2 H3",
        ok: true,
        message: `non-streaming create: a valid ResponseResource, status ${String(data.status)}`,
      });
    }
    return findings;
  } catch (error) {
    return [
      {
        rules: "H2",
        ok: false,
        message: `non-streaming create failed: ${describeError(error, target.label)}`,
      },
    ];
  }
}

async function checkStream(target: Target, body: Record<string, unknown>): Promise<Finding[]> {
  try {
    const { data: stream, response } = await target.client.responses.stream(body as never).withResponse();
    const findings: Finding[] = [];
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("text/event-stream")) {
      findings.push({ rules: "S1", ok: false, message: `streaming answer has Content-Type "${type}"` });
    }
    let events = 0;
    for await (const _event of stream) events++;
    const final = await stream.finalResponse();
    for (const violation of stream.violations) {
      const where =
        violation.eventType !== undefined
          ? ` (event ${violation.eventType}${violation.sequenceNumber !== undefined ? ` #${violation.sequenceNumber}` : ""})`
          : "";
      findings.push({ rules: violation.rule, ok: false, message: `${violation.message}${where}` });
    }
    findings.push(...schemaFindings("S5", "the terminal snapshot", final, "ResponseResource"));
    if (findings.length === 0) {
      findings.push({
        rules: "S1-S9",
        ok: true,
        message: `streaming create: ${events} events, no protocol violations, status ${final.status}`,
      });
    }
    return findings;
  } catch (error) {
    if (error instanceof ProtocolError) {
      return [{ rules: error.rule, ok: false, message: `strict mode stopped the stream: ${error.message}` }];
    }
    return [
      {
        rules: "S1-S9",
        ok: false,
        message: `streaming create failed: ${describeError(error, target.label)}`,
      },
    ];
  }
}

async function checkErrorShape(target: Target): Promise<Finding[]> {
  try {
    // `input` must be a string or an array: a number is a malformed request every server must refuse.
    await target.client.responses.create({ model: target.model, input: 42 } as never, { maxRetries: 0 });
    return [{ rules: "E1", ok: false, message: "a malformed request (input: 42) was accepted" }];
  } catch (error) {
    if (!(error instanceof APIError)) {
      return [
        { rules: "E1", ok: false, message: `malformed request: ${describeError(error, target.label)}` },
      ];
    }
    const envelope = (error.body as { error?: unknown } | undefined)?.error;
    const message = (envelope as { message?: unknown } | undefined)?.message;
    if (typeof envelope !== "object" || envelope === null || typeof message !== "string") {
      return [
        {
          rules: "E1",
          ok: false,
          message: `error body for status ${error.status} is not { error: { message, ... } }`,
        },
      ];
    }
    const status = error.status ?? 0;
    return [
      {
        rules: "E1",
        ok: status >= 400 && status < 500,
        message: `a malformed request gets ${status} with a spec error object (type ${error.type ?? "null"})`,
      },
    ];
  }
}

/** Runs every check against a target; usable from tests and other tools. */
export async function runChecks(target: Target, prompt = "echo ping"): Promise<Finding[]> {
  const body: Record<string, unknown> = { input: prompt };
  if (target.model) body.model = target.model;
  return [
    ...(await checkJSON(target, body)),
    ...(await checkStream(target, body)),
    ...(await checkErrorShape(target)),
  ];
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS);
  if (values.help) {
    io.stdout.write(`${CHECK_HELP}\n`);
    return EXIT_OK;
  }
  // Lenient by default so that every violation is listed; --strict shows what a strict client meets.
  const target = resolveTarget(values, io.env, { strict: values.strict === true });
  const prompt = typeof values.prompt === "string" && values.prompt !== "" ? values.prompt : undefined;
  const findings = await runChecks(target, prompt);
  const failed = findings.filter((finding) => !finding.ok).length;
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify({ target: target.label, ok: failed === 0, findings })}\n`);
  } else {
    io.stdout.write(`Checking ${target.label}${target.model ? ` (model ${target.model})` : ""}\n`);
    for (const finding of findings) {
      io.stdout.write(`  ${finding.ok ? "ok  " : "FAIL"}  ${finding.rules.padEnd(6)}  ${finding.message}\n`);
    }
    io.stdout.write(
      failed === 0 ? "All checks passed.\n" : `${failed} problem${failed === 1 ? "" : "s"} found.\n`,
    );
  }
  return failed === 0 ? EXIT_OK : EXIT_FAILURE;
}
