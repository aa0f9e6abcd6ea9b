/**
 * What the built-in model reads from the user's words when it fills a schema: places, a quoted phrase, a
 * topic, a person, a date, an e-mail address, a URL, the words themselves. Each is found once per value,
 * however many properties ask for it, and paid for from the value's work budget: a schema with
 * thousands of `city` strings costs one scan of the text, not thousands.
 */

import type { ValueBudget } from "./value-budget.js";

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A place name: a capitalised phrase after "in/at/for/near/from/to", else the word after "in". */
export function findPlaces(text: string): string[] {
  const places: string[] = [];
  const capitalised =
    /\b(?:in|at|for|near|from|to|of|about|visit|visiting)\s+((?:[A-Z][\p{L}'.-]*)(?:\s+[A-Z][\p{L}'.-]*)*)/gu;
  for (const match of text.matchAll(capitalised)) if (match[1]) places.push(match[1]);
  if (places.length === 0) {
    const lower = /\b(?:in|at|near)\s+([\p{L}'-]{2,})/iu.exec(text);
    if (lower?.[1]) places.push(capitalise(lower[1]));
  }
  // "Paris and London": pick up capitalised words joined to a found place by "and"/",".
  const joined = /\b(?:and|or|,)\s+([A-Z][\p{L}'.-]+)/gu;
  if (places.length > 0) for (const match of text.matchAll(joined)) if (match[1]) places.push(match[1]);
  return [...new Set(places)];
}

function findQuoted(text: string): string | undefined {
  return /["“']([^"”']{1,200})["”']/.exec(text)?.[1];
}

function findTopic(text: string): string | undefined {
  const topic = /\b(?:for|about|on|regarding)\s+(.+?)[.?!]*$/i.exec(text)?.[1];
  return findQuoted(text) ?? topic?.trim();
}

function findPerson(text: string): string | undefined {
  return /\b(?:named|called|for|to|with)\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?)/u.exec(text)?.[1];
}

function findDate(text: string): string | undefined {
  return /\b\d{4}-\d{2}-\d{2}\b/.exec(text)?.[0];
}

/** The maximal runs of `\w` characters in `text` (what `\b...\b` can match whole). */
export function wordRuns(text: string): string[] {
  return text.match(/\w+/g) ?? [];
}

/**
 * The facts of one text, each computed on first use. When the budget cannot pay for a scan, the fact
 * reads as absent (the value falls back to its defaults) rather than costing the work anyway.
 */
export class WordFacts {
  readonly text: string;
  readonly #budget: ValueBudget;
  readonly #cache = new Map<string, unknown>();

  constructor(text: string, budget: ValueBudget) {
    this.text = text.trim();
    this.#budget = budget;
  }

  #once<T>(key: string, scans: number, find: (text: string) => T, absent: T): T {
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = this.#budget.work(scans * this.#budget.scanCost(this.text)) ? find(this.text) : absent;
    this.#cache.set(key, value);
    return value;
  }

  get places(): string[] {
    return this.#once("places", 3, findPlaces, []);
  }
  get quoted(): string | undefined {
    return this.#once("quoted", 1, findQuoted, undefined);
  }
  get topic(): string | undefined {
    return this.#once("topic", 2, findTopic, undefined);
  }
  get person(): string | undefined {
    return this.#once("person", 1, findPerson, undefined);
  }
  get date(): string | undefined {
    return this.#once("date", 1, findDate, undefined);
  }
  get email(): string | undefined {
    return this.#once("email", 1, (text) => /[\w.+-]+@[\w-]+\.[\w.-]+/.exec(text)?.[0], undefined);
  }
  get url(): string | undefined {
    return this.#once("url", 1, (text) => /https?:\/\/\S+/.exec(text)?.[0], undefined);
  }
  get lastWord(): string {
    return this.#once("lastWord", 1, (text) => text.split(/\s+/).pop() ?? "", "");
  }
  /** The lower-cased text (boolean and enum properties are looked up in it). */
  get lower(): string {
    return this.#once("lower", 1, (text) => text.toLowerCase(), "");
  }
  /** The `\w` runs of the lower-cased text, for whole-word lookups. */
  get lowerWords(): ReadonlySet<string> {
    return this.#once("lowerWords", 2, (text) => new Set(wordRuns(text.toLowerCase())), new Set<string>());
  }
}
