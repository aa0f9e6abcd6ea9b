/** The specification's own compliance scenarios, over HTTP: text, streaming, system prompt, image, history, phase. */

import type { ScenarioContext } from "../scenario-context.js";
import { outputOf, outputText, TINY_PNG, user } from "./helpers.js";
import type { Scenario } from "./scenario.js";

function expectMessage(
  ctx: ScenarioContext,
  resource: Record<string, unknown> | undefined,
  what: string,
): void {
  if (!resource) return;
  if (resource.status === "completed" && !outputOf(resource).some((item) => item.type === "message")) {
    ctx.findings.fail(
      "H2",
      `${what}: a completed response to a plain prompt holds no message item.`,
      resource.output,
    );
  }
}

export const httpBasics: Scenario[] = [
  {
    id: "basic-response",
    transport: "http",
    title: "a basic text response",
    rules: ["H1", "H2", "H3", "I1", "I2"],
    async run(ctx) {
      const resource = await ctx.createJSON({ input: "Say hello in one short sentence." }, "basic response");
      expectMessage(ctx, resource, "basic response");
    },
  },
  {
    id: "streaming-response",
    transport: "http",
    title: "a streaming response",
    rules: ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"],
    async run(ctx) {
      const stream = await ctx.createStream({ input: "Count from 1 to 5." }, "streaming response");
      if (stream.response) ctx.resource(stream.response, "the terminal snapshot");
    },
  },
  {
    id: "system-prompt",
    transport: "http",
    title: "a system prompt in the input",
    rules: ["H2", "I1"],
    async run(ctx) {
      const resource = await ctx.createJSON(
        {
          input: [
            { type: "message", role: "system", content: "You are a terse assistant. Answer in one word." },
            user("What colour is the sky?"),
          ],
        },
        "system prompt",
      );
      expectMessage(ctx, resource, "system prompt");
    },
  },
  {
    id: "instructions",
    transport: "http",
    title: "`instructions` instead of a system message",
    rules: ["H2"],
    async run(ctx) {
      const resource = await ctx.createJSON(
        { instructions: "Answer in one word.", input: "Name a fruit." },
        "instructions",
      );
      expectMessage(ctx, resource, "instructions");
    },
  },
  {
    id: "image-input",
    transport: "http",
    title: "image input (input_image with a data URL)",
    rules: ["H2", "I3"],
    async run(ctx) {
      const resource = await ctx.createJSON(
        {
          input: [
            {
              type: "message",
              role: "user",
              content: [
                { type: "input_text", text: "What is in this image? One sentence." },
                { type: "input_image", image_url: TINY_PNG, detail: "low" },
              ],
            },
          ],
        },
        "image input",
      );
      expectMessage(ctx, resource, "image input");
    },
  },
  {
    id: "multi-turn",
    transport: "http",
    title: "a conversation sent as history (assistant and user messages)",
    rules: ["H2", "I1"],
    async run(ctx) {
      const resource = await ctx.createJSON(
        {
          input: [
            user("My name is Ada."),
            { type: "message", role: "assistant", content: "Nice to meet you, Ada." },
            user("What is my name?"),
          ],
        },
        "multi-turn",
      );
      expectMessage(ctx, resource, "multi-turn");
    },
  },
  {
    id: "previous-response",
    transport: "http",
    title: "a follow-up turn with previous_response_id",
    rules: ["P1", "H2"],
    async run(ctx) {
      const first = await ctx.createJSON(
        { input: "My name is Ada. Reply with one word.", store: true },
        "first turn",
      );
      if (!first || typeof first.id !== "string") return;
      const second = await ctx.createJSON(
        { input: "What is my name?", previous_response_id: first.id, store: true },
        "follow-up turn",
      );
      if (second && second.previous_response_id !== first.id) {
        ctx.findings.fail(
          "P1",
          `The follow-up's previous_response_id is ${JSON.stringify(second.previous_response_id)}, not "${first.id}".`,
        );
      }
      expectMessage(ctx, second, "follow-up turn");
    },
  },
  {
    id: "assistant-phase",
    transport: "http",
    title: "assistant messages with phase (commentary, final_answer)",
    rules: ["I4", "H2"],
    async run(ctx) {
      const resource = await ctx.createJSON(
        {
          input: [
            user("Plan, then answer: what is 2 + 2?"),
            { type: "message", role: "assistant", phase: "commentary", content: "Let me add the numbers." },
            { type: "message", role: "assistant", phase: "final_answer", content: "4" },
            user("And 3 + 3?"),
          ],
        },
        "assistant phase",
      );
      for (const item of outputOf(resource)) {
        if (
          item.type === "message" &&
          item.phase !== undefined &&
          item.phase !== null &&
          item.phase !== "commentary" &&
          item.phase !== "final_answer"
        ) {
          ctx.findings.fail(
            "I4",
            `A message has phase ${JSON.stringify(item.phase)}; the phases are commentary and final_answer.`,
            item,
          );
        }
      }
      expectMessage(ctx, resource, "assistant phase");
    },
  },
  {
    id: "streaming-reasoning",
    transport: "http",
    title: "a streamed answer with reasoning (reasoning text and summary parts)",
    rules: ["S7", "I5", "S6"],
    async run(ctx) {
      const stream = await ctx.createStream(
        { input: "Think it through: what is 17 * 3?", reasoning: { effort: "medium", summary: "auto" } },
        "reasoning stream",
        { refusable: "the server declined the reasoning parameter (its model may not reason)" },
      );
      if (stream.response) ctx.resource(stream.response, "the terminal snapshot");
    },
  },
  {
    id: "streaming-incomplete",
    transport: "http",
    title: "a streamed answer cut by max_output_tokens",
    rules: ["S9", "S5"],
    async run(ctx) {
      const stream = await ctx.createStream(
        { input: "Write a long story about a lighthouse keeper, at least 300 words.", max_output_tokens: 16 },
        "budgeted stream",
      );
      if (stream.response) ctx.resource(stream.response, "the terminal snapshot");
      if (stream.response && stream.response.status === "incomplete") {
        const details = stream.response.incomplete_details as { reason?: unknown } | null | undefined;
        if (!details || typeof details.reason !== "string") {
          ctx.findings.fail(
            "S9",
            "An incomplete response carries no incomplete_details.reason.",
            stream.response.incomplete_details,
          );
        }
      }
      if (outputText(stream.response) === "" && stream.response?.status === "completed") {
        ctx.findings.warn("S9", "A completed budgeted answer has no text.");
      }
    },
  },
];
