/**
 * The server kit: its web-standard part (`./portable.ts`) and the Node adapter `serve` (`../node/`).
 * Only the `node` build of `openresponses/server` imports this barrel; the portable build takes
 * `./portable.ts`.
 */

export { type RunningServer, type ServeOptions, serve } from "../node/serve.js";
export * from "./portable.js";
