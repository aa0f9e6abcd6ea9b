/**
 * The event writer and the client's accumulator are two halves of one model: random model outputs go
 * through the writer, over SSE on a real loopback socket, into the client, and come back as the same
 * items; and the protocol checker in strict mode finds no violation in anything the writer produces.
 */

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses } from "../../../src/client/index.js";
import { ResponseStreamError } from "../../../src/errors.js";
import {
  createMemoryStore,
  createResponsesHandler,
  type RunningServer,
  serve,
} from "../../../src/server/index.js";
import type { ModelPart } from "../../../src/server/model.js";
import type { CreateResponseBody, ResponseResource, StreamingEvent } from "../../../src/spec/index.js";
import {
  ProtocolChecker,
  ResponseAccumulator,
  type ResponseStreamEvent,
} from "../../../src/streaming/index.js";
import { testEngine } from "./helpers.js";

const text = fc.string({ unit: "binary", maxLength: 12 });

const part: fc.Arbitrary<ModelPart> = fc.oneof(
  { weight: 10, arbitrary: text.map((delta) => ({ type: "text" as const, delta })) },
  text.map((delta) => ({ type: "refusal" as const, delta })),
  fc.record({
    type: fc.constant("annotation" as const),
    annotation: fc.record({
      type: fc.constant("url_citation" as const),
      url: fc.webUrl(),
      start_index: fc.nat(50),
      end_index: fc.nat(50),
      title: text,
    }),
  }),
  fc
    .constantFrom("commentary" as const, "final_answer" as const)
    .map((phase) => ({ type: "phase" as const, phase })),
  { weight: 3, arbitrary: text.map((delta) => ({ type: "reasoning" as const, delta })) },
  fc
    .record({ delta: text, summaryIndex: fc.option(fc.nat(2), { nil: undefined }) })
    .map(({ delta, summaryIndex }) => ({ type: "reasoning_summary" as const, delta, summaryIndex })),
  text.map((encryptedContent) => ({ type: "reasoning_encrypted" as const, encryptedContent })),
  fc
    .record({ name: fc.constantFrom("alpha", "beta", "gamma"), args: fc.json({ maxDepth: 2 }) })
    .map(({ name, args }) => ({ type: "function_call" as const, name, arguments: args })),
  fc
    .record({ note: text, count: fc.integer() })
    .map((fields) => ({ type: "item" as const, item: { type: "acme:note" as const, ...fields } })),
  text.map((encryptedContent) => ({ type: "compaction" as const, encryptedContent })),
  fc.constant({ type: "end_item" as const }),
  fc.constant({ type: "usage" as const, usage: { input_tokens: 7 } }),
  { weight: 1, arbitrary: fc.constant({ type: "incomplete" as const, reason: "max_output_tokens" }) },
);

/**
 * A piece of a function call streamed in pieces: `piecesOf` turns a list of these into valid parts
 * (a start the first time a key is seen, then deltas, an end when asked), so calls interleave.
 */
interface CallPiece {
  type: "call_piece";
  key: "k0" | "k1" | "k2";
  name: string;
  delta: string;
  end: boolean;
}
const callPiece: fc.Arbitrary<CallPiece> = fc.record({
  type: fc.constant("call_piece" as const),
  key: fc.constantFrom("k0" as const, "k1" as const, "k2" as const),
  name: fc.constantFrom("alpha", "beta", "gamma"),
  delta: text,
  end: fc.boolean(),
});

function piecesOf(steps: Array<ModelPart | CallPiece>): ModelPart[] {
  const open = new Set<string>();
  const parts: ModelPart[] = [];
  for (const step of steps) {
    if (step.type !== "call_piece") {
      parts.push(step);
      continue;
    }
    if (!open.has(step.key)) {
      open.add(step.key);
      parts.push({ type: "function_call_start", key: step.key, name: step.name });
    }
    parts.push({ type: "function_call_delta", key: step.key, delta: step.delta });
    if (step.end) {
      open.delete(step.key);
      parts.push({ type: "function_call_end", key: step.key });
    }
  }
  return parts;
}

/** A script: parts, optionally ending in a throw (rule S8). */
const script = fc
  .record({
    parts: fc.array(fc.oneof({ weight: 4, arbitrary: part }, { weight: 1, arbitrary: callPiece }), {
      maxLength: 25,
    }),
    throws: fc.boolean(),
  })
  .map(({ parts, throws }) => ({ parts: piecesOf(parts), throws }));

const body: CreateResponseBody = {
  input: "hi",
  // gamma is offered but not allowed, so the tool policy takes part too.
  tools: ["alpha", "beta", "gamma"].map((name) => ({ type: "function" as const, name })),
  tool_choice: {
    type: "allowed_tools",
    tools: [
      { type: "function", name: "alpha" },
      { type: "function", name: "beta" },
    ],
    mode: "auto",
  },
};

function scriptModel(getScript: () => { parts: ModelPart[]; throws: boolean }) {
  return async function* () {
    const { parts, throws } = getScript();
    for (const item of parts) yield item;
    if (throws) throw Object.assign(new Error("scripted failure"), { code: "scripted" });
  };
}

describe("round trip: model parts → writer → accumulator", () => {
  it("S4–S9: strict checker finds nothing; the accumulator rebuilds the terminal snapshot's items", async () => {
    await fc.assert(
      fc.asyncProperty(script, async (current) => {
        const run = await testEngine(scriptModel(() => current)).run(body);
        if (!run.ok) throw new Error("run failed");
        const events: StreamingEvent[] = [];
        for await (const event of run.events) events.push(event);

        const checker = new ProtocolChecker({ strict: true });
        const accumulator = new ResponseAccumulator();
        for (const event of events.slice(0, -1)) {
          checker.check(event as ResponseStreamEvent);
          accumulator.apply(event as ResponseStreamEvent);
        }
        const rebuilt = structuredClone(accumulator.snapshot.output);
        const terminal = events.at(-1) as Extract<StreamingEvent, { type: "response.completed" }>;
        checker.check(terminal as ResponseStreamEvent);
        checker.finish();
        expect(checker.violations).toEqual([]);
        expect(rebuilt).toEqual(terminal.response.output);
        accumulator.apply(terminal as ResponseStreamEvent);
        expect(accumulator.differences).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe("round trip over a loopback socket: serve() → SSE → OpenResponses client (strict)", () => {
  let current = { parts: [] as ModelPart[], throws: false };
  const store = createMemoryStore();
  let server: RunningServer;

  beforeAll(async () => {
    server = await serve({
      handler: createResponsesHandler({ model: scriptModel(() => current), store }),
      port: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("the client's final response has the same items the server's writer produced", async () => {
    const client = new OpenResponses({
      baseURL: `${server.url}/v1`,
      apiKey: "test-key",
      maxRetries: 0,
      strict: true,
    });
    await fc.assert(
      fc.asyncProperty(script, async (next) => {
        current = next;
        const stream = await client.responses.stream(body);
        let final: ResponseResource;
        try {
          final = await stream.finalResponse();
        } catch (error) {
          // A failed response (S8) rejects, carrying what was streamed.
          if (!(error instanceof ResponseStreamError) || error.partialResponse === null) throw error;
          expect(error.kind).toMatch(/error_event|response_failed/);
          final = error.partialResponse;
        }
        const written = (await store.get(final.id))?.response;
        expect(written).toBeDefined();
        expect(final.output).toEqual(written?.output);
        expect(final.status).toBe(written?.status);
        expect(stream.violations).toEqual([]);
        expect(stream.differences).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
