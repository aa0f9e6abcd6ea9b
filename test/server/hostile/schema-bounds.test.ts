/**
 * The built-in model fills `text.format` schemas from the request: a hostile schema must cost work and
 * output in proportion to the request, and other clients must be served meanwhile. Against a child
 * process running `serve()` with the built-in model, so a frozen event loop shows as a late answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureChild, startFixture } from "./child.js";

let fixture: FixtureChild;
beforeAll(async () => {
  fixture = await startFixture("mock-server.ts", { heapMb: 192 });
});
afterAll(() => fixture.stop());

const properties = (count: number, schema: unknown) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`field_${i}`, schema]));

function post(body: unknown, timeoutMs = 30_000): Promise<Response> {
  return fetch(`${fixture.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

describe("P5: a hostile json_schema does not hold up the server", () => {
  it("a ~200 KB schema whose properties all $ref one large enum: another client is answered meanwhile", async () => {
    const options = Array.from({ length: 10_000 }, (_, i) => `option_number_${i}`);
    const body = {
      input: "pick one",
      stream: true,
      text: {
        format: {
          type: "json_schema",
          name: "picks",
          schema: {
            type: "object",
            properties: properties(2000, { $ref: "#/$defs/pick" }),
            $defs: { pick: { enum: options } },
          },
        },
      },
    };
    expect(JSON.stringify(body).length).toBeGreaterThan(200_000);
    const hostile = Array.from({ length: 3 }, () => post(body).then((answer) => answer.text()));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = Date.now();
    const other = await post({ input: "hi" }, 10_000);
    expect(other.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    for (const text of await Promise.all(hostile)) expect(text).toContain("response.completed");
    expect(fixture.exited()).toBeNull();
  }, 60_000);

  it("strings $ref-ing { minLength: 1e9 }: a 3.5 KB request streams a bounded answer, not megabytes", async () => {
    const body = {
      input: "hi",
      stream: true,
      text: {
        format: {
          type: "json_schema",
          name: "long",
          schema: {
            type: "object",
            properties: properties(70, { $ref: "#/$defs/long" }),
            required: Object.keys(properties(70, 0)),
            $defs: { long: { type: "string", minLength: 1e9 } },
          },
        },
      },
    };
    expect(JSON.stringify(body).length).toBeLessThan(4000);
    const answer = await post(body);
    const sse = await answer.text();
    // Before the bound: 22 MB of SSE. Now about 32 KB of JSON, in 12-character deltas with their framing.
    expect(sse.length).toBeLessThan(2 * 1024 * 1024);
    const done = sse
      .split("\n")
      .find((line) => line.startsWith("data: ") && line.includes('"response.output_text.done"'));
    const text = (JSON.parse(done?.slice(6) ?? "{}") as { text?: string }).text ?? "";
    expect(() => JSON.parse(text)).not.toThrow();
    expect(text.length).toBeLessThan(40_000);
  }, 60_000);

  it("max_output_tokens ends a large structured answer incomplete, after that many deltas", async () => {
    const answer = await post({
      input: "hi",
      max_output_tokens: 16,
      text: {
        format: {
          type: "json_schema",
          name: "long",
          schema: {
            type: "object",
            properties: properties(50, { type: "string", minLength: 1e9 }),
            required: Object.keys(properties(50, 0)),
          },
        },
      },
    });
    const resource = (await answer.json()) as { status: string; usage: { output_tokens: number } };
    expect(resource.status).toBe("incomplete");
    expect(resource.usage.output_tokens).toBeLessThanOrEqual(16);
  }, 30_000);
});
