/**
 * What the built-in model says. Each skill recognises one kind of request in the newest user message
 * and answers it; the first that matches wins, and the default answer says what the model can do.
 */

import { findArithmetic, formatNumber } from "./arithmetic.js";
import { describeFact, extractFacts, type Facts, parseRecallQuestion } from "./facts.js";
import {
  type Attachment,
  analysedText,
  type ConversationContext,
  type ToolResult,
} from "./read-conversation.js";

export type SkillName =
  | "tool_result"
  | "refusal"
  | "recall"
  | "remember"
  | "echo"
  | "count"
  | "arithmetic"
  | "history"
  | "greeting"
  | "attachments"
  | "help";

export interface Answer {
  skill: SkillName;
  /** The answer text (or, for a refusal, the refusal text). */
  text: string;
  refusal?: boolean;
  /** A computed number, offered to numeric fields of a json_schema answer. */
  numericAnswer?: number;
  /** One sentence for the reasoning trace: how the answer was reached. */
  rationale: string;
}

const MAX_COUNT = 200;

/**
 * The most an echo repeats: 32 KiB of the message, then it stops (the answer is cut there). Bounds what
 * one request can make the model stream, and so the memory and time of a turn.
 */
export const MAX_ECHO_CHARS = 32 * 1024;

export const HELP_TEXT =
  'I\'m the built-in Open Responses model: deterministic and offline. I can echo ("echo hello"), ' +
  'count ("count to 5", "how many words in the quick brown fox"), do arithmetic ("what is 12 * 7?"), ' +
  'remember what you tell me ("my name is Ada", then "what is my name?"), call the function tools you ' +
  "offer, reason out loud when you ask for reasoning, and answer in JSON for a json_schema format.";

