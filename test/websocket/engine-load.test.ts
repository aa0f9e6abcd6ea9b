/**
 * The session's engine is a dynamic import made with the first turn. A bundle that cannot load that
 * chunk must not leave turns waiting forever: they fail with the loader's error, and `ready()` rejects.
 */

import { describe, expect, it, vi } from "vitest";
import { ResponsesSocket } from "../../src/websocket/session.js";

// The module loads but cannot start: the same rejection a failed chunk load gives the shell.
vi.mock("../../src/websocket/session-engine.js", () => ({
  SessionEngine: class {
    constructor() {
      throw new Error("chunk could not be loaded");
    }
  },
}));

describe("a session whose engine cannot be loaded", () => {
  it("fails its waiting turns with the reason instead of leaving them pending", async () => {
    const session = new ResponsesSocket({ url: "ws://127.0.0.1:9/v1/responses" });
    const first = session.create({ model: "m", input: "one" });
    const second = session.create({ model: "m", input: "two" });
    await expect(first.finalResponse()).rejects.toThrow(/chunk could not be loaded/);
    await expect(second.finalResponse()).rejects.toThrow(/chunk could not be loaded/);
    expect(session.pending).toBe(0);
    await expect(session.ready()).rejects.toThrow(/chunk could not be loaded/);
    await session.close();
  });
});
