/**
 * A server cannot make `runTools` execute more calls than the request allowed: `parallel_tool_calls:
 * false` runs one call per response, `max_tool_calls` bounds the whole run, and `maxToolCallsPerTurn`
 * (default 64) bounds one response whatever the request says. Calls past a limit are answered with an
 * error output (status `not_run`), never executed. The server here is hostile: it ignores the limits.
 */

import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { OpenResponsesError } from "../../src/errors.js";
import { DEFAULT_MAX_TOOL_CALLS_PER_TURN, tool } from "../../src/tools/index.js";

/** SSE of a response whose output is `output` (created, then completed with it). */
function sse(id: string, output: unknown[]): string {
  const base = { id, object: "response", created_at: 1, model: "m", output: [] as unknown[] };
  const created = {
    type: "response.created",
    sequence_number: 0,
    response: { ...base, status: "in_progress" },
  };
  const completed = {
    type: "response.completed",
    sequence_number: 1,
    response: { ...base, status: "completed", output },
  };
  return [created, completed]
    .map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)
    .join("");
}

/**
 * A client whose server answers the first request with `count` calls to `work`, and every later one with
 * a message: it ignores `parallel_tool_calls` and `max_tool_calls` alike. Records the request bodies.
 */
function hostileClient(count: number, turnsWithCalls = 1) {
  const bodies: Array<Record<string, unknown>> = [];
  const client = new OpenResponses({
    baseURL: "http://hostile.test/v1",
    apiKey: null,
    maxRetries: 0,
    fetch: async (_url, init) => {
      bodies.push(JSON.parse(String(init.body)) as Record<string, unknown>);
      const turn = bodies.length;
      const output =
        turn <= turnsWithCalls
          ? Array.from({ length: count }, (_, index) => ({
              type: "function_call",
              id: `fc_${turn}_${index}`,
              call_id: `call_${turn}_${index}`,
              name: "work",
              arguments: "{}",
              status: "completed",
            }))
          : [
              {
                type: "message",
                id: `msg_${turn}`,
                role: "assistant",
                status: "completed",
                content: [{ type: "output_text", text: "done", annotations: [] }],
              },
            ];
      return new Response(sse(`resp_${turn}`, output), { headers: { "content-type": "text/event-stream" } });
    },
  });
  let runs = 0;
  const work = tool({
    name: "work",
    parameters: { type: "object", properties: {}, additionalProperties: false },
    execute: () => {
      runs += 1;
      return "worked";
    },
  });
  return { client, bodies, work, runs: () => runs };
}

function outputsSent(body: Record<string, unknown>): Array<{ call_id: string; output: string }> {
  return (body.input as Array<{ type: string; call_id: string; output: string }>).filter(
    (item) => item.type === "function_call_output",
  );
}

describe("runTools honours the request's limits and its own per-turn cap", () => {
  it("parallel_tool_calls: false and max_tool_calls: 1 answered with 5000 calls runs the tool once", async () => {
    const { client, bodies, work, runs } = hostileClient(5000);
    const result = await client.responses.runTools(
      { model: "m", input: "go", tools: [work], parallel_tool_calls: false, max_tool_calls: 1 },
      { mode: "resend" },
    );
    expect(runs()).toBe(1);
    expect(result.outputText).toBe("done");
    expect(result.toolCalls.filter((record) => record.status === "ok")).toHaveLength(1);
    expect(result.toolCalls.filter((record) => record.status === "not_run")).toHaveLength(4999);
    // Every call is answered (the conversation stays valid); the ones not run say why.
    const outputs = outputsSent(bodies[1]!);
    expect(outputs).toHaveLength(5000);
    expect(outputs[0]!.output).toBe("worked");
    expect(outputs[1]!.output).toMatch(/not run.*parallel_tool_calls: false/);
  });

  it("max_tool_calls bounds the whole run, across turns", async () => {
    const { client, work, runs } = hostileClient(2, 3);
    const result = await client.responses.runTools({
      model: "m",
      input: "go",
      tools: [work],
      max_tool_calls: 3,
    });
    expect(runs()).toBe(3);
    const notRun = result.toolCalls.filter((record) => record.status === "not_run");
    expect(notRun).toHaveLength(3);
    expect(String(notRun[0]!.output)).toMatch(/max_tool_calls: 3/);
  });

  it(`without request limits, at most maxToolCallsPerTurn (default ${DEFAULT_MAX_TOOL_CALLS_PER_TURN}) calls of one response run`, async () => {
    const first = hostileClient(500);
    await first.client.responses.runTools({ model: "m", input: "go", tools: [first.work] });
    expect(first.runs()).toBe(DEFAULT_MAX_TOOL_CALLS_PER_TURN);

    const second = hostileClient(50);
    const result = await second.client.responses.runTools(
      { model: "m", input: "go", tools: [second.work] },
      { maxToolCallsPerTurn: 5 },
    );
    expect(second.runs()).toBe(5);
    expect(String(result.toolCalls[5]!.output)).toMatch(/maxToolCallsPerTurn/);
  });

  it("maxToolCallsPerTurn must be a whole number ≥ 1", async () => {
    const { client, work } = hostileClient(1);
    await expect(
      client.responses.runTools({ model: "m", input: "go", tools: [work] }, { maxToolCallsPerTurn: 0 }),
    ).rejects.toBeInstanceOf(OpenResponsesError);
  });
});
