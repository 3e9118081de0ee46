import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MANIFEST } from "../contract/webhooks";

const ROOT = join(__dirname, "..");

const main = suite("main.ts");

main("synthesizes one stack per stage from the build, or says in one sentence that there is none", () => {
  const outdir = mkdtempSync(join(tmpdir(), "denwa-main-"));
  const run = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
  if (!existsSync(MANIFEST)) {
    assert.is(run.status, 2, "a person's mistake");
    assert.is(run.stderr, `make synth: No build found at ${MANIFEST}: run \`make build\` first.\n`, "one sentence, no stack trace");
    return;
  }
  assert.is(run.status, 0, run.stderr);
  assert.is(
    run.stdout.split("\n").filter((line) => line.startsWith("Alarms of")).join("\n"),
    "Alarms of dev and prod have no actions, as no SNS topic is configured: set alarms.topic in infra/stages.ts to be told.",
    "said once for every stage without a topic",
  );
  for (const stack of ["denwa-dev", "denwa-prod"]) {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    assert.is(json.provider.aws[0].default_tags[0].tags.stage, stack.slice("denwa-".length));
    assert.is(Object.keys(json.resource.aws_lambda_function).length, JSON.parse(readFileSync(MANIFEST, "utf8")).length, `${stack} has every built function`);
  }
  const prod = JSON.parse(readFileSync(join(outdir, "stacks", "denwa-prod", "cdk.tf.json"), "utf8"));
  for (const fn of Object.values<any>(prod.resource.aws_lambda_function)) assert.is(fn.environment.variables.DENWA_DEBUG, "false", "prod never debugs");
});

main("DENWA_REMOTE_STATE=required, as the CI workflow sets it, refuses a stage without remote state in one sentence", () => {
  if (!existsSync(MANIFEST)) return;
  const run = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: mkdtempSync(join(tmpdir(), "denwa-main-")), DENWA_REMOTE_STATE: "required" },
    encoding: "utf8",
  });
  assert.is(run.status, 2, "a person's mistake");
  assert.is(run.stderr, "make synth: The dev stage has no remoteState in infra/stages.ts: CI plans and deploys only from remote state, as its runners keep no files.\n");
});

main("make ci-role without CI.repository in infra/stages.ts says what to set", () => {
  if (!existsSync(MANIFEST)) return;
  const run = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: mkdtempSync(join(tmpdir(), "denwa-main-")), DENWA_CI_STACK: "required" },
    encoding: "utf8",
  });
  assert.is(run.status, 2, "a person's mistake");
  assert.is(run.stderr, 'make synth: The CI role needs the repository that deploys: set CI.repository = "owner/name" in infra/stages.ts.\n');
});

main.run();
