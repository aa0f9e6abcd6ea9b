/**
 * Text that came from a model or a server, made inert before it reaches a terminal. A terminal obeys
 * control characters: an escape sequence in an answer can write the clipboard (OSC 52), retitle the
 * window, plant a hyperlink or clear the screen, and a line break in a server's error message can print
 * a line that looks like the CLI's own. Every command prints such text through this one helper.
 *
 * Control characters are shown, not obeyed: ESC becomes the four characters `\x1b`, so the sequence is
 * visible and harmless. Machine formats (JSON, JUnit XML) do not come through here: they have their own
 * escaping and must stay exact.
 */

/**
 * - `content`: the text is the content itself (a model's answer): newlines and tabs are kept, a carriage
 *   return is dropped (CRLF line ends become LF; a lone CR could otherwise overwrite what was printed).
 * - `line`: the text goes inside one line the CLI writes (a report line, an error line): line breaks of
 *   every kind, tabs and bidirectional overrides are made visible too, so the line stays one line and
 *   reads in the order it was written.
 */
export type InertMode = "content" | "line";

/** C0 controls except tab and line feed, DEL, and the C1 controls (U+0080–U+009F, CSI and OSC among them). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this file is for
const CONTENT_UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** Every C0 and C1 control, the Unicode line and paragraph separators, and bidi embeddings/overrides/isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this file is for
const LINE_UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

const SHORT_NAMES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function visible(char: string): string {
  const short = SHORT_NAMES[char];
  if (short !== undefined) return short;
  const code = char.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` with every control character a terminal would act on shown as an escape (see `InertMode`). */
export function inertText(text: string, mode: InertMode = "line"): string {
  if (mode === "line") return text.replace(LINE_UNSAFE, visible);
  return text.replace(CONTENT_UNSAFE, (char) => (char === "\r" ? "" : visible(char)));
}
