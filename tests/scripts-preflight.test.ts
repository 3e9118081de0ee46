import { suite } from "uvu";
import * as assert from "uvu/assert";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { preflight } from "../scripts/preflight";

/** A folder holding a stand-in `terraform` that answers `version -json` like Terraform 1.10. */
function fakeTerraformPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "denwa-tf-"));
  writeFileSync(join(dir, "terraform"), `#!/bin/sh\necho '{"terraform_version":"1.10.5"}'\n`);
  chmodSync(join(dir, "terraform"), 0o755);
  return dir;
}

const check = suite("preflight");
const empty = mkdtempSync(join(tmpdir(), "denwa-empty-"));

check("no terraform on PATH: one sentence saying what to install", () => {
  assert.throws(() => preflight({ PATH: empty, HOME: empty, AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" }), /^Terraform is not installed \(no terraform on PATH\): install Terraform 1\.10 or newer, which cdktf drives\.$/);
});

check("no AWS credentials: one sentence naming the variables", () => {
  assert.throws(() => preflight({ PATH: fakeTerraformPath(), HOME: empty }), /^No AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
});

check("both present: names the stack, region, Terraform version and credential source", () => {
  const env: NodeJS.ProcessEnv = { PATH: fakeTerraformPath(), HOME: empty, AWS_PROFILE: "denwa", STAGE: "prod" };
  assert.is(preflight(env), "denwa-prod in ap-northeast-1: Terraform 1.10.5, AWS credentials from profile denwa.");
  assert.is(env.AWS_EC2_METADATA_DISABLED, "true", "the SDK is kept from asking the EC2 metadata address");
});

check.run();
