/**
 * The built-in model works in linear time and bounded memory whatever it is sent: quadratic pattern
 * matching would let "hi" + 100k spaces + "x" block the server for seconds, and an echo costing about
 * half a kilobyte of heap per word would let one large input exhaust the heap.
 */
import { describe, expect, it } from "vitest";
import { createResponsesHandler } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import { MAX_ANALYSED_CHARS } from "../../../src/server/mock/read-conversation.js";
import { MAX_ECHO_CHARS } from "../../../src/server/mock/skills.js";
import { post } from "../kit/helpers.js";
import { startFixture } from "./child.js";

type Resource = { status: string; output: Array<{ content?: Array<{ text?: string }> }> };
const textOf = (resource: Resource) =>
  resource.output
    .flatMap((item) => item.content ?? [])
    .map((part) => part.text ?? "")
    .join("");

describe("the built-in model is linear in its input", () => {
  const handler = createResponsesHandler({ model: mockModel() });

  it.each([
    ["spaces", `hi${" ".repeat(100_000)}x`],
    ["trailing spaces", `hi${" ".repeat(100_000)}`],
    ["punctuation", `hi${"!".repeat(100_000)}x`],
    ["a long clause", `my name is ${"a ".repeat(50_000)}and I live in Oslo`],
    ["digits and operators", "1+".repeat(50_000)],
  ])("%s: 100k characters are answered in well under a second", async (_name, input) => {
    const started = Date.now();
    const response = await handler(post("/v1/responses", { input }));
    expect(response.status).toBe(200);
    expect(((await response.json()) as Resource).status).toBe("completed");
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("the skills still read the start of a long message, whitespace runs read as one space", async () => {
    const response = await handler(
      post("/v1/responses", { input: `what is 12   *  7?${" ".repeat(50_000)}` }),
    );
    expect(textOf((await response.json()) as Resource)).toContain("84");
    expect(MAX_ANALYSED_CHARS).toBe(4096);
  });

  it("echo repeats a message exactly, and at most MAX_ECHO_CHARS of it", async () => {
    const short = await handler(post("/v1/responses", { input: "echo  one two   three " }));
    expect(textOf((await short.json()) as Resource)).toBe("one two   three");
    const words = "ab ".repeat(100_000);
    const long = await handler(post("/v1/responses", { input: `echo ${words}` }));
    const text = textOf((await long.json()) as Resource);
    expect(text.length).toBe(MAX_ECHO_CHARS);
    expect(words.startsWith(text)).toBe(true);
  });
});

describe("echo memory is bounded (child with a 192 MiB heap)", () => {
  it("three concurrent ~6 MB echo requests are answered and the server stays up", async () => {
    const fixture = await startFixture("mock-server.ts", { heapMb: 192 });
    try {
      const input = `echo ${"ab ".repeat(2_000_000)}`;
      const answers = await Promise.all(
        Array.from({ length: 3 }, () =>
          fetch(`${fixture.url}/v1/responses`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ input }),
            signal: AbortSignal.timeout(30_000),
          }),
        ),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(textOf((await answer.json()) as Resource).length).toBe(MAX_ECHO_CHARS);
      }
      expect(fixture.exited()).toBeNull();
    } finally {
      await fixture.stop();
    }
  }, 60_000);
});
