/** Error bodies (E1/E2), compaction (H2, W6) and credentials, over HTTP. */

import { httpExchange } from "../http-exchange.js";
import { outputOf, user } from "./helpers.js";
import type { Scenario } from "./scenario.js";

const CONVERSATION = [
  user("My name is Ada and I like lighthouses."),
  { type: "message", role: "assistant", content: "Nice to meet you, Ada. Lighthouses are lovely." },
  user("I live in Brest."),
];

export const httpErrors: Scenario[] = [
  {
    id: "malformed-request",
    transport: "http",
    title: "a malformed body gets 400 with a spec error object",
    rules: ["E1", "E2"],
    async run(ctx) {
      await ctx.expectError("/responses", ctx.body({ input: 42 }), "`input: 42`", { statuses: [400] });
      await ctx.expectError(
        "/responses",
        ctx.body({ input: 42, stream: true }),
        "`input: 42` with stream: true",
        { statuses: [400] },
      );
      await ctx.expectError("/responses", undefined, "a body that is not JSON", {
        statuses: [400],
        rawBody: '{"input": "hi",',
      });
    },
  },
  {
    id: "unknown-previous-response",
    transport: "http",
    title: "an unknown previous_response_id gets a spec error",
    rules: ["E1", "E2", "P1"],
    async run(ctx) {
      await ctx.expectError(
        "/responses",
        ctx.body({ input: "hello", previous_response_id: "resp_openresponses_check_unknown" }),
        "an unknown previous_response_id",
        { statuses: [400, 404] },
      );
    },
  },
  {
    id: "compact",
    transport: "http",
    title: "/responses/compact returns a CompactResource",
    rules: ["H2"],
    async run(ctx) {
      const compacted = await ctx.compact({ input: CONVERSATION }, "compaction");
      if (compacted && compacted.object !== "response.compaction") {
        ctx.findings.fail(
          "H2",
          `The CompactResource's object is ${JSON.stringify(compacted.object)}, not "response.compaction".`,
        );
      }
    },
  },
  {
    id: "compact-new-chain",
    transport: "http",
    title: "a new chain from the compacted output (W6)",
    rules: ["W6", "H2"],
    async run(ctx) {
      const compacted = await ctx.compact({ input: CONVERSATION }, "compaction");
      if (!compacted) return;
      const base = outputOf(compacted);
      const next = await ctx.createJSON(
        { input: [...base, user("Where do I live?")] },
        "the new chain's first turn",
      );
      if (next && next.previous_response_id !== null && next.previous_response_id !== undefined) {
        ctx.findings.fail(
          "W6",
          "A new chain without previous_response_id got one in its answer.",
          next.previous_response_id,
        );
      }
    },
  },
  {
    id: "compact-without-model",
    transport: "http",
    title: "compaction without `model` gets 400 or 422",
    rules: ["H2", "E1"],
    async run(ctx) {
      await ctx.expectError(
        "/responses/compact",
        { input: CONVERSATION },
        "a compaction request without model",
        { statuses: [400, 422], acceptedRule: "H2" },
      );
    },
  },
  {
    id: "auth-required",
    transport: "http",
    title: "a request without the credential gets 401 with a spec error",
    rules: ["H1", "E1"],
    async run(ctx) {
      if (!ctx.target.hasCredential) ctx.skip("no --api-key given, so there is no credential to leave out");
      const headers = Object.fromEntries(
        Object.entries(ctx.target.headers).filter(([name]) => !ctx.target.secretHeaders.has(name)),
      );
      const result = await httpExchange(
        { ...ctx.target, headers },
        "/responses",
        ctx.body({ input: "hello" }),
        { signal: ctx.signal, limits: ctx.limits, sse: false },
      );
      ctx.exchanges.push(result.record);
      if (result.status === null) {
        ctx.findings.fail(
          "NETWORK",
          `A request without the credential got no answer (${result.error ?? "unknown"}).`,
        );
        return;
      }
      if (result.status >= 200 && result.status < 300) ctx.skip("the server does not require a credential");
      if (result.status !== 401 && result.status !== 403) {
        ctx.findings.warn("E2", `A request without the credential got HTTP ${result.status}, not 401.`);
      }
      ctx.errorBody(result, `the HTTP ${result.status} answer`);
    },
  },
];
