/** W7: how long a WebSocket connection may stay open by default (60 minutes). */
export const DEFAULT_CONNECTION_AGE_MS = 60 * 60 * 1000;

/** How long a WebSocket connection may wait on its client (idle between turns, or not reading) by default. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;
