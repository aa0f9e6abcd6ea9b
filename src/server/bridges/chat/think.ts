/**
 * Reasoning that some servers put in the text itself (DeepSeek-R1 and Qwen models behind servers that
 * do not split it out): a leading `<think>…</think>` block. The splitter reads the content deltas as
 * they arrive, tags split across deltas included, and hands back reasoning and text separately. Only a
 * block at the very start counts (after white space); `<think>` later in an answer is text.
 */

const OPEN = "<think>";
const CLOSE = "</think>";

export interface Split {
  reasoning: string;
  text: string;
}

export class ThinkSplitter {
  #state: "start" | "thinking" | "answer-start" | "answer" = "start";
  #held = "";

  push(delta: string): Split {
    const out: Split = { reasoning: "", text: "" };
    let rest = delta;
    while (rest !== "") {
      if (this.#state === "start") {
        const seen = this.#held + rest;
        const trimmed = seen.trimStart();
        if (trimmed.length < OPEN.length && OPEN.startsWith(trimmed)) {
          this.#held = seen;
          return out;
        }
        this.#held = "";
        if (trimmed.startsWith(OPEN)) {
          this.#state = "thinking";
          rest = trimmed.slice(OPEN.length);
        } else {
          this.#state = "answer";
          out.text += seen;
          return out;
        }
      } else if (this.#state === "thinking") {
        const seen = this.#held + rest;
        const end = seen.indexOf(CLOSE);
        if (end !== -1) {
          out.reasoning += seen.slice(0, end);
          this.#held = "";
          this.#state = "answer-start";
          rest = seen.slice(end + CLOSE.length);
          continue;
        }
        // Keep back a tail that could be the start of `</think>`.
        const keep = partialSuffix(seen, CLOSE);
        out.reasoning += seen.slice(0, seen.length - keep);
        this.#held = seen.slice(seen.length - keep);
        return out;
      } else if (this.#state === "answer-start") {
        // The answer after the block usually starts with blank lines; they are layout, not text.
        const trimmed = rest.replace(/^\s+/, "");
        if (trimmed === "") return out;
        this.#state = "answer";
        rest = trimmed;
      } else {
        out.text += rest;
        return out;
      }
    }
    return out;
  }

  /** The stream ended: whatever was held back (an unclosed block is reasoning; a lone `<thi` is text). */
  finish(): Split {
    const held = this.#held;
    this.#held = "";
    if (this.#state === "thinking") return { reasoning: held, text: "" };
    return { reasoning: "", text: this.#state === "start" ? held : "" };
  }
}

/** The length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}
