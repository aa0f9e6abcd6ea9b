/**
 * Driving a bridge through the kit's handler in process, against a fake upstream on loopback: each
 * turn is sent streaming, every event and the terminal snapshot are validated in exact mode and checked
 * by the strict protocol checker, and the events come back for assertions.
 */

import { expect } from "vitest";
import { createResponsesHandler, type ResponsesHandlerOptions } from "../../../src/server/index.js";
import type { ResponseResource, StreamingEvent } from "../../../src/spec/index.js";
import { ProtocolChecker, type ResponseStreamEvent } from "../../../src/streaming/index.js";
import { bodyIssues, eventIssues } from "../../support/exact-schema.js";
import { parseSSE, post } from "../kit/helpers.js";

export type Handler = ReturnType<typeof createResponsesHandler>;

export function bridgeHandler(
  model: ResponsesHandlerOptions["model"],
  options: Partial<ResponsesHandlerOptions> = {},
) {
  return createResponsesHandler({ model, ...options });
}

export interface Turn {
  status: number;
  events: StreamingEvent[];
  response: ResponseResource;
}

/** One streamed turn; every event validates exactly and the sequence passes the strict checker. */
export async function streamTurn(
  handler: Handler,
  body: object,
  headers: Record<string, string> = {},
): Promise<Turn> {
  const answer = await handler(post("/v1/responses", { ...body, stream: true }, headers));
  expect(answer.headers.get("content-type")).toContain("text/event-stream");
  const blocks = parseSSE(await answer.text());
  expect(blocks.at(-1)?.data).toBe("[DONE]");
  const events = blocks.slice(0, -1).map((block) => JSON.parse(block.data) as StreamingEvent);
  const checker = new ProtocolChecker({ strict: true });
  const problems: string[] = [];
  for (const [index, event] of events.entries()) {
    expect(blocks[index]?.event).toBe(event.type);
    problems.push(...eventIssues(event));
    checker.check(event as ResponseStreamEvent);
  }
  checker.finish();
  expect(problems).toEqual([]);
  const last = events.at(-1) as { response?: ResponseResource } | undefined;
  if (last?.response === undefined) throw new Error("the stream has no terminal event");
  return { status: answer.status, events, response: last.response };
}

/** One JSON turn; the body validates exactly (a resource or an E1 error). */
export async function jsonTurn(handler: Handler, body: object, headers: Record<string, string> = {}) {
  const answer = await handler(post("/v1/responses", body, headers));
  const json = (await answer.json()) as Record<string, unknown>;
  expect(bodyIssues(json)).toEqual([]);
  return { status: answer.status, headers: answer.headers, body: json };
}

export const typesOf = (events: StreamingEvent[]) => events.map((event) => event.type);

/** The text of the response's messages. */
export function outputText(response: ResponseResource): string {
  let text = "";
  for (const item of response.output) {
    if (item.type !== "message") continue;
    for (const part of item.content) if (part.type === "output_text") text += part.text;
  }
  return text;
}
