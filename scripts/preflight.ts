// Run before plan, deploy, destroy and outputs: one sentence instead of a wall of stack trace
// when Terraform or AWS credentials are missing.
import { spawnSync } from "node:child_process";
import { requireAwsCredentials } from "./aws-credentials";
import { UserError } from "../contract";
import { runCommand } from "../contract/cli";
import { selectedStage } from "./stage";

/** The oldest Terraform the README promises to work with (both guides say "Terraform 1.10 or newer"). */
export const MIN_TERRAFORM = "1.10";

function olderThan(version: string, minimum: string): boolean {
  const have = version.split(".").map(Number);
  const need = minimum.split(".").map(Number);
  for (let i = 0; i < need.length; i++) {
    if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) < need[i];
  }
  return false;
}

export function preflight(env: NodeJS.ProcessEnv): string {
  const stage = selectedStage(env);
  const terraform = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env });
  if (terraform.error || terraform.status !== 0) {
    throw new UserError(`Terraform is not installed (no terraform on PATH): install Terraform ${MIN_TERRAFORM} or newer, which cdktf drives.`);
  }
  const version = String(JSON.parse(terraform.stdout).terraform_version ?? "?");
  if (!/^\d+\.\d+/.test(version) || olderThan(version, MIN_TERRAFORM)) {
    throw new UserError(`Terraform ${version} is too old: denwa needs Terraform ${MIN_TERRAFORM} or newer (its S3 state locking), see the README.`);
  }
  const credentials = requireAwsCredentials(env);
  return `${stage.stack} in ${stage.region}: Terraform ${version}, AWS credentials from ${credentials}.`;
}

if (require.main === module) {
  runCommand({ name: "preflight", usage: "usage: npx tsx scripts/preflight.ts (run by make plan, deploy, destroy and outputs)", options: {} }, () =>
    console.log(preflight(process.env)),
  );
}
