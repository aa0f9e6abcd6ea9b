/** WebSocket mode (W1–W9): the same events as SSE, one turn at a time, connection-local memory. */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import type { ScenarioContext } from "../scenario-context.js";
import type { SessionSequence } from "../stream-rules.js";
import type { WsSession } from "../ws-session.js";
import { outputOf, user } from "./helpers.js";
import type { Scenario } from "./scenario.js";

function responseId(turn: { response: JsonRecord | undefined }): string | undefined {
  const id = turn.response?.id;
  return typeof id === "string" ? id : undefined;
}

/** A turn that must end with a terminal event; a W8 envelope instead is a finding under `rule`. */
async function okTurn(
  ctx: ScenarioContext,
  session: WsSession,
  fields: JsonRecord,
  what: string,
  sequence: SessionSequence,
  rule: string,
) {
  const turn = await ctx.turn(session, fields, what, sequence);
  if (turn.envelope) ctx.findings.fail(rule, `${what}: the server answered with an error.`, turn.envelope);
  if (turn.response) ctx.resource(turn.response, `${what}: the terminal snapshot`);
  return turn;
}

/** A turn that must fail with `previous_response_not_found` (W4, W5, W8). */
async function notFoundTurn(
  ctx: ScenarioContext,
  session: WsSession,
  fields: JsonRecord,
  what: string,
  sequence: SessionSequence,
  rule: string,
) {
  const turn = await ctx.turn(session, fields, what, sequence);
  if (turn.ending === "envelope") {
    const code = (turn.envelope?.error as { code?: unknown } | undefined)?.code;
    if (code !== "previous_response_not_found") {
      ctx.findings.fail(
        rule,
        `${what}: the error's code is ${JSON.stringify(code)}, not "previous_response_not_found".`,
        turn.envelope,
      );
    }
  } else if (turn.ending === "terminal") {
    ctx.findings.fail(
      rule,
      `${what}: the server continued from a response it must not know (${turn.terminal?.type as string}).`,
      turn.response?.id,
    );
  }
  return turn;
}

/**
 * After a turn, nothing arrives until the next `response.create` (W3: one response at a time, none
 * unasked), except `websocket_connection_limit_reached` (W7), after which the server sends nothing more.
 */
async function quietAfterTurn(ctx: ScenarioContext, session: WsSession, what: string): Promise<void> {
  const extra = await session.drainFor(150, ctx.signal);
  let limitReached = false;
  for (const text of extra) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    if (limitReached) {
      ctx.findings.fail(
        "W7",
        `${what}: the server kept sending after websocket_connection_limit_reached.`,
        value,
      );
      return;
    }
    const record = isRecord(value) ? value : undefined;
    if (
      record?.type === "error" &&
      (record.error as { code?: unknown } | undefined)?.code === "websocket_connection_limit_reached"
    ) {
      ctx.envelope(record, what);
      limitReached = true;
      continue;
    }
    ctx.findings.fail(
      "W3",
      `${what}: the server sent a message after the turn ended, with no turn in flight.`,
      value,
    );
    return;
  }
}

