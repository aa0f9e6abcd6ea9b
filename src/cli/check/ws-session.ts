/**
 * One WebSocket connection as check sees it: every frame kept (for `--record`), messages read one at a
 * time with the scenario's deadline, and a cap on the bytes and messages a server may send before the
 * session is cut off. Built on the `ws` package (Node 20 has no global WebSocket client).
 */

import WebSocket from "ws";
import type { CheckLimits } from "./limits.js";
import type { RecordedWebSocketSession } from "./recorder.js";

export type WsRead =
  | { kind: "message"; data: string }
  | { kind: "closed"; code: number; reason: string }
  | { kind: "timeout" }
  | { kind: "too_large"; message: string };

export class WsSession {
  private readonly queue: string[] = [];
  private waiter: (() => void) | undefined;
  private closed: { code: number; reason: string } | undefined;
  private bytes = 0;
  private messages = 0;
  private overflow: string | undefined;
  private readonly opened = Date.now();

  private constructor(
    private readonly socket: WebSocket,
    readonly record: RecordedWebSocketSession,
    limits: CheckLimits,
  ) {
    socket.on("message", (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data)
        ? data.toString("utf8")
        : Array.isArray(data)
          ? Buffer.concat(data).toString("utf8")
          : Buffer.from(data).toString("utf8");
      this.bytes += text.length;
      this.messages++;
      if (this.overflow) return;
      if (this.bytes > limits.maxBytes || this.messages > limits.maxEvents) {
        this.overflow =
          this.bytes > limits.maxBytes
            ? `the session passed ${limits.maxBytes} bytes`
            : `the session passed ${limits.maxEvents} messages`;
        socket.terminate();
      } else {
        this.record.frames.push({ direction: "received", at_ms: Date.now() - this.opened, data: text });
        this.queue.push(text);
      }
      this.wake();
    });
    socket.on("close", (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString("utf8") };
      this.record.close = this.closed;
      this.wake();
    });
    socket.on("error", (error: Error) => {
      this.record.error = error.message;
    });
  }

  /** Opens a connection; resolves with the session, or with why it could not open. */
  static open(
    url: string,
    headers: Record<string, string>,
    recordedHeaders: Record<string, string>,
    signal: AbortSignal,
    limits: CheckLimits,
  ): Promise<WsSession | { error: string; status: number | null; code: string | null }> {
    return new Promise((resolve) => {
      const record: RecordedWebSocketSession = {
        transport: "websocket",
        url,
        request_headers: recordedHeaders,
        frames: [],
        close: null,
        error: null,
      };
      const socket = new WebSocket(url, {
        headers,
        maxPayload: limits.maxBytes,
        handshakeTimeout: limits.scenarioTimeoutMs,
      });
      let settled = false;
      const finish = (value: WsSession | { error: string; status: number | null; code: string | null }) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      };
      const onAbort = () => {
        socket.terminate();
        finish({
          error: "the connection did not open before the scenario's deadline",
          status: null,
          code: null,
        });
      };
      signal.addEventListener("abort", onAbort, { once: true });
      socket.once("unexpected-response", (_request, response) => {
        const status = response.statusCode ?? null;
        response.resume();
        socket.terminate();
        finish({ error: `the upgrade was answered with HTTP ${status}`, status, code: null });
      });
      socket.once("error", (error: Error & { code?: string }) => {
        finish({ error: error.message, status: null, code: error.code ?? null });
      });
      socket.once("open", () => {
        const session = new WsSession(socket, record, limits);
        signal.addEventListener("abort", () => socket.terminate(), { once: true });
        finish(session);
      });
    });
  }

  send(message: unknown): void {
    const text = JSON.stringify(message);
    this.record.frames.push({ direction: "sent", at_ms: Date.now() - this.opened, data: text });
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  /** The next message, or why there is none. */
  async next(signal: AbortSignal): Promise<WsRead> {
    for (;;) {
      if (this.overflow) return { kind: "too_large", message: this.overflow };
      const message = this.queue.shift();
      if (message !== undefined) return { kind: "message", data: message };
      if (this.closed) return { kind: "closed", ...this.closed };
      if (signal.aborted) return { kind: "timeout" };
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal.addEventListener("abort", onAbort, { once: true });
        this.waiter = () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Waits until the server has sent nothing for `quietMs`, returning what arrived meanwhile. */
  async drainFor(quietMs: number, signal: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    const local = AbortSignal.any([signal, AbortSignal.timeout(quietMs)]);
    for (;;) {
      const read = await this.next(local);
      if (read.kind !== "message") return out;
      out.push(read.data);
    }
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(1000, "check done");
    }
    // A server that never answers the close handshake must not keep the process alive.
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }

  private wake(): void {
    this.waiter?.();
  }
}
