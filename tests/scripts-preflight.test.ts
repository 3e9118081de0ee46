import { suite } from "uvu";
import * as assert from "uvu/assert";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { MIN_TERRAFORM, preflight } from "../scripts/preflight";

/** A folder holding a stand-in `terraform` that answers `version -json` like Terraform `version`. */
function fakeTerraformPath(version = "1.10.5"): string {
  const dir = mkdtempSync(join(tmpdir(), "denwa-tf-"));
  writeFileSync(join(dir, "terraform"), `#!/bin/sh\necho '{"terraform_version":"${version}"}'\n`);
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

check("a Terraform older than the README promises: one sentence naming both versions", () => {
  const credentials = { HOME: empty, AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" };
  assert.throws(() => preflight({ PATH: fakeTerraformPath("1.9.8"), ...credentials }), /^Terraform 1\.9\.8 is too old: denwa needs Terraform 1\.10 or newer/);
  assert.throws(() => preflight({ PATH: fakeTerraformPath("0.15.0"), ...credentials }), /too old/);
  assert.match(preflight({ PATH: fakeTerraformPath("1.11.4"), ...credentials }), /Terraform 1\.11\.4/);
  assert.match(preflight({ PATH: fakeTerraformPath("2.0.0"), ...credentials }), /Terraform 2\.0\.0/);
});

check("the version checked is the one both READMEs promise", () => {
  assert.ok(readFileSync(join(__dirname, "..", "README.md"), "utf8").includes(`Terraform ${MIN_TERRAFORM} or newer`), "README.md");
  assert.ok(readFileSync(join(__dirname, "..", "README.ja.md"), "utf8").includes(`Terraform ${MIN_TERRAFORM} 以降`), "README.ja.md");
});

check.run();