export const websocketScenarios: Scenario[] = [
  {
    id: "ws-response",
    transport: "websocket",
    title: "one response over a WebSocket",
    rules: ["W1", "W2", "S4", "S5", "S6", "S7", "S9"],
    async run(ctx) {
      const session = await ctx.openSocket("WebSocket response");
      const sequence: SessionSequence = { last: undefined };
      await okTurn(ctx, session, { input: "Count from 1 to 5." }, "WebSocket turn", sequence, "W2");
      await quietAfterTurn(ctx, session, "WebSocket turn");
    },
  },
  {
    id: "ws-sequential",
    transport: "websocket",
    title: "two response.create sent at once are answered in order, never interleaved",
    rules: ["W3", "S4"],
    async run(ctx) {
      const session = await ctx.openSocket("sequential turns");
      const sequence: SessionSequence = { last: undefined };
      session.send({ type: "response.create", ...ctx.body({ input: "Say one.", store: false }) });
      session.send({ type: "response.create", ...ctx.body({ input: "Say two.", store: false }) });
      const first = await ctx.readTurn(session, "the first of two turns", sequence);
      if (first.ending === "envelope") {
        ctx.findings.fail(
          "W3",
          "The first of two queued response.create messages was refused.",
          first.envelope,
        );
      }
      if (first.ending !== "terminal") return;
      const second = await ctx.readTurn(session, "the second of two turns", sequence);
      if (second.ending === "envelope") {
        ctx.findings.fail(
          "W3",
          "A response.create sent while a turn was in flight was refused instead of queued.",
          second.envelope,
        );
      }
      const ids = [first, second].map(
        (turn) =>
          new Set(
            turn.events
              .map((event) => (event.response as JsonRecord | undefined)?.id)
              .filter((id) => typeof id === "string"),
          ),
      );
      if ((ids[0]?.size ?? 0) > 1 || (ids[1]?.size ?? 0) > 1) {
        ctx.findings.fail("W3", "Events of two responses were interleaved on one connection.", [
          ...(ids[0] ?? []),
          ...(ids[1] ?? []),
        ]);
      } else if (responseId(first) !== undefined && responseId(first) === responseId(second)) {
        ctx.findings.fail(
          "W3",
          "Two response.create messages were answered with the same response.",
          responseId(first),
        );
      }
      if (second.ending === "terminal") await quietAfterTurn(ctx, session, "the second turn");
    },
  },
  {
    id: "ws-continuation",
    transport: "websocket",
    title: "continuation with store: false on the same socket",
    rules: ["W4", "P1"],
    async run(ctx) {
      const session = await ctx.openSocket("continuation");
      const sequence: SessionSequence = { last: undefined };
      const first = await okTurn(
        ctx,
        session,
        { input: "My name is Ada.", store: false },
        "the first turn",
        sequence,
        "W4",
      );
      const id = responseId(first);
      if (!id) return;
      await okTurn(
        ctx,
        session,
        { input: [user("What is my name?")], previous_response_id: id, store: false },
        "the continuation (store: false)",
        sequence,
        "W4",
      );
    },
  },
  {
    id: "ws-previous-not-found",
    transport: "websocket",
    title: "an unknown previous_response_id fails with previous_response_not_found",
    rules: ["W4", "W8"],
    async run(ctx) {
      const session = await ctx.openSocket("unknown previous response");
      const sequence: SessionSequence = { last: undefined };
      const turn = await notFoundTurn(
        ctx,
        session,
        { input: "hello", previous_response_id: "resp_openresponses_check_unknown", store: false },
        "an unknown previous_response_id",
        sequence,
        "W8",
      );
      if (turn.ending !== "envelope") return;
      // The connection stays usable after an error (W8).
      await okTurn(
        ctx,
        session,
        { input: "Say hello.", store: false },
        "a turn after the error",
        sequence,
        "W8",
      );
    },
  },
  {
    id: "ws-failed-continuation-evicts",
    transport: "websocket",
    title: "a failed continuation evicts the id from connection-local memory",
    rules: ["W5", "W4"],
    async run(ctx) {
      const session = await ctx.openSocket("failed continuation");
      const sequence: SessionSequence = { last: undefined };
      const first = await okTurn(
        ctx,
        session,
        { input: "Remember the number 7.", store: false },
        "the first turn",
        sequence,
        "W5",
      );
      const id = responseId(first);
      if (!id) return;
      const failed = await ctx.turn(
        session,
        { input: 42, previous_response_id: id, store: false },
        "a malformed continuation",
        sequence,
      );
      if (failed.ending === "terminal") {
        ctx.findings.fail(
          "W5",
          "A malformed continuation (`input: 42`) was answered with a response instead of an error.",
          failed.response?.id,
        );
        return;
      }
      if (failed.ending !== "envelope") return;
      await notFoundTurn(
        ctx,
        session,
        { input: [user("Which number?")], previous_response_id: id, store: false },
        "a continuation from the evicted id",
        sequence,
        "W5",
      );
    },
  },
  {
    id: "ws-store-false-recovery",
    transport: "websocket",
    title: "after reconnecting, a store: false id is gone; a full-context turn recovers",
    rules: ["W9", "W4", "W8"],
    async run(ctx) {
      const firstSession = await ctx.openSocket("the first connection");
      const first = await okTurn(
        ctx,
        firstSession,
        { input: "My name is Ada.", store: false },
        "the first turn",
        { last: undefined },
        "W9",
      );
      firstSession.close();
      const id = responseId(first);
      if (!id) return;
      const session = await ctx.openSocket("the second connection");
      const sequence: SessionSequence = { last: undefined };
      await notFoundTurn(
        ctx,
        session,
        { input: [user("What is my name?")], previous_response_id: id, store: false },
        "continuing a store: false response on a new connection",
        sequence,
        "W4",
      );
      const history = [
        user("My name is Ada."),
        ...outputOf(first.response)
          .filter((item) => item.type === "message")
          .map((item) => ({ type: "message", role: "assistant", content: textContent(item) })),
        user("What is my name?"),
      ];
      await okTurn(
        ctx,
        session,
        { input: history, store: false },
        "recovery with the full context",
        sequence,
        "W9",
      );
    },
  },
  {
    id: "ws-compacted-chain",
    transport: "websocket",
    title: "a new chain from a compacted window over the WebSocket (W6)",
    rules: ["W6", "W2"],
    async run(ctx) {
      const compacted = await ctx.compact(
        { input: [user("My name is Ada."), { type: "message", role: "assistant", content: "Hello Ada." }] },
        "compaction",
      );
      if (!compacted) return;
      const session = await ctx.openSocket("compacted chain");
      await okTurn(
        ctx,
        session,
        { input: [...outputOf(compacted), user("What is my name?")], store: false },
        "the new chain's first turn",
        { last: undefined },
        "W6",
      );
    },
  },
];

function textContent(item: JsonRecord): string {
  const content = item.content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (typeof (part as JsonRecord).text === "string" ? (part as JsonRecord).text : ""))
    .join("");
}
