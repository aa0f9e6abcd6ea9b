/**
 * Which option of a schema's `enum` the user's words mention, as a whole word ("unit in fahrenheit"
 * picks `"fahrenheit"`), without compiling a regular expression per option: each option's words are
 * looked up in the set of the text's words, each lookup paid for from the value's work budget, and one
 * answer is kept per enum list however many `$ref`s lead to it: a 10,000-option enum named by 2,000
 * properties is read once.
 */

import type { ValueBudget } from "./value-budget.js";
import { type WordFacts, wordRuns } from "./word-facts.js";

/** No option mentioned (distinct from an option whose value is `undefined`-like). */
export const NOT_MENTIONED: unique symbol = Symbol("not mentioned");

/** `\w` of a regular expression without the `u` flag. */
function isWordCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

function wordAt(text: string, index: number): boolean {
  return index >= 0 && index < text.length && isWordCode(text.charCodeAt(index));
}

/** Whether `option` occurs in `text` with a word boundary (`\b`) on both sides. */
export function mentionsWord(text: string, option: string): boolean {
  if (option === "") return /\w/.test(text);
  const startsWord = wordAt(option, 0);
  const endsWord = wordAt(option, option.length - 1);
  for (let at = text.indexOf(option); at >= 0; at = text.indexOf(option, at + 1)) {
    const end = at + option.length;
    if (wordAt(text, at - 1) !== startsWord && wordAt(text, end) !== endsWord) return true;
  }
  return false;
}

/**
 * The first string option of `options` that the words mention, or `NOT_MENTIONED`; remembered per list
 * in `memo`. Every `\w` run of a mentioned option is a whole word of the text, so most options are
 * ruled out by set lookups; only those whose words all occur are searched for in the text. When the
 * budget runs out the options not yet read count as not mentioned.
 */
export function mentionedOption(
  options: readonly unknown[],
  facts: WordFacts,
  budget: ValueBudget,
  memo: WeakMap<readonly unknown[], unknown>,
): unknown {
  if (memo.has(options)) return memo.get(options);
  const text = facts.lower;
  const words = facts.lowerWords;
  let found: unknown = NOT_MENTIONED;
  for (const option of options) {
    if (!budget.work()) break;
    if (typeof option !== "string") continue;
    if (!budget.work(budget.scanCost(option))) break;
    const lower = option.toLowerCase();
    const runs = wordRuns(lower);
    if (!runs.every((run) => words.has(run))) continue;
    const whole = runs.length === 1 && runs[0] === lower;
    if (!whole && !budget.work(budget.scanCost(text))) break;
    if (whole || mentionsWord(text, lower)) {
      found = option;
      break;
    }
  }
  memo.set(options, found);
  return found;
}
