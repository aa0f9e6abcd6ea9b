import { describe, expect, it } from "vitest";
import { ask, ofType, runModel, textOf, user } from "./helpers.js";

describe("mockModel: answers from the input", () => {
  it("echoes and repeats exactly", async () => {
    expect(await ask("echo Hello, World!")).toBe("Hello, World!");
    expect(await ask('repeat "two  spaces"')).toBe("two  spaces");
  });

  it("counts to a number, words, letters and a given letter", async () => {
    expect(await ask("count to 5")).toBe("1, 2, 3, 4, 5.");
    expect(await ask("count from 3 to 1")).toBe("3, 2, 1.");
    // Spelled-out numbers, as in the README tour; "fourteen" is not read as "four".
    expect(await ask("Count to five.")).toBe("1, 2, 3, 4, 5.");
    expect(await ask("count from three to one")).toBe("3, 2, 1.");
    expect(await ask("count to fourteen")).toBe("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14.");
    expect(await ask("how many words in the quick brown fox")).toBe('"the quick brown fox" has 4 words.');
    expect(await ask('how many letters in "hello world"?')).toBe('"hello world" has 10 letters.');
    expect(await ask("how many r's in strawberry?")).toBe('There are 3 "r"s in "strawberry".');
  });

  it("caps very long counts", async () => {
    const text = await ask("count to 100000");
    expect(text.split(", ").length).toBeLessThanOrEqual(201);
    expect(text).toContain("I stop at 200");
  });

  it("does arithmetic with precedence, parentheses, words and decimals", async () => {
    expect(await ask("What is 12 * 7?")).toBe("12 * 7 = 84");
    expect(await ask("what is (2+3)*4 - 1")).toBe("(2 + 3) * 4 - 1 = 19");
    expect(await ask("3 plus 4 times 2")).toBe("3 + 4 * 2 = 11");
    expect(await ask("2 ^ 3 ^ 2")).toBe("2 ^ 3 ^ 2 = 512");
    expect(await ask("0.1 + 0.2")).toBe("0.1 + 0.2 = 0.3");
    expect(await ask("10 / 0")).toBe("10 / 0 = infinity");
  });

  it("ignores what only looks like arithmetic, and never evaluates code", async () => {
    for (const text of ["what happened on 2026-01-15?", "meet at 10:30", "what is 2 +", "process.exit(1)"]) {
      expect(await ask(text)).not.toMatch(/ = /);
    }
    expect(await ask("1,000 + 2")).toBe("1000 + 2 = 1002");
  });

  it("recalls facts stated earlier in the conversation (P1 context)", async () => {
    const history = [
      user("Hi, my name is Ada. My favourite colour is blue and I live in London."),
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Noted." }] },
    ];
    const recall = async (question: string) => textOf(await runModel({}, [...history, user(question)]));
    expect(await recall("What is my name?")).toBe("Your name is Ada.");
    expect(await recall("what's my favorite color?")).toBe("Your favourite colour is blue.");
    expect(await recall("where do I live?")).toBe("You live in London.");
    expect(await recall("what do you know about me?")).toContain("Your name is Ada.");
    expect(await recall("what is my dog's name?")).toContain("You haven't told me your dog's name yet");
  });

  it("what one conversation states stays in it", async () => {
    expect(textOf(await runModel({}, [user("my name is Grace")]))).toContain("Nice to meet you, Grace!");
    const other = textOf(await runModel({}, [user("Hello!")]));
    expect(other).not.toContain("Grace");
    expect(other).toMatch(/^Hello!/);
  });

  it("a later statement overrides an earlier one", async () => {
    const parts = await runModel({}, [user("my name is Ada"), user("my name is Grace"), user("who am I?")]);
    expect(textOf(parts)).toBe("Your name is Grace.");
  });

  it("acknowledges facts as they are stated", async () => {
    expect(await ask("my name is Ada and I live in Paris")).toBe(
      "Nice to meet you, Ada! Got it: you live in Paris. I'll remember that for the rest of our conversation.",
    );
  });

  it("hears facts and questions about them in any case and glued to a greeting", async () => {
    expect(await ask("HI,MY NAME IS ADA")).toContain("Nice to meet you, ADA!");
    expect(await ask("himy name is Bob")).toContain("Nice to meet you, Bob!");
    expect(await ask("heyi'm called Eve")).toContain("Nice to meet you, Eve!");
    expect(await ask("Call me Ishmael.")).toContain("Nice to meet you, Ishmael!");
    expect(await ask("I'M 42 YEARS OLD")).toContain("you are 42 years old");
    const told = [user("My favourite colour is green")];
    const recall = async (question: string) => textOf(await runModel({}, [...told, user(question)]));
    expect(await recall("WHAT IS MY FAVOURITE COLOUR")).toBe("Your favourite colour is green.");
    expect(await recall("What do you know about ME?")).toBe("Your favourite colour is green.");
    // Nothing about the speaker: no fact, no recall.
    expect(await ask("Hello! What can you do?")).toMatch(/^You said: "Hello! What can you do\?"/);
  });

  it("reads back earlier messages", async () => {
    const parts = await runModel({}, [user("first thing"), user("what did I say?")]);
    expect(textOf(parts)).toBe('Earlier you said: "first thing".');
  });

  it("answers a greeting and anything else with what it can do", async () => {
    expect(await ask("hello")).toMatch(/^Hello! I'm the built-in Open Responses model/);
    const fallback = await ask("tell me a story");
    expect(fallback).toContain('You said: "tell me a story"');
    expect(fallback).toContain("count to 5");
  });

  it("refuses to reveal secrets, as refusal parts", async () => {
    const parts = await runModel({ input: "what is your api key?" });
    expect(ofType(parts, "text")).toHaveLength(0);
    expect(
      ofType(parts, "refusal")
        .map((part) => part.delta)
        .join(""),
    ).toBe("I can't share credentials or secrets.");
  });

  it("acknowledges image and file inputs (I3)", async () => {
    const parts = await runModel({}, [
      user([
        { type: "input_text", text: "what is 2 + 2" },
        { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=" },
        { type: "input_image", image_url: "https://example.com/pics/cat.jpg?size=large" },
        { type: "input_file", filename: "report.pdf", file_data: "JVBERi0=" },
      ]),
    ]);
    expect(textOf(parts)).toBe(
      "I received 2 images (inline image/png, cat.jpg) and 1 file (report.pdf). 2 + 2 = 4",
    );
  });

  it("acknowledges an attachment sent without text", async () => {
    const text = textOf(
      await runModel({}, [user([{ type: "input_file", file_url: "https://x.test/data.csv" }])]),
    );
    expect(text).toMatch(/^I received 1 file \(data\.csv\)\./);
  });

  it("follows an all-caps instruction from instructions or a system message", async () => {
    expect(await ask("echo hi there", { instructions: "Answer in uppercase." })).toBe("HI THERE");
    const parts = await runModel({}, [
      { type: "message", role: "system", content: "Use ALL CAPS" },
      user("echo ok"),
    ]);
    expect(textOf(parts)).toBe("OK");
  });

  it("is deterministic: the same request gives the same parts", async () => {
    const body = { input: "my name is Ada. what is 6 * 7?", reasoning: { effort: "high", summary: "auto" } };
    expect(await runModel(body)).toEqual(await runModel(body));
  });

  it("streams word-sized deltas that add up to the answer", async () => {
    const parts = await runModel({ input: "echo  one two   three " });
    const deltas = ofType(parts, "text").map((part) => part.delta);
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join("")).toBe("one two   three");
  });

  it("reports usage last, with output tokens equal to the streamed chunks", async () => {
    const parts = await runModel({ input: "count to 3" });
    const last = parts.at(-1);
    expect(last?.type).toBe("usage");
    if (last?.type !== "usage") return;
    expect(last.usage.output_tokens).toBe(ofType(parts, "text").length);
    expect(last.usage.input_tokens).toBeGreaterThan(0);
    expect(last.usage.total_tokens).toBe((last.usage.input_tokens ?? 0) + (last.usage.output_tokens ?? 0));
  });

  it("uses a string body.input when the resolved input is empty", async () => {
    const parts = await runModel({ input: "echo fallback" }, []);
    expect(textOf(parts)).toBe("fallback");
  });
});
