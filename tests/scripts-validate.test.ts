import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findProviderMirror } from "../scripts/validate";
import { mockProviderBlock, testFile, type StackJson } from "../scripts/validate-test-file";

const mirror = suite("findProviderMirror");

mirror("finds hashicorp/aws for this platform in the first directory that has it", () => {
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  const empty = mkdtempSync(join(tmpdir(), "denwa-mirror-"));
  const other = mkdtempSync(join(tmpdir(), "denwa-mirror-"));
  mkdirSync(join(other, "registry.terraform.io/hashicorp/aws/5.0.0/plan9_mips"), { recursive: true });
  const found = mkdtempSync(join(tmpdir(), "denwa-mirror-"));
  mkdirSync(join(found, "registry.terraform.io/hashicorp/aws/5.100.0", platform), { recursive: true });
  assert.equal(findProviderMirror([empty, other, found]), { dir: found, version: "5.100.0" });
  assert.is(findProviderMirror([empty, other]), undefined, "another platform's binary is no use");
});

mirror.run();

const file = suite("the terraform test file");

const stack = (hash: string): StackJson => ({
  resource: {
    aws_api_gateway_deployment: { dep_1: { triggers: { configuration: hash } } },
    aws_api_gateway_stage: { stage_1: {} },
    aws_api_gateway_integration_response: { api_voice_hello_GET_200_response_1: {} },
  },
});

file("applies, then applies the changed template onto the same state and checks the triggers and the stage", () => {
  const text = testFile(stack("before"), stack("after"));
  assert.match(text, /run "apply" \{\n  command   = apply\n  state_key = "stack"\n/);
  assert.match(text, /run "update_template" \{\n  command   = apply\n  state_key = "stack"\n  module \{\n    source = "\.\/changed"\n  \}/);
  assert.ok(text.includes('aws_api_gateway_deployment.dep_1.triggers.configuration == "before"'), "the first run sees the synthesized hash");
  assert.ok(text.includes('aws_api_gateway_deployment.dep_1.triggers.configuration == "after" && "after" != "before"'), "the update changes it");
  assert.ok(text.includes("aws_api_gateway_stage.stage_1.deployment_id == aws_api_gateway_deployment.dep_1.id"), "the stage serves the deployment");
  assert.ok(text.includes('aws_api_gateway_integration_response.api_voice_hello_GET_200_response_1.response_templates["application/xml"]'));
});

file("a stack without a deployment (the CI stack) is applied once", () => {
  assert.is(testFile({ resource: { aws_iam_role: { r: {} } } }, undefined), '\nrun "apply" {\n  command   = apply\n  state_key = "stack"\n}\n');
});

file("the mock provider gives ARNs the provider's validation accepts", () => {
  const block = mockProviderBlock();
  assert.match(block, /^mock_provider "aws" \{\n/);
  assert.match(block, /mock_resource "aws_iam_role" \{\n    defaults = \{ arn = "arn:aws:iam::123456789012:role\/denwa-mock" \}/);
  assert.match(block, /mock_data "aws_partition" \{\n    defaults = \{ partition = "aws", dns_suffix = "amazonaws.com" \}/);
});

file.run();
