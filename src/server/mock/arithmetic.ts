/**
 * Simple arithmetic found in a sentence ("what is 12 * 7?", "3 plus 4 times 2"), evaluated by a small
 * recursive-descent parser: never `eval`, so a prompt can't run code on the server.
 */

const WORD_OPERATORS: Array<[RegExp, string]> = [
  [/\bmultiplied by\b|\btimes\b/gi, "*"],
  [/\bdivided by\b|\bover\b/gi, "/"],
  [/\bplus\b|\badded to\b/gi, "+"],
  [/\bminus\b/gi, "-"],
  [/\bto the power of\b/gi, "^"],
  [/\bmod(?:ulo)?\b/gi, "%"],
  [/(?<=\d)\s*[x×]\s*(?=\d)/g, "*"],
  [/÷/g, "/"],
];

export interface ArithmeticResult {
  expression: string;
  value: number;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: string[]) {}

  parse(): number {
    const value = this.sum();
    if (this.pos !== this.tokens.length) throw new Error("trailing input");
    return value;
  }

  private peek(): string | undefined {
    return this.tokens[this.pos];
  }

  private sum(): number {
    let value = this.product();
    for (let op = this.peek(); op === "+" || op === "-"; op = this.peek()) {
      this.pos++;
      const right = this.product();
      value = op === "+" ? value + right : value - right;
    }
    return value;
  }

  private product(): number {
    let value = this.power();
    for (let op = this.peek(); op === "*" || op === "/" || op === "%"; op = this.peek()) {
      this.pos++;
      const right = this.power();
      value = op === "*" ? value * right : op === "/" ? value / right : value % right;
    }
    return value;
  }

  private power(): number {
    const base = this.unary();
    if (this.peek() !== "^") return base;
    this.pos++;
    return base ** this.power();
  }

  private unary(): number {
    const token = this.peek();
    if (token === "-" || token === "+") {
      this.pos++;
      const value = this.unary();
      return token === "-" ? -value : value;
    }
    return this.atom();
  }

  private atom(): number {
    const token = this.peek();
    this.pos++;
    if (token === "(") {
      const value = this.sum();
      if (this.peek() !== ")") throw new Error("missing )");
      this.pos++;
      return value;
    }
    if (token !== undefined && /^\d+(\.\d+)?$/.test(token)) return Number(token);
    throw new Error("expected a number");
  }
}

function tokenize(expression: string): string[] {
  return expression.match(/\d+(?:\.\d+)?|[-+*/%^()]/g) ?? [];
}

/** Finds and evaluates the arithmetic in `text`; undefined when there is none. */
export function findArithmetic(text: string): ArithmeticResult | undefined {
  // Every candidate holds a digit of the text (the rewrites below only remove digits or keep them): a
  // text without one, most of what anyone says, has nothing to find.
  if (!/\d/.test(text)) return undefined;
  // Dates and times are not sums: "2026-01-15" must not read as 2026 - 1 - 15.
  let normalised = text
    .replace(/\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?\b/g, " ")
    .replace(/\b\d{1,2}:\d{2}\b/g, " ")
    .replace(/(\d),(\d{3})\b/g, "$1$2");
  for (const [pattern, symbol] of WORD_OPERATORS) normalised = normalised.replace(pattern, ` ${symbol} `);
  normalised = normalised.replace(/\*\*/g, "^");
  const candidates = normalised.match(/[-+(]*\s*\d[\d.\s+\-*/%^()]*/g) ?? [];
  for (const candidate of candidates) {
    const tokens = tokenize(candidate);
    // Drop a dangling operator or an unbalanced parenthesis at the end ("what is 2 + 2 ?").
    while (tokens.length > 0 && /^[-+*/%^(]$/.test(tokens[tokens.length - 1] ?? "")) tokens.pop();
    const numbers = tokens.filter((token) => /\d/.test(token)).length;
    const operators = tokens.filter((token) => /^[+*/%^]$/.test(token) || token === "-").length;
    if (numbers < 2 || operators < 1) continue;
    try {
      const value = new Parser(tokens).parse();
      return { expression: tokens.join(" ").replace(/\( /g, "(").replace(/ \)/g, ")"), value };
    } catch {}
  }
  return undefined;
}

/** Formats a result without floating-point noise (0.1 + 0.2 → 0.3). */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "undefined";
  if (!Number.isFinite(value)) return value > 0 ? "infinity" : "-infinity";
  return String(Number.parseFloat(value.toPrecision(12)));
}