function unquote(text: string): string {
  const trimmed = text.trim();
  const quoted = /^["“'‘](.*)["”'’]$/s.exec(trimmed);
  return quoted?.[1] ?? trimmed;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function echo(text: string, full: string): Answer | undefined {
  // The command is read from the analysed start; what is repeated comes from the whole message.
  const found = /^\s*(?:please\s+)?(?:echo|repeat|say)\s*:?\s+(?=\S)/i.exec(text);
  if (!found) return undefined;
  const rest = full.slice(found[0].length, found[0].length + MAX_ECHO_CHARS + 2);
  const repeated = unquote(rest);
  return {
    skill: "echo",
    text: repeated.length > MAX_ECHO_CHARS ? repeated.slice(0, MAX_ECHO_CHARS) : repeated,
    rationale: "They asked me to repeat their words back exactly.",
  };
}

/** Numbers people spell out in "count to five"; a word that is not here is not a number to count to. */
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
};
const NUMBER = `(-?\\d+|${Object.keys(NUMBER_WORDS).join("|")})`;
const COUNT_RANGE = new RegExp(`\\bcount\\s+(?:from\\s+${NUMBER}\\s+)?(?:up\\s+)?to\\s+${NUMBER}\\b`, "i");

function toNumber(word: string): number {
  return NUMBER_WORDS[word.toLowerCase()] ?? Number(word);
}

function count(text: string): Answer | undefined {
  const range = COUNT_RANGE.exec(text);
  if (range) {
    const from = range[1] === undefined ? 1 : toNumber(range[1]);
    const to = toNumber(range[2] as string);
    const step = from <= to ? 1 : -1;
    const numbers: number[] = [];
    for (let n = from; numbers.length < MAX_COUNT && (step > 0 ? n <= to : n >= to); n += step)
      numbers.push(n);
    const more = Math.abs(to - from) + 1 > MAX_COUNT ? ", … (I stop at 200 numbers)" : "";
    return {
      skill: "count",
      text: `${numbers.join(", ")}${more}.`,
      numericAnswer: to,
      rationale: `They asked me to count from ${from} to ${to}.`,
    };
  }
  const letter =
    /\bhow many\s+(?:times does\s+)?(?:the letter\s+)?["']?(\p{L})["']?(?:'s|s)?\s+(?:are\s+)?(?:there\s+)?(?:in|does)\s+(.+?)[?.!]*$/iu.exec(
      text,
    );
  if (letter?.[1] && letter[2]) {
    const target = letter[1].toLowerCase();
    const subject = unquote(letter[2]);
    const n = [...subject.toLowerCase()].filter((char) => char === target).length;
    return {
      skill: "count",
      text: `There ${n === 1 ? "is" : "are"} ${plural(n, `"${target}"`)} in "${subject}".`,
      numericAnswer: n,
      rationale: `I counted the letter "${target}" in "${subject}".`,
    };
  }
  const units =
    /\b(?:how many|count(?: the)?|number of)\s+(words|letters|characters|chars)\s+(?:are\s+)?(?:there\s+)?(?:in|does)\s*:?\s+(.+?)[?]*$/is.exec(
      text,
    );
  if (units?.[1] && units[2]) {
    const subject = unquote(units[2]);
    const unit = units[1].toLowerCase();
    let n: number;
    let label: string;
    if (unit === "words") {
      n = subject.split(/\s+/).filter(Boolean).length;
      label = "word";
    } else if (unit === "letters") {
      n = (subject.match(/\p{L}/gu) ?? []).length;
      label = "letter";
    } else {
      n = [...subject].length;
      label = "character";
    }
    return {
      skill: "count",
      text: `"${subject}" has ${plural(n, label)}.`,
      numericAnswer: n,
      rationale: `I counted the ${unit} in "${subject}".`,
    };
  }
  return undefined;
}

function arithmetic(text: string): Answer | undefined {
  const found = findArithmetic(text);
  if (!found) return undefined;
  const result = formatNumber(found.value);
  return {
    skill: "arithmetic",
    text: `${found.expression} = ${result}`,
    numericAnswer: Number.isFinite(found.value) ? Number(result) : undefined,
    rationale: `I evaluated ${found.expression} step by step and got ${result}.`,
  };
}

function recall(text: string, context: ConversationContext): Answer | undefined {
  const question = parseRecallQuestion(text);
  if (!question) return undefined;
  const { facts } = context;
  if (question.kind === "all") {
    const known = [...facts.entries()].map(([key, fact]) => describeFact(key, fact));
    return {
      skill: "recall",
      text: known.length > 0 ? known.join(" ") : "You haven't told me anything about yourself yet.",
      rationale: `I looked through the conversation and found ${plural(known.length, "fact")} about them.`,
    };
  }
  const fact = facts.get(question.key);
  if (!fact) {
    return {
      skill: "recall",
      text: `You haven't told me your ${question.label} yet. Tell me with "my ${question.label} is …" and I'll remember it.`,
      rationale: `I looked for their ${question.label} in the conversation and did not find it.`,
    };
  }
  return {
    skill: "recall",
    text: describeFact(question.key, fact),
    rationale: `They told me their ${fact.label} earlier in the conversation: ${fact.value}.`,
  };
}

/**
 * No fact: what `remember` extends. `extractFacts` never changes the map it is given (it returns a new
 * one when the text states a fact), so one empty map serves every turn.
 */
const NO_FACTS: Facts = new Map();

function remember(text: string): Answer | undefined {
  const stated = extractFacts(text, NO_FACTS);
  if (stated.size === 0) return undefined;
  const facts = [...stated.entries()];
  const name = facts.find(([key]) => key === "name");
  const others = facts.filter((entry) => entry !== name);
  const parts: string[] = [];
  if (name) parts.push(`Nice to meet you, ${name[1].value}!`);
  if (others.length > 0) {
    // "Your favourite colour is blue." → "your favourite colour is blue", joined into one sentence.
    const phrases = others.map(([key, fact]) => {
      const sentence = describeFact(key, fact).replace(/\.$/, "");
      return sentence.charAt(0).toLowerCase() + sentence.slice(1);
    });
    parts.push(`Got it: ${phrases.join(", and ")}.`);
  }
  parts.push("I'll remember that for the rest of our conversation.");
  return {
    skill: "remember",
    text: parts.join(" "),
    rationale: "They told me something about themselves to remember.",
  };
}

function history(text: string, context: ConversationContext): Answer | undefined {
  if (
    !/\bwhat (?:did i (?:say|ask)|have we (?:talked|been talking) about|were we talking about)\b/i.test(text)
  ) {
    return undefined;
  }
  const earlier = [...context.compactedTurns, ...context.userTurns.slice(0, -1).map((turn) => turn.text)];
  if (earlier.length === 0) {
    return {
      skill: "history",
      text: "This is the start of our conversation.",
      rationale: "There are no earlier turns.",
    };
  }
  const listed = earlier.slice(-5).map((turn) => `"${turn.length > 80 ? `${turn.slice(0, 77)}...` : turn}"`);
  return {
    skill: "history",
    text: `Earlier you said: ${listed.join("; ")}.`,
    rationale: `I read back the last ${plural(listed.length, "earlier message")}.`,
  };
}

function refusal(text: string): Answer | undefined {
  if (
    !/\b(?:your|the server'?s?|system)\s+(?:api key|password|secret|credentials|system prompt)\b/i.test(text)
  ) {
    return undefined;
  }
  return {
    skill: "refusal",
    text: "I can't share credentials or secrets.",
    refusal: true,
    rationale: "They asked for a secret, which I must not reveal.",
  };
}

function greeting(text: string): Answer | undefined {
  if (!/^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening))\b[\s!.,]*(?:there)?[\s!.]*$/i.test(text))
    return undefined;
  return { skill: "greeting", text: `Hello! ${HELP_TEXT}`, rationale: "They greeted me." };
}

