/**
 * The shared setup of the provider bridges' end-to-end model tests (Anthropic, Gemini): a fake upstream
 * on loopback answering from a script of replies in the provider's own wire format, the kit serving the
 * bridge in front of it (harness.ts), and the client's streaming helpers, which check every event
 * against its schema in exact mode.
 */

import { afterAll, beforeAll, expect } from "vitest";
import type { StreamResponseBody } from "../../../../src/client/responses.js";
import type { ResponseStreamEvent } from "../../../../src/index.js";
import type { Model } from "../../../../src/server/model.js";
import {
  type FakeReply,
  type FakeUpstream,
  type RecordedRequest,
  startFakeUpstream,
} from "../../../support/fake-upstream.js";
import { type BridgeRig, exactIssues, startBridge } from "../harness.js";

/** A function tool both providers' tests call. */
export const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

/** How the fake streams a reply: pauses, and how it ends (`cut`, `hold`). */
export type SseOptions = Partial<Extract<FakeReply, { kind: "sse" }>>;

/** An SSE reply made of the given blocks (`sseData`/`sseEvent`). */
export const sseReply = (chunks: string[], extra: SseOptions = {}): FakeReply => ({
  kind: "sse",
  chunks,
  ...extra,
});

export interface ProviderHarness {
  /** The replies the next upstream requests get, in order; an unscripted request gets a 500. */
  next: FakeReply[];
  /** The fake upstream (there once the suite's `beforeAll` has run). */
  readonly fake: FakeUpstream;
  /** The kit serving the bridge, and the client that talks to it. */
  readonly rig: BridgeRig;
  /** Streams one response and returns every event, each checked against its schema. */
  streamed(body: StreamResponseBody): Promise<ResponseStreamEvent[]>;
  /** Streams a response that fails: the events up to `response.failed`, and what the client threw. */
  streamedFailing(body: StreamResponseBody): Promise<{ events: ResponseStreamEvent[]; error: unknown }>;
  /** The request the upstream received last. */
  lastRequest(): RecordedRequest;
}

/**
 * Starts the fake upstream and the bridge (from `model`, given the fake's URL) before the file's tests
 * and stops both after them.
 */
export function useProviderHarness(model: (upstreamURL: string) => Model): ProviderHarness {
  let fake: FakeUpstream | undefined;
  let rig: BridgeRig | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the provider harness is used before beforeAll ran");
    return value;
  };
  const harness: ProviderHarness = {
    next: [],
    get fake() {
      return started(fake);
    },
    get rig() {
      return started(rig);
    },
    async streamed(body) {
      const events: ResponseStreamEvent[] = [];
      for await (const event of harness.rig.client.responses.stream(body)) {
        expect(exactIssues(event)).toEqual([]);
        events.push(event);
      }
      return events;
    },
    async streamedFailing(body) {
      const events: ResponseStreamEvent[] = [];
      try {
        for await (const event of harness.rig.client.responses.stream(body)) {
          expect(exactIssues(event)).toEqual([]);
          events.push(event);
        }
      } catch (error) {
        return { events, error };
      }
      throw new Error("the stream did not fail");
    },
    lastRequest() {
      const request = harness.fake.requests.at(-1);
      if (request === undefined) throw new Error("the upstream has had no request");
      return request;
    },
  };
  beforeAll(async () => {
    fake = await startFakeUpstream(
      () => harness.next.shift() ?? { kind: "json", status: 500, body: { error: "no reply scripted" } },
    );
    rig = await startBridge(model(fake.url));
  });
  afterAll(async () => {
    await rig?.close();
    await fake?.close();
  });
  return harness;
}

/** The response of the terminal event, the last of `events`. */
export const terminal = (events: ResponseStreamEvent[]) =>
  (events.at(-1) as Extract<ResponseStreamEvent, { type: "response.completed" }>).response;
