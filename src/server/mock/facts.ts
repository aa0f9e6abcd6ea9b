/**
 * Facts the user states about themselves ("my name is Ada", "I live in Paris"), and questions that ask
 * for them back. This is what makes multi-turn context, `previous_response_id` and compaction visible:
 * the answer to "what is my name?" can only be right if the earlier turn reached the model.
 */

export interface Fact {
  /** How the user phrased the subject, e.g. "favourite colour". */
  label: string;
  value: string;
}

/** Keyed by a normalised subject, so "favorite color" and "favourite colour" are the same fact. */
export type Facts = Map<string, Fact>;

const SPELLING: Array<[RegExp, string]> = [
  [/\bfavourite\b/g, "favorite"],
  [/\bcolour\b/g, "color"],
  [/\bsurname\b/g, "last name"],
];

export function factKey(subject: string): string {
  let key = subject.toLowerCase().replace(/\s+/g, " ").trim();
  key = key.replace(/^(the|a|an) /, "");
  for (const [pattern, replacement] of SPELLING) key = key.replace(pattern, replacement);
  return key;
}

function cleanValue(raw: string): string | undefined {
  const value = raw
    .trim()
    .replace(/^["'“‘]+|["'”’.,!;:]+$/g, "")
    .trim();
  if (!value || value.length > 200 || /\?$/.test(raw.trim())) return undefined;
  return value;
}

/** Splits text into clauses, so that "my name is Ada and I live in Paris" yields two facts. */
function clauses(text: string): string[] {
  return text
    .split(/(?<=[.!?;\n])\s*|,?\s+and\s+(?=(?:my|i|i'm|i am|call me)\b)/i)
    .map((clause) => clause.trim())
    .filter(Boolean);
}

interface Pattern {
  match: RegExp;
  /** The fact's subject: fixed, or group 1 of the match. */
  subject?: string;
}

// Order matters: the first pattern that matches a clause wins.
const STATEMENTS: Pattern[] = [
  {
    match: /^(?:hi|hello|hey)?[,!\s]*(?:my name's|my name is|i'm called|i am called|call me)\s+(.+)$/i,
    subject: "name",
  },
  { match: /\bi live in\s+(.+)$/i, subject: "home" },
  { match: /\bi(?: am|'m) (\d{1,3}) years? old\b/i, subject: "age" },
  { match: /\bi (?:really )?(?:like|love|enjoy)\s+(.+)$/i, subject: "likes" },
  { match: /\bi work (?:as|at)\s+(.+)$/i, subject: "work" },
  { match: /\bmy ([a-z][a-z' -]{0,40}?) (?:is|are)\s+(.+)$/i },
];

/**
 * Every statement names the speaker: a word ending in "i", "my" or "call" ("I live", "my name", "call
 * me"). A text with none, most of what anyone says, states no fact, and is not split and matched.
 */
const MAY_STATE = /(?:i|my|call)\b/i;

/** Returns `facts` extended with every fact stated in `text`; later statements overwrite earlier ones. */
export function extractFacts(text: string, facts: Facts = new Map()): Facts {
  // Nothing to add: `facts` as it is (every caller replaces its map with the result).
  if (!MAY_STATE.test(text)) return facts;
  const next: Facts = new Map(facts);
  for (const clause of clauses(text)) {
    if (/^(what|who|where|when|how|do|does|did|is|are|can)\b/i.test(clause) || clause.endsWith("?")) continue;
    for (const pattern of STATEMENTS) {
      const found = pattern.match.exec(clause);
      if (!found) continue;
      const subject = pattern.subject ?? found[1] ?? "";
      const value = cleanValue((pattern.subject ? found[1] : found[2]) ?? "");
      if (subject && value) next.set(factKey(subject), { label: subject.trim().toLowerCase(), value });
      break;
    }
  }
  return next;
}

/** Sentence used when recalling a fact, phrased for the subject. */
export function describeFact(key: string, fact: Fact): string {
  switch (key) {
    case "name":
      return `Your name is ${fact.value}.`;
    case "home":
      return `You live in ${fact.value}.`;
    case "age":
      return `You are ${fact.value} years old.`;
    case "likes":
      return `You like ${fact.value}.`;
    case "work":
      return `You work as ${fact.value}.`;
    default:
      return `Your ${fact.label} is ${fact.value}.`;
  }
}

export type RecallQuestion = { kind: "one"; key: string; label: string } | { kind: "all" };

const QUESTIONS: Array<{ match: RegExp; key?: string }> = [
  { match: /\b(?:what do you (?:know|remember) about me|what have i told you)\b/i },
  { match: /\bwho am i\b|\bwhat(?:'s| is) my name\b|\bdo you (?:know|remember) my name\b/i, key: "name" },
  { match: /\bwhere do i live\b/i, key: "home" },
  { match: /\bhow old am i\b/i, key: "age" },
  { match: /\bwhat do i (?:like|love|enjoy)\b/i, key: "likes" },
  { match: /\bwhere do i work\b|\bwhat do i do for (?:a )?(?:living|work)\b/i, key: "work" },
  { match: /\bwhat(?:'s| is| are| was) my ([a-z][a-z' -]{0,40}?)\s*\??$/i },
  { match: /\bdo you (?:know|remember) my ([a-z][a-z' -]{0,40}?)\s*\??$/i },
];

/** Every question about a fact asks about the speaker: a word ending in "i", "me" or "my". */
const MAY_ASK = /(?:i|me|my)\b/i;

/** Recognises a question about a stated fact. */
export function parseRecallQuestion(text: string): RecallQuestion | undefined {
  if (!MAY_ASK.test(text)) return undefined;
  const trimmed = text.trim();
  for (const question of QUESTIONS) {
    const found = question.match.exec(trimmed);
    if (!found) continue;
    if (question.key) return { kind: "one", key: question.key, label: question.key };
    const subject = found[1];
    if (!subject) return { kind: "all" };
    return { kind: "one", key: factKey(subject), label: subject.toLowerCase() };
  }
  return undefined;
}
