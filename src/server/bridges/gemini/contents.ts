/**
 * The resolved context as Gemini `contents`: system and developer text goes to `systemInstruction`,
 * everything else becomes `user` and `model` turns, adjacent items of one role merged into one turn.
 * A function call is a `functionCall` part of the model turn; its output a `functionResponse` part of the
 * next user turn, which needs the function's name: it is taken from the call with the same `call_id` in
 * the context. The reasoning items this bridge emitted put their thought signatures back on the part they
 * came from (see `stream.ts` for where each one sits).
 */

import { type ContextEntry, describeType, instructionText, parseArguments } from "../context-items.js";
import { decodeProviderState } from "../provider-state.js";
import type { Refuse } from "../refuse.js";
import { functionResponse, geminiId, modelTextParts, userParts } from "./parts.js";
import { type GeminiContent, type GeminiPart, UPSTREAM } from "./wire.js";

export interface GeminiContext {
  systemTexts: string[];
  contents: GeminiContent[];
}

/** Maps `instructions` plus the context; `names` are the function names by call id (`callNames`). */
export function geminiContents(
  instructions: string | null | undefined,
  entries: ContextEntry[],
  names: Map<string, string>,
  refuse: Refuse,
): GeminiContext {
  const systemTexts: string[] = instructions ? [instructions] : [];
  const turns = new Turns();
  for (const entry of entries) {
    const { item, param } = entry;
    switch (item.type) {
      case "message":
        if (item.role === "system" || item.role === "developer") {
          const text = instructionText(entry, refuse, UPSTREAM);
          if (text !== "") systemTexts.push(text);
        } else if (item.role === "user") {
          for (const part of userParts(entry, refuse)) turns.add("user", part);
        } else if (item.role === "assistant") {
          for (const part of modelTextParts(entry, refuse)) turns.add("model", part);
        } else refuse(`${param}.role`, `${UPSTREAM} has no ${JSON.stringify(item.role)} role.`);
        break;
      case "function_call":
        turns.add("model", {
          functionCall: {
            name: String(item.name),
            args: parseArguments(entry, refuse, UPSTREAM),
            ...geminiId(item.call_id),
          },
        });
        break;
      case "function_call_output":
        turns.add("user", functionResponse(entry, names, refuse));
        break;
      case "reasoning":
        replaySignature(entry, turns, refuse);
        break;
      default:
        refuse(param, `${UPSTREAM} has no equivalent of a ${describeType(item)} item.`);
    }
  }
  return { systemTexts, contents: turns.finish() };
}

/** Turns of alternating roles; a signature waiting for the model part that follows it. */
class Turns {
  readonly #contents: GeminiContent[] = [];
  #pendingSignature: string | undefined;

  add(role: "user" | "model", part: GeminiPart): void {
    if (role === "model" && this.#pendingSignature !== undefined) {
      part = { ...part, thoughtSignature: this.#pendingSignature };
      this.#pendingSignature = undefined;
    }
    if (role === "user") this.#flushPending();
    const last = this.#contents.at(-1);
    if (last?.role === role) last.parts.push(part);
    else this.#contents.push({ role, parts: [part] });
  }

  /** A signature for the next model part (it came on a function call, announced just before it). */
  signNext(signature: string): void {
    this.#flushPending();
    this.#pendingSignature = signature;
  }

  /** A signature for the model's last text part (it came on the text's last piece). */
  signPrevious(signature: string): void {
    this.#flushPending();
    const last = this.#contents.at(-1);
    const part = last?.role === "model" ? last.parts.at(-1) : undefined;
    if (
      part !== undefined &&
      typeof part.text === "string" &&
      part.thought !== true &&
      part.thoughtSignature === undefined
    )
      part.thoughtSignature = signature;
    else this.add("model", { text: "", thoughtSignature: signature });
  }

  finish(): GeminiContent[] {
    this.#flushPending();
    return this.#contents;
  }

  /** A signature whose part never came (the client left it out) still goes back, on an empty text part. */
  #flushPending(): void {
    const signature = this.#pendingSignature;
    if (signature === undefined) return;
    this.#pendingSignature = undefined;
    this.add("model", { text: "", thoughtSignature: signature });
  }
}

function replaySignature(entry: ContextEntry, turns: Turns, refuse: Refuse): void {
  const state = decodeProviderState("gemini", entry.item.encrypted_content);
  if (state === undefined) return;
  const signature = state?.signature;
  if (state === null || typeof signature !== "string")
    refuse(
      `${entry.param}.encrypted_content`,
      "This reasoning item's encrypted_content was altered; send it back exactly as it was returned.",
      "invalid_encrypted_content",
    );
  if (state.on === "thought")
    turns.add("model", { text: String(state.text ?? ""), thought: true, thoughtSignature: signature });
  else if (state.on === "functionCall") turns.signNext(signature);
  else if (state.standalone === true) turns.add("model", { text: "", thoughtSignature: signature });
  else turns.signPrevious(signature);
}
