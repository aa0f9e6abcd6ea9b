/**
 * A fake Chat Completions *model*: a script that answers a Chat Completions request the way a small
 * model would, so whole clients and `openresponses check` can talk to a bridge over a fake upstream.
 * Tools offered (and not `none`) and a user's turn last → calls (two in parallel when the prompt names
 * two cities), arguments streamed in pieces; a tool result last → text; `response_format` json_schema →
 * JSON that fits the schema; a small token budget → a cut answer (`length`); `reasoning_effort` →
 * `reasoning_content` first. Every chunk is typed with the `openai` SDK's types.
 */

import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { FakeReply, RecordedRequest } from "../../support/fake-upstream.js";
import { chatStream, chunk } from "./fake-chat.js";

type Json = Record<string, unknown>;

export function fakeChatModel(request: RecordedRequest): FakeReply {
  const body = request.body as Json;
  const messages = (body.messages as Json[] | undefined) ?? [];
  const last = messages.at(-1);
  const prompt = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? "");
  const tools = (body.tools as Array<{ function: { name: string } }> | undefined) ?? [];
  const choice = body.tool_choice as string | { function: { name: string } } | undefined;
  const chunks: ChatCompletionChunk[] = [];
  if (typeof body.reasoning_effort === "string") {
    chunks.push(
      chunk({ reasoning_content: "Let me work it out. " } as never),
      chunk({ reasoning_content: "Done." } as never),
    );
  }
  if (tools.length > 0 && choice !== "none" && last?.role === "user") {
    const name = typeof choice === "object" ? choice.function.name : (tools[0]?.function.name ?? "tool");
    const cities = /paris/i.test(prompt) && /rome/i.test(prompt) ? ["Paris", "Rome"] : ["Paris"];
    cities.forEach((city, index) => {
      chunks.push(
        chunk({
          tool_calls: [
            { index, id: `call_${city.toLowerCase()}`, type: "function", function: { name, arguments: "" } },
          ],
        }),
      );
    });
    cities.forEach((city, index) => {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: '{"city":' } }] }));
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: `"${city}"}` } }] }));
    });
    return chatStream(chunks, "tool_calls");
  }
  const format = body.response_format as { type: string; json_schema?: { schema?: Json } } | undefined;
  if (format?.type === "json_schema" || format?.type === "json_object") {
    const text = JSON.stringify(valueFor(format.json_schema?.schema ?? { type: "object" }));
    for (let i = 0; i < text.length; i += 8) chunks.push(chunk({ content: text.slice(i, i + 8) }));
    return chatStream(chunks);
  }
  const budget = (body.max_tokens ?? body.max_completion_tokens) as number | undefined;
  if (typeof budget === "number" && budget <= 32) {
    chunks.push(chunk({ content: "Once upon a time, " }), chunk({ content: "a lighthouse keeper" }));
    return chatStream(chunks, "length");
  }
  const answer =
    last?.role === "tool" ? "It is 18 °C and clear in Paris." : `You said: ${prompt.slice(0, 60)}`;
  for (const word of answer.split(/(?<= )/)) chunks.push(chunk({ content: word }));
  return chatStream(chunks);
}

/** A value that fits a (simple) JSON Schema. */
export function valueFor(schema: Json): unknown {
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type) {
    case "object": {
      const out: Json = {};
      const properties = (schema.properties as Record<string, Json> | undefined) ?? {};
      for (const [key, child] of Object.entries(properties)) out[key] = valueFor(child);
      return out;
    }
    case "array":
      return [valueFor((schema.items as Json | undefined) ?? { type: "string" })];
    case "number":
      return 37.4;
    case "integer":
      return 3;
    case "boolean":
      return true;
    default:
      return "Tokyo";
  }
}
