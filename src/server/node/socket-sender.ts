/**
 * Sending on one `ws` socket with backpressure and a bound. `ws.send` never refuses: a peer that does
 * not read would have every message the server writes piled up in memory (a client that never reads
 * and sends small invalid frames made the server queue one error reply per frame, hundreds of
 * megabytes). So a send past the high-water mark returns a promise that settles once the message is
 * flushed, which the connection awaits before it reads or writes anything more; a peer whose buffer
 * still passes the bound, or that reads nothing for `stallTimeoutMs` while a send waits, is cut off.
 */

/** The members of a `ws` socket used here. */
export interface SendableSocket {
  send(data: string, callback?: (error?: Error) => void): void;
  terminate(): void;
  readonly readyState: number;
  readonly bufferedAmount: number;
}

export interface SocketSenderOptions {
  /** Buffered bytes past which a send waits for the peer to read. */
  highWaterBytes: number;
  /** Buffered bytes past which the peer is cut off instead of being sent more. */
  maxBufferedBytes: number;
  /** How long a send may wait for the peer to read before the peer is cut off. */
  stallTimeoutMs: number;
  /** Told once when the peer is cut off. */
  onCutOff?: (reason: "buffer" | "stall") => void;
}

export interface SocketSender {
  /** Sends one message; a promise when the caller must wait for the peer to read. */
  send(text: string): void | Promise<void>;
  /** Whether the peer was cut off. */
  readonly cutOff: boolean;
  /** Stops the stall timer of a waiting send (the socket closed). */
  dispose(): void;
}

const OPEN = 1;
const MAX_TIMER_MS = 2_147_483_647;

export function createSocketSender(socket: SendableSocket, options: SocketSenderOptions): SocketSender {
  let cutOff = false;
  const waiting = new Set<() => void>();

  const cut = (reason: "buffer" | "stall") => {
    if (cutOff) return;
    cutOff = true;
    // A peer that does not read would not read a close frame either: drop the connection.
    socket.terminate();
    for (const release of [...waiting]) release();
    options.onCutOff?.(reason);
  };

  return {
    get cutOff() {
      return cutOff;
    },
    send(text) {
      if (cutOff || socket.readyState !== OPEN) return;
      // Only a peer that is already behind is refused: a single large message to a reading peer passes.
      const buffered = socket.bufferedAmount;
      if (buffered > options.highWaterBytes && buffered + text.length > options.maxBufferedBytes) {
        cut("buffer");
        return;
      }
      if (buffered + text.length < options.highWaterBytes) {
        socket.send(text);
        return;
      }
      return new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const release = () => {
          if (!waiting.delete(release)) return;
          clearTimeout(timer);
          resolve();
        };
        waiting.add(release);
        if (Number.isFinite(options.stallTimeoutMs)) {
          timer = setTimeout(() => cut("stall"), Math.min(options.stallTimeoutMs, MAX_TIMER_MS));
          timer.unref?.();
        }
        // Called once the message is written to the socket, or with an error when it never will be.
        socket.send(text, () => release());
      });
    },
    dispose() {
      for (const release of [...waiting]) release();
    },
  };
}
