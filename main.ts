// Wires the typed stage configuration to one Terraform stack per stage, and nothing else:
// `npx tsx main.ts` (make synth) or `cdktf synth` writes cdktf.out/stacks/denwa-<stage>/.
// `make dev` calls synthesize() in its own process, for the dev stage alone.
import { App } from "cdktf";
import { runCommand } from "./contract/cli";
import { readManifest } from "./contract/webhooks";
import { UserError, type BuiltFunction } from "./contract";
import { DenwaStack } from "./infra/denwa-stack";
import { STAGE_NAMES, stackName, type StageName } from "./infra/names";
import { resolveStageConfig } from "./infra/stage-config";
import { CI_STACK, DenwaCiStack } from "./infra/ci-stack";
import { CI, STAGES } from "./infra/stages";

export interface SynthOptions {
  /** Default: CDKTF_OUTDIR, else cdktf.out. */
  outdir?: string;
  stages?: readonly StageName[];
  /** Refuse a stage without remote state: CI runners keep no state files. */
  requireRemoteState?: boolean;
}

/** Synthesizes the stages; returns the notices for the person who ran it, such as alarms that notify nobody. */
export function synthesize(functions: BuiltFunction[], { outdir, stages = STAGE_NAMES, requireRemoteState = false }: SynthOptions = {}): string[] {
  const app = new App(outdir === undefined ? {} : { outdir });
  const stacks = stages.map(
    (stage) => new DenwaStack(app, stackName(stage), { config: resolveStageConfig(stage, STAGES[stage]), functions, requireRemoteState }),
  );
  if (CI.repository === undefined && process.env.DENWA_CI_STACK === "required") {
    throw new UserError('The CI role needs the repository that deploys: set CI.repository = "owner/name" in infra/stages.ts.');
  }
  if (CI.repository !== undefined && stages === STAGE_NAMES) {
    new DenwaCiStack(app, CI_STACK, { repository: CI.repository, createOidcProvider: CI.createOidcProvider ?? true, stages: stacks.map((stack) => stack.config) });
  }
  app.synth();
  const silent = stacks.filter((stack) => stack.alarmsWithoutActions).map((stack) => stack.config.stage);
  return silent.length === 0 ? [] : [`Alarms of ${silent.join(" and ")} have no actions, as no SNS topic is configured: set alarms.topic in infra/stages.ts to be told.`];
}

if (require.main === module) {
  runCommand({ name: "make synth", usage: "usage: npx tsx main.ts (make synth, cdktf synth): writes cdktf.out/stacks/denwa-<stage>/", options: {} }, () => {
    for (const notice of synthesize(readManifest(), { requireRemoteState: process.env.DENWA_REMOTE_STATE === "required" })) console.log(notice);
  });
}
