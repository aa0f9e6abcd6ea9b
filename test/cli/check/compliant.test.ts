/**
 * Zero false failures: streams that follow the specification the way real servers write them (CRLF,
 * comment lines, extra fields, extension items and events, OpenAI's reasoning names) get no fail.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FindingList } from "../../../src/cli/check/findings.js";
import { SCENARIOS } from "../../../src/cli/check/scenarios/index.js";
import { StreamRules } from "../../../src/cli/check/stream-rules.js";
import { type BrokenServer, brokenServer, type Loose, renumber, toSSE } from "./broken-server.js";
import { loadRecordings, replayServer } from "./replay-server.js";
import { failures, runCheckJSON } from "./support.js";

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** The kit's stream, dressed the way real servers send it, with an X1-prefixed item and event added. */
function realLooking(events: Loose[]): Loose[] {
  const terminalAt = events.findIndex((event) => TERMINAL.has(event.type as string));
  const terminal = events[terminalAt] as Loose;
  const response = terminal.response as Loose;
  const output = response.output as Loose[];
  // A prefixed item holding a prefixed content part (X1 both).
  const thing = {
    type: "acme:thing",
    id: "thing_1",
    status: "completed",
    content: [{ type: "acme:chart", series: [1, 2, 3] }],
    payload: { score: 0.9 },
  };
  // S9: nothing may follow an incomplete item, so the extension item joins completed responses only.
  const completed = response.status === "completed";
  const extra: Loose[] = [{ type: "acme:trace_event", sequence_number: 0, span: "retrieval" }];
  if (completed)
    extra.push(
      {
        type: "response.output_item.added",
        sequence_number: 0,
        output_index: output.length,
        item: { ...thing, status: "in_progress" },
      },
      { type: "response.output_item.done", sequence_number: 0, output_index: output.length, item: thing },
    );
  const dressed = events
    .slice(0, terminalAt)
    .map((event) =>
      (event.type as string).endsWith(".delta") ? { ...event, obfuscation: "x9Q", logprobs: [] } : event,
    );
  const finalResponse = {
    ...response,
    output: completed ? [...output, thing] : output,
    completed_at: response.completed_at ?? 1,
    acme_region: "eu",
  };
  return renumber([
    ...dressed,
    ...extra,
    { ...terminal, response: finalResponse },
    ...events.slice(terminalAt + 1),
  ]);
}

