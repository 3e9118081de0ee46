// Wires the typed stage configuration to one Terraform stack per stage, and nothing else:
// `npx tsx main.ts` (make synth) or `cdktf synth` writes cdktf.out/stacks/denwa-<stage>/.
// `make dev` calls synthesize() in its own process, for the dev stage alone.
import { App } from "cdktf";
import { runCommand } from "./contract/cli";
import { readManifest } from "./contract/webhooks";
import type { BuiltFunction } from "./contract";
import { DenwaStack } from "./infra/denwa-stack";
import { STAGE_NAMES, stackName, type StageName } from "./infra/names";
import { resolveStageConfig } from "./infra/stage-config";
import { STAGES } from "./infra/stages";

export interface SynthOptions {
  /** Default: CDKTF_OUTDIR, else cdktf.out. */
  outdir?: string;
  stages?: readonly StageName[];
}

export function synthesize(functions: BuiltFunction[], { outdir, stages = STAGE_NAMES }: SynthOptions = {}): void {
  const app = new App(outdir === undefined ? {} : { outdir });
  for (const stage of stages) {
    new DenwaStack(app, stackName(stage), { config: resolveStageConfig(stage, STAGES[stage]), functions });
  }
  app.synth();
}

if (require.main === module) {
  runCommand({ name: "make synth", usage: "usage: npx tsx main.ts (make synth, cdktf synth): writes cdktf.out/stacks/denwa-<stage>/", options: {} }, () =>
    synthesize(readManifest()),
  );
}
