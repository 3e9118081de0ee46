// The stacks every reliability suite runs against: the real functions/ and the fixture webhooks of
// ./functions, each built by scripts/build.ts, synthesized by DenwaStack from the real stage
// settings (infra/stages.ts) into a temporary cdktf.out, once per process.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { DenwaStack } from "../../infra/denwa-stack";
import { stackName, STAGE_NAMES, type StageName } from "../../infra/names";
import { resolveStageConfig } from "../../infra/stage-config";
import { STAGES } from "../../infra/stages";
import { buildAll } from "../../scripts/build";
import type { BuiltFunction } from "../../contract";
import { TOKEN } from "./twilio-client";

export const FIXTURE_FUNCTIONS = join(__dirname, "functions");
/** The fixture routes, served beside the starter webhooks. */
export const ECHO = "test/echo";
export const THROWS = "test/throws";
export const SLEEPS = "test/sleeps";
export const NOT_TWIML = "test/not-twiml";
export const SECRET_ROUTE = "test/secret";
/** The secret test/secret declares; the rig hands it over as a local run does (DENWA_LOCAL_SECRETS). */
export const FIXTURE_SECRET = "fixture-secret-4c1e9b7d2a6f8053";
/** The sleeping webhook's function timeout; the fault suite moves the served clock past it. */
export const SLEEPS_TIMEOUT_SECONDS = 1;

export interface Stacks {
  /** The temporary folder holding the builds and cdktf.out. */
  root: string;
  functions: BuiltFunction[];
  /** cdktf.out/stacks/denwa-<stage> of this synth. */
  dirs: Record<StageName, string>;
}

let pending: Promise<Stacks> | undefined;

/** Builds and synthesizes once per process; the folder goes when the process exits. */
export function reliabilityStacks(): Promise<Stacks> {
  pending ??= synthesize();
  return pending;
}

/** With the token in the environment, as `make dev` has it: a build or synth that read it would show in the leak suite. */
async function synthesize(): Promise<Stacks> {
  const saved = process.env.TWILIO_AUTH_TOKEN;
  process.env.TWILIO_AUTH_TOKEN = TOKEN;
  try {
    return await buildAndSynth();
  } finally {
    if (saved === undefined) delete process.env.TWILIO_AUTH_TOKEN;
    else process.env.TWILIO_AUTH_TOKEN = saved;
  }
}

async function buildAndSynth(): Promise<Stacks> {
  const root = mkdtempSync(join(tmpdir(), "denwa-reliability-"));
  process.once("exit", () => rmSync(root, { recursive: true, force: true }));
  const build = (name: string, functionsDir?: string) =>
    buildAll({ functionsDir, outDir: join(root, name), manifestPath: join(root, `${name}.json`) });
  const functions = [...(await build("functions")), ...(await build("fixtures", FIXTURE_FUNCTIONS))];
  const app = new App({ outdir: join(root, "cdktf.out") });
  for (const stage of STAGE_NAMES) {
    const settings = {
      ...STAGES[stage],
      functions: { ...STAGES[stage].functions, [SLEEPS]: { timeoutSeconds: SLEEPS_TIMEOUT_SECONDS }, [SECRET_ROUTE]: { secrets: ["FIXTURE_SECRET"] } },
    };
    new DenwaStack(app, stackName(stage), { config: resolveStageConfig(stage, settings), functions });
  }
  app.synth();
  const dirs = Object.fromEntries(STAGE_NAMES.map((stage) => [stage, join(app.outdir, "stacks", stackName(stage))])) as Record<StageName, string>;
  return { root, functions, dirs };
}