describe("check: compliant streams are not failed", () => {
  let server: BrokenServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("X1/X2/X4: a prefixed item and event, extra fields, CRLF and comment lines pass", async () => {
    server = await brokenServer({
      sse: (events) => toSSE(realLooking(events), { lineEnding: "\r\n", prefix: ": keep-alive\r\n" }),
    });
    const { code, report } = await runCheckJSON([
      "--base-url",
      server.url,
      "--model",
      "m",
      "--only",
      "streaming-response,streaming-tool-call,streaming-incomplete",
    ]);
    expect(failures(report)).toEqual([]);
    expect(report.scenarios.map((scenario) => scenario.status)).toEqual(["pass", "pass", "pass"]);
    expect(code).toBe(0);
  });

  it("recorded exchanges of every scenario, replayed by another server, are judged exactly as the live run", async () => {
    const dir = await mkdtemp(join(tmpdir(), "openresponses-replay-"));
    try {
      server = await brokenServer();
      // store: false responses must not be found on a new connection; a replay has no memory, so the
      // WebSocket scenarios replay their recorded frames as they were.
      const live = await runCheckJSON([
        "--base-url",
        server.url,
        "--model",
        "openresponses-mock",
        "--record",
        dir,
      ]);
      const replay = await replayServer(
        await loadRecordings(
          dir,
          SCENARIOS.map((scenario) => scenario.id),
        ),
      );
      try {
        const replayed = await runCheckJSON(["--base-url", replay.url, "--model", "openresponses-mock"]);
        const outcome = (run: typeof live) =>
          run.report.scenarios.map((scenario) => [
            scenario.id,
            scenario.status,
            scenario.findings.map((finding) => finding.rule),
          ]);
        expect(outcome(replayed)).toEqual(outcome(live));
        expect(replayed.code).toBe(live.code);
      } finally {
        await replay.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Two whole check runs: about 3 s on a busy machine, past the default 20 s when its cores are
    // shared by many processes. A scenario that hangs still fails at its own 30 s deadline.
  }, 60_000);

  it("a model that cannot reason declines `reasoning` with a 400: the scenario is skipped with why, not failed", async () => {
    server = await brokenServer({
      raw: (_req, res, body) => {
        if (!body.includes('"reasoning"')) return false;
        res.writeHead(400, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            error: {
              message: "reasoning is not supported by this model",
              type: "invalid_request",
              param: "reasoning",
              code: "unsupported_parameter",
            },
          }),
        );
        return true;
      },
    });
    const { code, report } = await runCheckJSON([
      "--base-url",
      server.url,
      "--only",
      "streaming-reasoning,basic-response",
    ]);
    expect(report.scenarios.map((scenario) => [scenario.id, scenario.status])).toEqual([
      ["basic-response", "pass"],
      ["streaming-reasoning", "skip"],
    ]);
    expect(report.scenarios[1]?.reason).toBe(
      "the server declined the reasoning parameter (its model may not reason) (HTTP 400)",
    );
    expect(code).toBe(0);
  });

  it("a hosted-tool item without a prefix is an X1 warning, not a failure", async () => {
    server = await brokenServer({
      sse: (events) => {
        const at = events.findIndex((event) => TERMINAL.has(event.type as string));
        const terminal = events[at] as Loose;
        const response = terminal.response as Loose;
        const output = response.output as Loose[];
        const search = { type: "web_search_call", id: "ws_1", status: "completed" };
        return toSSE(
          renumber([
            ...events.slice(0, at),
            {
              type: "response.output_item.added",
              output_index: output.length,
              item: { ...search, status: "in_progress" },
            },
            { type: "response.web_search_call.searching", output_index: output.length, item_id: "ws_1" },
            { type: "response.output_item.done", output_index: output.length, item: search },
            { ...terminal, response: { ...response, output: [...output, search] } },
          ]),
        );
      },
    });
    const { code, report } = await runCheckJSON(["--base-url", server.url, "--only", "streaming-response"]);
    expect(failures(report)).toEqual([]);
    expect(report.scenarios[0]?.status).toBe("warn");
    expect(report.summary.rules_warned).toEqual(["X1"]);
    expect(code).toBe(0);
  });

  it("--dialect openai: a stream without [DONE] is an S3 warning; without the flag it is a failure", async () => {
    server = await brokenServer({ sse: (events) => toSSE(events, { done: false }) });
    const openai = await runCheckJSON([
      "--base-url",
      server.url,
      "--only",
      "streaming-response",
      "--dialect",
      "openai",
    ]);
    expect(openai.report.dialect).toBe("openai");
    expect(openai.report.summary.rules_warned).toEqual(["S3"]);
    expect(openai.code).toBe(0);
    const spec = await runCheckJSON(["--base-url", server.url, "--only", "streaming-response"]);
    expect(spec.report.summary.rules_failed).toEqual(["S3"]);
  });

  it("OpenAI's response.reasoning_text.* names are an S7 warning and still checked as reasoning events", () => {
    const findings = new FindingList();
    const rules = new StreamRules(findings);
    const response = (status: string, output: unknown[]) => ({
      id: "resp_1",
      object: "response",
      status,
      output,
    });
    const reasoning = {
      type: "reasoning",
      id: "rs_1",
      summary: [],
      content: [{ type: "reasoning_text", text: "hm" }],
      status: "completed",
    };
    const stream: Loose[] = [
      { type: "response.created", response: response("in_progress", []) },
      {
        type: "response.output_item.added",
        output_index: 0,
        item: { type: "reasoning", id: "rs_1", summary: [], status: "in_progress" },
      },
      {
        type: "response.content_part.added",
        output_index: 0,
        item_id: "rs_1",
        content_index: 0,
        part: { type: "reasoning_text", text: "" },
      },
      {
        type: "response.reasoning_text.delta",
        output_index: 0,
        item_id: "rs_1",
        content_index: 0,
        delta: "hm",
      },
      {
        type: "response.reasoning_text.done",
        output_index: 0,
        item_id: "rs_1",
        content_index: 0,
        text: "hm",
      },
      {
        type: "response.content_part.done",
        output_index: 0,
        item_id: "rs_1",
        content_index: 0,
        part: { type: "reasoning_text", text: "hm" },
      },
      { type: "response.output_item.done", output_index: 0, item: reasoning },
      { type: "response.completed", response: response("completed", [reasoning]) },
    ];
    for (const event of renumber(stream)) rules.event(event);
    rules.end();
    const list = findings.close();
    const byRule = list.map((finding) => `${finding.severity} ${finding.rule}`);
    expect(byRule.filter((entry) => entry.startsWith("warn S7"))).toHaveLength(2);
    // Only the names are reported: the snapshot's schema is judged elsewhere, the lifecycle is intact.
    expect(
      list
        .filter((finding) => finding.severity === "fail" && finding.rule !== "S5")
        .map((finding) => finding.message),
    ).toEqual([]);
  });
});
