/** What a recovering session rebuilds: a chain's full context, from its first turn (W9) or compacted window (W6). */

import { describe, expect, it } from "vitest";
import type { CreateResponseBody, ResponseResource } from "../../src/spec/index.js";
import { TurnHistory } from "../../src/websocket/history.js";

function response(id: string, text: string): ResponseResource {
  const message = {
    type: "message",
    id: `msg_${id}`,
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text, annotations: [], logprobs: [] }],
  };
  return { id, output: [message] } as unknown as ResponseResource;
}

describe("TurnHistory", () => {
  it("W6/W9: a chain that starts from a compacted window rebuilds as window + newest items + outputs", () => {
    const history = new TurnHistory();
    const window = [{ type: "compaction", id: "cmp_1", encrypted_content: "opaque" }];
    const first: CreateResponseBody = {
      input: [...window, { type: "message", role: "user", content: "newest" }] as never,
      store: false,
    };
    history.record(first, response("resp_1", "one"), 1);
    const second: CreateResponseBody = { input: "next", previous_response_id: "resp_1", store: false };
    history.record(second, response("resp_2", "two"), 1);

    expect(history.contextOf("resp_2")).toEqual([
      ...window,
      { type: "message", role: "user", content: "newest" },
      {
        type: "message",
        id: "msg_resp_1",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: "one", annotations: [] }],
      },
      { type: "message", role: "user", content: [{ type: "input_text", text: "next" }] },
      {
        type: "message",
        id: "msg_resp_2",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: "two", annotations: [] }],
      },
    ]);
    expect(history.isStored("resp_2")).toBe(false);
    expect(history.connectionOf("resp_2")).toBe(1);
  });

  it("a chain that starts at a response the session never saw cannot be rebuilt", () => {
    const history = new TurnHistory();
    history.record({ input: "x", previous_response_id: "resp_elsewhere" }, response("resp_3", "three"), 1);
    expect(history.contextOf("resp_3")).toBeNull();
    expect(history.contextOf("resp_unknown")).toBeNull();
    expect(history.isStored("resp_3")).toBe(true);
  });

  it("W9: a response the server answered with store: false (its store was down) is rebuilt, not continued by id", () => {
    const history = new TurnHistory();
    const unstored = { ...response("resp_4", "four"), store: false } as ResponseResource;
    history.record({ input: "x", store: true }, unstored, 1);
    expect(history.isStored("resp_4")).toBe(false);
  });
});
