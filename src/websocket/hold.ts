/**
 * Whether an open WebSocket keeps the process alive. A session between turns holds a connection the
 * caller may simply forget (no `close()`); it must not keep a Node process running. So the socket is
 * unreferenced while no turn is in flight and referenced while one is (the caller awaits it then).
 *
 * Only the `ws` package (the client's WebSocket on Node 20) exposes its TCP socket (`_socket`, a
 * `net.Socket` with `ref`/`unref`); the platform WebSockets of browsers, Deno, Bun and Node 22+ (undici)
 * expose none, and this does nothing there.
 */

interface Referable {
  ref?: () => unknown;
  unref?: () => unknown;
}

/** References (`true`) or unreferences (`false`) the socket's TCP handle, where the implementation has one. */
export function holdProcess(socket: unknown, hold: boolean): void {
  const handle = (socket as { _socket?: Referable | null } | null)?._socket;
  if (!handle) return;
  try {
    if (hold) handle.ref?.();
    else handle.unref?.();
  } catch {
    // A handle that is already closed has nothing to hold.
  }
}
