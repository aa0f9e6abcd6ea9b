// Stands in for the `ws` package where the "node" export condition is not set (browsers, Workers, edge
// bundles): those runtimes have a global WebSocket, so the client never loads `ws` there, and their
// bundlers need not resolve it. See "imports" in package.json.
export const WebSocket = null;
