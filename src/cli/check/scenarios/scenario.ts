import type { Transport } from "../report-types.js";
import type { ScenarioContext } from "../scenario-context.js";

export interface Scenario {
  /** Stable id, used by `--only`/`--skip`, the JSON report and `--record` file names. */
  id: string;
  transport: Transport;
  title: string;
  /** The rules the scenario exercises (every exchange also applies the rules of its kind). */
  rules: string[];
  run(ctx: ScenarioContext): Promise<void>;
}
