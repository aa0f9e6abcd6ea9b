/**
 * A fake Anthropic *model*: a script that answers a Messages request the way a small model would, in
 * the exact streaming format, so whole clients and `openresponses check` can talk to the bridge. Tools
 * offered (and not `none`) and a user's turn last → `tool_use` blocks (two when the prompt names Paris
 * and Rome), input streamed in pieces; a tool result last → text; `output_config.format` → JSON that fits
 * the schema; `max_tokens` ≤ 32 → a cut answer (`max_tokens`); `thinking` → a signed thinking block first.
 */

import type { FakeReply, RecordedRequest } from "../../../support/fake-upstream.js";
import { sseEvent } from "../../../support/fake-upstream.js";
import { valueFor } from "../fake-chat-model.js";
import {
  type AnthropicEvent,
  messageEnd,
  messageStart,
  textBlock,
  thinkingBlock,
  toolUseBlock,
} from "./events.js";

type Json = Record<string, unknown>;

export const FAKE_SIGNATURE = "EqQBCkYIBxgCKkBfake+signature/==";

export function anthropicReply(events: AnthropicEvent[]): FakeReply {
  return { kind: "sse", chunks: events.map((event) => sseEvent(event.type, event)) };
}

export function fakeAnthropicModel(request: RecordedRequest): FakeReply {
  const body = request.body as Json;
  const messages = (body.messages as Json[] | undefined) ?? [];
  const last = messages.at(-1);
  const blocks = Array.isArray(last?.content) ? (last.content as Json[]) : [];
  const prompt = blocks
    .filter((block) => block.type === "text")
    .map((block) => block.text)
    .join(" ");
  const answeredTool = blocks.some((block) => block.type === "tool_result");
  const tools = (body.tools as Array<{ name: string }> | undefined) ?? [];
  const choice = body.tool_choice as { type: string; name?: string } | undefined;
  const events: AnthropicEvent[] = [messageStart()];
  let index = 0;
  if (body.thinking !== undefined)
    events.push(...thinkingBlock(index++, ["Let me work ", "it out."], FAKE_SIGNATURE));
  if (tools.length > 0 && choice?.type !== "none" && last?.role === "user" && !answeredTool) {
    const name = choice?.type === "tool" && choice.name ? choice.name : (tools[0]?.name ?? "tool");
    const cities = /paris/i.test(prompt) && /rome/i.test(prompt) ? ["Paris", "Rome"] : ["Paris"];
    for (const city of cities)
      events.push(...toolUseBlock(index++, `toolu_${city.toLowerCase()}`, name, ['{"city":', `"${city}"}`]));
    return anthropicReply([...events, ...messageEnd("tool_use")]);
  }
  const format = (body.output_config as { format?: { schema?: Json } } | undefined)?.format;
  if (format?.schema !== undefined) {
    const text = JSON.stringify(valueFor(format.schema));
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += 8) pieces.push(text.slice(i, i + 8));
    return anthropicReply([...events, ...textBlock(index, pieces), ...messageEnd("end_turn")]);
  }
  if (typeof body.max_tokens === "number" && body.max_tokens <= 32) {
    events.push(...textBlock(index, ["Once upon a time, ", "a lighthouse keeper"]));
    return anthropicReply([...events, ...messageEnd("max_tokens")]);
  }
  const answer = answeredTool ? "It is 18 °C and clear in Paris." : `You said: ${prompt.slice(0, 60)}`;
  events.push(...textBlock(index, answer.split(/(?<= )/)));
  return anthropicReply([...events, ...messageEnd("end_turn")]);
}
