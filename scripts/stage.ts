// The stage a script works on: STAGE (dev by default), resolved as infra resolves it.
import { STAGE_NAMES, stackName, type StageName } from "../infra/names";
import { resolveStageConfig, type StageConfig, type StageSettings } from "../infra/stage-config";
import { STAGES } from "../infra/stages";
import { UserError } from "../contract";

export function selectedStage(env: NodeJS.ProcessEnv = process.env, stages: Record<StageName, StageSettings> = STAGES): StageConfig & { stack: string } {
  const stage = (env.STAGE || "dev") as StageName;
  if (!STAGE_NAMES.includes(stage)) {
    throw new UserError(`STAGE=${stage} is not a stage of this project; use one of ${STAGE_NAMES.join(", ")}.`);
  }
  return { ...resolveStageConfig(stage, stages[stage]), stack: stackName(stage) };
}
