// Run before plan, deploy, destroy and outputs: one sentence instead of a wall of stack trace
// when Terraform or AWS credentials are missing.
import { spawnSync } from "node:child_process";
import { requireAwsCredentials } from "./aws-credentials";
import { UserError } from "../contract";
import { runCommand } from "../contract/cli";
import { selectedStage } from "./stage";

export function preflight(env: NodeJS.ProcessEnv): string {
  const stage = selectedStage(env);
  const terraform = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env });
  if (terraform.error || terraform.status !== 0) {
    throw new UserError("Terraform is not installed (no terraform on PATH): install Terraform 1.10 or newer, which cdktf drives.");
  }
  const credentials = requireAwsCredentials(env);
  const version = (JSON.parse(terraform.stdout).terraform_version as string) ?? "?";
  return `${stage.stack} in ${stage.region}: Terraform ${version}, AWS credentials from ${credentials}.`;
}

if (require.main === module) {
  runCommand({ name: "preflight", usage: "usage: npx tsx scripts/preflight.ts (run by make plan, deploy, destroy and outputs)", options: {} }, () =>
    console.log(preflight(process.env)),
  );
}
