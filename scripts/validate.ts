// make validate: Terraform's own reading of every synthesized stack. For each stack in
// cdktf.out/stacks: terraform init and validate, then terraform test with a mock AWS provider
// that applies the stack and then applies it again with a changed mapping template, which must
// change the deployment's triggers (the provider replaces a deployment whose triggers change).
// Terraform runs on temporary copies; a machine without network uses a local copy of the
// hashicorp/aws provider through a CLI configuration (provider_installation/filesystem_mirror).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { UserError } from "../contract";
import { runCommand } from "../contract/cli";
import { readManifest } from "../contract/webhooks";
import { DenwaStack } from "../infra/denwa-stack";
import { STAGE_NAMES, stackName } from "../infra/names";
import { resolveStageConfig } from "../infra/stage-config";
import { STAGES } from "../infra/stages";
import { readTemplates } from "../infra/templates";
import { mockProviderBlock, testFile, type StackJson } from "./validate-test-file";

const STACKS_DIR = "cdktf.out/stacks";
const AWS = "registry.terraform.io/hashicorp/aws";
/** Where an offline machine image keeps provider binaries, in the filesystem_mirror layout. */
const MIRROR_CANDIDATES = ["/opt/tf-plugins", join(homedir(), ".terraform.d/plugins"), "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"];
/** What the update run changes: one line more in the response template. */
export const CHANGED_TEMPLATE_LINE = "## make validate: a changed template\n";

export interface ProviderMirror {
  dir: string;
  version: string;
}

/** A local copy of hashicorp/aws for this platform, or undefined (terraform init then downloads it). */
export function findProviderMirror(candidates = MIRROR_CANDIDATES): ProviderMirror | undefined {
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  for (const dir of candidates) {
    const versions = join(dir, AWS);
    if (!existsSync(versions)) continue;
    const version = readdirSync(versions).find((v) => existsSync(join(versions, v, platform)));
    if (version) return { dir, version };
  }
  return undefined;
}

function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  const run = spawnSync("terraform", args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new UserError(`terraform ${args[0]} could not start: ${run.error.message}.`);
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** The stack as Terraform will read it here: no backend (nothing is deployed), the provider this machine has. */
function copyStack(from: string, to: string, relaxTo: string | undefined): StackJson {
  cpSync(from, to, { recursive: true });
  const file = join(to, "cdk.tf.json");
  const stack = JSON.parse(readFileSync(file, "utf8")) as StackJson;
  delete stack.terraform?.backend;
  const aws = stack.terraform?.required_providers?.aws;
  if (aws && relaxTo) aws.version = relaxTo;
  writeFileSync(file, JSON.stringify(stack, null, 2));
  return stack;
}

/** The stage's stack synthesized again with one line added to response.vtl. */
function synthesizeChanged(stack: string, outdir: string): string | undefined {
  const stage = STAGE_NAMES.find((name) => stackName(name) === stack);
  if (!stage) return undefined;
  const templates = readTemplates();
  const app = new App({ outdir });
  new DenwaStack(app, stack, {
    config: resolveStageConfig(stage, STAGES[stage]),
    functions: readManifest(),
    templates: { ...templates, response: CHANGED_TEMPLATE_LINE + templates.response },
  });
  app.synth();
  return join(outdir, "stacks", stack);
}

export function validate(env: NodeJS.ProcessEnv, log: (line: string) => void): number {
  const version = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (version.error || version.status !== 0) {
    log("Skipped: Terraform is not installed (no terraform on PATH), so make validate checked nothing.");
    return 0;
  }
  if (!existsSync(STACKS_DIR)) throw new UserError(`No ${STACKS_DIR}: run make synth first.`);
  const work = mkdtempSync(join(tmpdir(), "denwa-validate-"));
  try {
    const mirror = findProviderMirror();
    const tfEnv: NodeJS.ProcessEnv = { ...env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
    let relaxTo: string | undefined;
    if (mirror) {
      const rc = join(work, "terraform.rc");
      writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror.dir)}\n    include = ["${AWS}"]\n  }\n  direct {\n    exclude = ["${AWS}"]\n  }\n}\n`);
      tfEnv.TF_CLI_CONFIG_FILE = rc;
      relaxTo = mirror.version;
    }
    let failed = 0;
    for (const stack of readdirSync(STACKS_DIR).sort()) {
      const dir = join(work, stack);
      const json = copyStack(join(STACKS_DIR, stack), dir, relaxTo);
      const pinned = JSON.parse(readFileSync(join(STACKS_DIR, stack, "cdk.tf.json"), "utf8")).terraform?.required_providers?.aws?.version;
      if (relaxTo && pinned !== relaxTo) {
        log(`${stack}: hashicorp/aws ${pinned} is pinned; this machine has only ${relaxTo} (${mirror!.dir}), so the temporary copy requires ${relaxTo}.`);
      }
      const changedFrom = synthesizeChanged(stack, join(work, `${stack}.changed-synth`));
      const changed = changedFrom ? copyStack(changedFrom, join(dir, "changed"), relaxTo) : undefined;
      writeFileSync(join(dir, "validate.tftest.hcl"), mockProviderBlock() + testFile(json, changed));

      log(`${stack}: terraform init`);
      const init = terraform(["init", "-no-color"], dir, tfEnv);
      if (!init.ok) {
        if (!mirror && /could not connect|Failed to query available provider packages/i.test(init.output)) {
          log(`Skipped: terraform init could not download hashicorp/aws (offline) and no local copy is in ${MIRROR_CANDIDATES.join(", ")}.`);
          return 0;
        }
        log(init.output);
        failed++;
        continue;
      }
      for (const step of [["validate", "-no-color"], ["test", "-no-color"]]) {
        log(`${stack}: terraform ${step[0]}`);
        const result = terraform(step, dir, tfEnv);
        if (!result.ok) {
          log(result.output);
          failed++;
          break;
        }
        const summary = /^(Success! .*|.*\d+ passed, \d+ failed.*)$/m.exec(result.output)?.[0];
        if (summary) log(`${stack}: ${summary}`);
      }
    }
    log(failed === 0 ? "make validate: every stack passed terraform validate and terraform test." : `make validate: ${failed} stack(s) failed.`);
    return failed === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runCommand({ name: "make validate", usage: "usage: npx tsx scripts/validate.ts (make validate, after make synth)", options: {} }, () =>
    validate(process.env, (line) => console.log(line)),
  );
}
