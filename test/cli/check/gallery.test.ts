/**
 * The gallery: one deliberately broken server per rule, each checked with `check --json`, which must
 * report exactly that rule as broken (a MUST, so exit code 1) and nothing else.
 */

import { afterEach, describe, expect, it } from "vitest";
import {
  type Breaks,
  type BrokenServer,
  brokenServer,
  type Loose,
  renumber,
  toSSE,
} from "./broken-server.js";
import { failures, runCheckJSON } from "./support.js";

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

function mapTerminal(events: Loose[], change: (response: Loose) => Loose): Loose[] {
  return events.map((event) =>
    TERMINAL.has(event.type as string) ? { ...event, response: change(event.response as Loose) } : event,
  );
}

function firstItem<T extends Loose>(list: unknown, change: (item: Loose) => T): unknown[] {
  return (list as Loose[]).map((item, index) => (index === 0 ? change(item) : item));
}

function envelope(status: number, code: string, message: string): Loose {
  return { type: "error", status, error: { type: "invalid_request", code, message, param: null } };
}

interface Case {
  rule: string;
  what: string;
  only: string;
  breaks: Breaks;
}

const CASES: Case[] = [
  {
    rule: "H2",
    what: "a ResponseResource without created_at",
    only: "basic-response",
    breaks: {
      json: ({ status, body, contentType }) => {
        const { created_at: _dropped, ...rest } = body as Loose;
        return { status, contentType, body: JSON.stringify(rest) };
      },
    },
  },
  {
    rule: "H3",
    what: "a non-streaming answer as text/plain",
    only: "basic-response",
    breaks: {
      json: ({ status, body }) => ({ status, contentType: "text/plain", body: JSON.stringify(body) }),
    },
  },
  {
    rule: "S1",
    what: "no event: lines",
    only: "streaming-response",
    breaks: { sse: (events) => toSSE(events, { eventName: () => undefined }) },
  },
  {
    rule: "S2",
    what: "event: names that differ from the type",
    only: "streaming-response",
    breaks: { sse: (events) => toSSE(events, { eventName: () => "message" }) },
  },
  {
    rule: "S3",
    what: "no [DONE]",
    only: "streaming-response",
    breaks: { sse: (events) => toSSE(events, { done: false }) },
  },
  {
    rule: "S4",
    what: "every sequence_number 0",
    only: "streaming-response",
    breaks: { sse: (events) => toSSE(events.map((event) => ({ ...event, sequence_number: 0 }))) },
  },
  {
    rule: "S5",
    what: "a terminal snapshot with an emptied output",
    only: "streaming-response",
    breaks: { sse: (events) => toSSE(mapTerminal(events, (response) => ({ ...response, output: [] }))) },
  },
  {
    rule: "S6",
    what: "no response.output_item.added",
    only: "streaming-response",
    breaks: {
      sse: (events) => toSSE(renumber(events.filter((event) => event.type !== "response.output_item.added"))),
    },
  },
  {
    rule: "S7",
    what: "no response.content_part.added",
    only: "streaming-response",
    breaks: {
      sse: (events) =>
        toSSE(renumber(events.filter((event) => event.type !== "response.content_part.added"))),
    },
  },
  {
    rule: "S8",
    what: "an error event followed by response.completed",
    only: "streaming-response",
    breaks: {
      sse: (events) => {
        const at = events.findIndex((event) => TERMINAL.has(event.type as string));
        const error = {
          type: "error",
          sequence_number: 0,
          error: { type: "server_error", code: "oops", message: "Something broke.", param: null },
        };
        return toSSE(renumber([...events.slice(0, at), error, ...events.slice(at)]));
      },
    },
  },
  {
    rule: "S9",
    what: "an incomplete item in a completed response",
    only: "streaming-response",
    breaks: {
      sse: (events) =>
        toSSE(
          mapTerminal(
            events.map((event) =>
              event.type === "response.output_item.done"
                ? { ...event, item: { ...(event.item as Loose), status: "incomplete" } }
                : event,
            ),
            (response) => ({
              ...response,
              output: firstItem(response.output, (item) => ({ ...item, status: "incomplete" })),
            }),
          ),
        ),
    },
  },
  {
    rule: "E1",
    what: "HTML error pages",
    only: "malformed-request",
    breaks: {
      json: ({ status, body, contentType }) =>
        status >= 400
          ? { status, contentType: "text/html", body: "<h1>Bad Request</h1>" }
          : { status, contentType, body: JSON.stringify(body) },
    },
  },
  {
    rule: "X1",
    what: "an output item of an un-prefixed unknown type",
    only: "streaming-response",
    breaks: {
      sse: (events) =>
        toSSE(
          mapTerminal(
            events.map((event) =>
              event.item ? { ...event, item: { ...(event.item as Loose), type: "thing" } } : event,
            ),
            (response) => ({
              ...response,
              output: firstItem(response.output, (item) => ({ ...item, type: "thing" })),
            }),
          ),
        ),
    },
  },
  {
    rule: "X1",
    what: "a content part of an un-prefixed unknown type",
    only: "streaming-response",
    breaks: {
      sse: (events) => {
        const retype = (part: unknown) => ({ ...(part as Loose), type: "fancy_text" });
        const retypeItem = (item: Loose) =>
          Array.isArray(item.content) ? { ...item, content: item.content.map(retype) } : item;
        return toSSE(
          mapTerminal(
            events.map((event) => {
              if (event.part) return { ...event, part: retype(event.part) };
              if (event.item) return { ...event, item: retypeItem(event.item as Loose) };
              return event;
            }),
            (response) => ({ ...response, output: (response.output as Loose[]).map(retypeItem) }),
          ),
        );
      },
    },
  },
  {
    rule: "P2",
    what: 'tool_choice "none" ignored',
    only: "tool-choice-none",
    breaks: {
      request: (body) => (body.tool_choice === "none" ? { ...body, tool_choice: "required" } : body),
    },
  },
  {
    rule: "P5",
    what: "text.format ignored",
    only: "structured-output",
    breaks: {
      request: (body) => {
        const { text: _dropped, ...rest } = body;
        return rest;
      },
    },
  },
  {
    rule: "W3",
    what: "a message after the turn, with no turn in flight",
    only: "ws-response",
    breaks: {
      wsServer: (message) =>
        TERMINAL.has(message.type as string)
          ? [message, { ...message, sequence_number: (message.sequence_number as number) + 1 }]
          : [message],
    },
  },
  {
    rule: "W3",
    what: "a response.create refused while another turn is in flight",
    only: "ws-sequential",
    breaks: (() => {
      let inFlight = false;
      return {
        wsClient: (message: Loose) => {
          if (message.type !== "response.create") return undefined;
          if (inFlight) return [envelope(409, "conversation_busy", "A response is already in progress.")];
          inFlight = true;
          return undefined;
        },
        wsServer: (message: Loose) => {
          if (TERMINAL.has(message.type as string)) inFlight = false;
          return [message];
        },
      };
    })(),
  },
  {
    rule: "W4",
    what: "no connection-local memory for store: false",
    only: "ws-continuation",
    breaks: {
      wsClient: (message) =>
        message.previous_response_id
          ? [envelope(400, "previous_response_not_found", "Not found.")]
          : undefined,
    },
  },
  {
    rule: "W5",
    what: "a failed continuation that does not evict the id",
    only: "ws-failed-continuation-evicts",
    // The malformed continuation is refused here, so the kit never sees it and keeps the id.
    breaks: {
      wsClient: (message) =>
        message.previous_response_id && message.input === 42
          ? [envelope(400, "invalid_type", "input must be a string or an array.")]
          : undefined,
    },
  },
  {
    rule: "W6",
    what: "a compacted window refused as input",
    only: "ws-compacted-chain",
    breaks: {
      wsClient: (message) =>
        Array.isArray(message.input) && message.input.some((item) => (item as Loose).type === "compaction")
          ? [envelope(400, "invalid_input", "Unknown item.")]
          : undefined,
    },
  },
  {
    rule: "W7",
    what: "messages after websocket_connection_limit_reached",
    only: "ws-response",
    breaks: {
      wsServer: (message) =>
        TERMINAL.has(message.type as string)
          ? [
              message,
              envelope(400, "websocket_connection_limit_reached", "Limit reached."),
              { type: "response.created", sequence_number: 1000, response: message.response },
            ]
          : [message],
    },
  },
  {
    rule: "W8",
    what: "WebSocket errors without status",
    only: "ws-previous-not-found",
    breaks: {
      wsServer: (message) => {
        if (message.type !== "error") return [message];
        const { status: _dropped, ...rest } = message;
        return [rest];
      },
    },
  },
];

describe("check gallery: one broken rule per server, reported exactly", () => {
  let server: BrokenServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  for (const testCase of CASES) {
    it(`${testCase.rule}: ${testCase.what}`, async () => {
      server = await brokenServer(testCase.breaks);
      const { code, report } = await runCheckJSON([
        "--base-url",
        server.url,
        "--model",
        "openresponses-mock",
        "--only",
        testCase.only,
        "--timeout",
        "10000",
      ]);
      expect(report.summary.rules_failed, failures(report).join("\n")).toEqual([testCase.rule]);
      expect(report.scenarios[0]?.status).toBe("fail");
      const finding = report.scenarios[0]?.findings.find((candidate) => candidate.rule === testCase.rule);
      expect(finding?.severity).toBe("fail");
      expect(finding?.message).not.toBe("");
      expect(code).toBe(1);
    });
  }
});
