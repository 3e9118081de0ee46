// Wires the typed stage configuration to one Terraform stack per stage, and nothing else:
// `npx tsx main.ts` (make synth) or `cdktf synth` writes cdktf.out/stacks/denwa-<stage>/.
import { App } from "cdktf";
import { readManifest } from "./contract/webhooks";
import { DenwaStack } from "./infra/denwa-stack";
import { STAGE_NAMES, stackName } from "./infra/names";
import { resolveStageConfig } from "./infra/stage-config";
import { STAGES } from "./infra/stages";

try {
  const functions = readManifest();
  const app = new App();
  for (const stage of STAGE_NAMES) {
    new DenwaStack(app, stackName(stage), { config: resolveStageConfig(stage, STAGES[stage]), functions });
  }
  app.synth();
} catch (error) {
  // Configuration and build mistakes are meant for people: their sentence, not a stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