function describeAttachments(attachments: Attachment[]): string {
  const groups = new Map<Attachment["kind"], string[]>();
  for (const attachment of attachments) {
    groups.set(attachment.kind, [...(groups.get(attachment.kind) ?? []), attachment.label]);
  }
  const phrases = [...groups.entries()].map(
    ([kind, labels]) => `${plural(labels.length, kind)} (${labels.join(", ")})`,
  );
  const list = phrases.length > 1 ? `${phrases.slice(0, -1).join(", ")} and ${phrases.at(-1)}` : phrases[0];
  return `I received ${list}.`;
}

/** Formats a tool output for a sentence: JSON objects become "key: value" pairs. */
function describeOutput(output: string): string {
  try {
    const parsed: unknown = JSON.parse(output);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      const pairs = Object.entries(parsed).map(
        ([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
      );
      if (pairs.length > 0) return pairs.join(", ");
    }
    if (typeof parsed === "string") return parsed;
  } catch {}
  return output.length > 500 ? `${output.slice(0, 497)}...` : output;
}

function describeArguments(args: string | undefined): string {
  if (!args) return "";
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === "object" && parsed !== null && Object.keys(parsed).length > 0) {
      return ` (${Object.entries(parsed)
        .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(", ")})`;
    }
  } catch {}
  return "";
}

/** The answer to a turn that brings function outputs back. */
export function answerToolResults(results: ToolResult[]): Answer {
  const sentences = results.map((result) => {
    const name = result.name ?? "the tool";
    return `${name}${describeArguments(result.arguments)} returned ${describeOutput(result.output)}.`;
  });
  const text = `Here is what I found: ${sentences.join(" ")}`;
  return {
    skill: "tool_result",
    text,
    rationale: "The tool output I asked for has arrived, so I can answer.",
  };
}

/** The answer to the newest user message, from the whole conversation. */
export function answer(context: ConversationContext): Answer {
  const user = context.lastUser;
  const full = user?.text.trim() ?? "";
  const text = analysedText(full);
  const attachments = user?.attachments ?? [];

  let result: Answer | undefined =
    refusal(text) ??
    recall(text, context) ??
    echo(text, full) ??
    count(text) ??
    arithmetic(text) ??
    history(text, context);
  const remembered = remember(text);
  if (remembered) {
    result = result ? { ...result, text: `${remembered.text} ${result.text}` } : remembered;
  }
  result ??= greeting(text);
  if (attachments.length > 0) {
    const received = describeAttachments(attachments);
    if (result) {
      result = { ...result, text: `${received} ${result.text}` };
    } else {
      result = {
        skill: "attachments",
        text: text
          ? `${received} I can't look inside attachments (I'm a deterministic built-in model), but they reached me intact. You wrote: "${text}".`
          : `${received} I can't look inside attachments (I'm a deterministic built-in model), but they reached me intact.`,
        rationale: "They sent attachments, which I acknowledge.",
      };
    }
  }
  result ??= {
    skill: "help",
    text: text
      ? `You said: "${text.length > 200 ? `${text.slice(0, 197)}...` : text}". ${HELP_TEXT}`
      : HELP_TEXT,
    rationale: "No skill matched, so I explain what I can do.",
  };
  if (context.instructions.some((line) => /\b(?:upper ?case|all caps|capital letters)\b/i.test(line))) {
    result = { ...result, text: result.text.toUpperCase() };
  }
  return result;
}
