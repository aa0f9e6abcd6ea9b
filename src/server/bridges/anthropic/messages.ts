/**
 * The resolved context as Anthropic Messages: system and developer text goes to the top-level `system`
 * (Messages has no system role in `messages`), everything else becomes alternating `user` and
 * `assistant` turns, adjacent items of one role merged into one turn. Function calls become `tool_use`
 * blocks of the assistant turn, their outputs `tool_result` blocks of the next user turn (placed first,
 * as the API requires), and the reasoning items this bridge emitted put their thinking blocks back,
 * byte for byte, where they were: ahead of the tool use they belong to.
 */

import { type ContextEntry, describeType, instructionText, parseArguments } from "../context-items.js";
import { decodeProviderState } from "../provider-state.js";
import type { Refuse } from "../refuse.js";
import { assistantBlocks, toolResultContent, userBlocks } from "./blocks.js";
import {
  type AnthropicAssistantBlock,
  type AnthropicMessage,
  type AnthropicTextBlock,
  type AnthropicUserBlock,
  UPSTREAM,
} from "./wire.js";

export interface AnthropicContext {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/** Maps `instructions` plus the context; refuses (by field) what Messages cannot carry. */
export function anthropicContext(
  instructions: string | null | undefined,
  entries: ContextEntry[],
  refuse: Refuse,
): AnthropicContext {
  const system: AnthropicTextBlock[] = [];
  if (instructions) system.push({ type: "text", text: instructions });
  const turns = new Turns();
  for (const entry of entries) {
    const { item, param } = entry;
    switch (item.type) {
      case "message":
        if (item.role === "system" || item.role === "developer") {
          const text = instructionText(entry, refuse, UPSTREAM);
          if (text !== "") system.push({ type: "text", text });
        } else if (item.role === "user") {
          for (const block of userBlocks(entry, refuse)) turns.user(block);
        } else if (item.role === "assistant") {
          for (const block of assistantBlocks(entry, refuse)) turns.assistant(block);
        } else refuse(`${param}.role`, `${UPSTREAM} has no ${JSON.stringify(item.role)} role.`);
        break;
      case "function_call":
        turns.assistant({
          type: "tool_use",
          id: toolUseId(item.call_id),
          name: String(item.name),
          input: parseArguments(entry, refuse, UPSTREAM),
        });
        break;
      case "function_call_output":
        turns.user({
          type: "tool_result",
          tool_use_id: toolUseId(item.call_id),
          content: toolResultContent(entry, refuse),
        });
        break;
      case "reasoning": {
        const block = thinkingBlock(entry, refuse);
        if (block !== undefined) turns.assistant(block);
        break;
      }
      default:
        refuse(param, `${UPSTREAM} has no equivalent of a ${describeType(item)} item.`);
    }
  }
  return { system, messages: turns.messages };
}

/** Tool ids must match `^[a-zA-Z0-9_-]+$` upstream; other call ids are mapped the same way on both sides. */
export function toolUseId(callId: unknown): string {
  const text = typeof callId === "string" ? callId.replace(/[^a-zA-Z0-9_-]/g, "_") : "";
  return text === "" ? "call" : text;
}

/** Consecutive blocks of one role share a turn; a user turn keeps its tool results first. */
class Turns {
  readonly messages: AnthropicMessage[] = [];

  user(block: AnthropicUserBlock): void {
    const last = this.messages.at(-1);
    if (last?.role !== "user") {
      this.messages.push({ role: "user", content: [block] });
      return;
    }
    if (block.type !== "tool_result") {
      last.content.push(block);
      return;
    }
    const firstOther = last.content.findIndex((existing) => existing.type !== "tool_result");
    if (firstOther < 0) last.content.push(block);
    else last.content.splice(firstOther, 0, block);
  }

  assistant(block: AnthropicAssistantBlock): void {
    const last = this.messages.at(-1);
    if (last?.role === "assistant") last.content.push(block);
    else this.messages.push({ role: "assistant", content: [block] });
  }
}

/** A reasoning item this bridge emitted, as the block it came from; other reasoning is not Claude's to read. */
function thinkingBlock(entry: ContextEntry, refuse: Refuse): AnthropicAssistantBlock | undefined {
  const state = decodeProviderState("anthropic", entry.item.encrypted_content);
  if (state === undefined) return undefined;
  if (state !== null) {
    if (
      state.type === "thinking" &&
      typeof state.thinking === "string" &&
      typeof state.signature === "string"
    )
      return { type: "thinking", thinking: state.thinking, signature: state.signature };
    if (state.type === "redacted_thinking" && typeof state.data === "string")
      return { type: "redacted_thinking", data: state.data };
  }
  return refuse(
    `${entry.param}.encrypted_content`,
    "This reasoning item's encrypted_content was altered; send it back exactly as it was returned.",
    "invalid_encrypted_content",
  );
}
