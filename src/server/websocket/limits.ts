/** W7: how long a WebSocket connection may stay open by default (60 minutes). */
export const DEFAULT_CONNECTION_AGE_MS = 60 * 60 * 1000;
