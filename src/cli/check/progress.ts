/**
 * The progress line `check` shows on a terminal while a scenario runs (`⠋ [3/31] streaming-response 2s`),
 * redrawn in place ten times a second and erased before each result is printed, so a slow server never
 * means a blank screen. Only for a terminal: a pipe, a file, `--json` get no progress at all.
 */

import type { Style } from "../style.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/** Carriage return, then erase the whole line. */
const ERASE = "\r\u001b[2K";

export class Progress {
  #timer: ReturnType<typeof setInterval> | undefined;
  #shown = false;

  constructor(
    private readonly stream: NodeJS.WritableStream & { columns?: number },
    private readonly total: number,
    private readonly style: Style,
  ) {}

  /** Shows the line for scenario `index` (from 0), until `clear()`. */
  start(index: number, id: string): void {
    this.clear();
    const started = Date.now();
    let frame = 0;
    const draw = () => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      const text = `  ${FRAMES[frame++ % FRAMES.length]} [${index + 1}/${this.total}] ${id}${seconds > 0 ? ` ${seconds}s` : ""}`;
      // A line wider than the terminal would wrap, and the erase would then leave its first half behind.
      const columns = this.stream.columns ?? 80;
      this.stream.write(`${ERASE}${this.style.dim(text.slice(0, Math.max(columns - 1, 10)))}`);
      this.#shown = true;
    };
    draw();
    this.#timer = setInterval(draw, 100);
    this.#timer.unref?.();
  }

  /** Erases the line (before a result is printed, and at the end). */
  clear(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#shown) this.stream.write(ERASE);
    this.#shown = false;
  }
}
