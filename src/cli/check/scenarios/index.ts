import { httpBasics } from "./http-basics.js";
import { httpErrors } from "./http-errors.js";
import { httpTools } from "./http-tools.js";
import type { Scenario } from "./scenario.js";
import { websocketScenarios } from "./websocket.js";

export type { Scenario } from "./scenario.js";

/** Every scenario, in the order they run. */
export const SCENARIOS: readonly Scenario[] = [
  ...httpBasics,
  ...httpTools,
  ...httpErrors,
  ...websocketScenarios,
];
