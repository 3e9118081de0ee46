import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadStack } from "../local/stack";
import { ECHO, writeStack } from "./helpers/local-stack";

const fixture = {
  functions: { echo: { files: ECHO, timeout: 7, environment: { DENWA_STAGE: "test" } } },
  methods: [
    { path: "/voice/hello", method: "POST", function: "echo", requestTemplates: { "application/json": "$${literal} %%{x}" } },
    { path: "/items/{id}", method: "ANY", function: "echo" },
  ],
  stageVariables: { voice: "Polly.Mizuki" },
};

const load = suite("loadStack");

load("builds the resource tree with nested paths and each method's integration", () => {
  const dir = writeStack(fixture);
  try {
    const [api] = loadStack(dir).apis;
    assert.equal(api.resources.map((r) => r.path).sort(), ["/", "/items", "/items/{id}", "/voice", "/voice/hello"]);
    const hello = api.resources.find((r) => r.path === "/voice/hello")!;
    assert.is(hello.methods[0].httpMethod, "POST");
    assert.is(hello.methods[0].integration?.type, "AWS");
    assert.is(hello.methods[0].integration?.uri, `arn:aws:apigateway:ap-northeast-1:lambda:path/2015-03-31/functions/arn:aws:lambda:ap-northeast-1:123456789012:function:fixture-echo/invocations`);
    assert.equal([...hello.methods[0].responses.keys()], ["200"]);
    assert.is(hello.methods[0].integration?.requestTemplates["application/json"], "${literal} %{x}", "Terraform's $${ and %%{ escapes are undone");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

load("reads stages with variables, functions with their zip path, timeout and environment", () => {
  const dir = writeStack(fixture);
  try {
    const stack = loadStack(dir);
    assert.match(stack.apis[0].stages[0].deploymentId, /^[a-z]{6}$/, "a deployment id of API Gateway's shape");
    assert.equal(stack.apis[0].stages, [{ name: "test", deploymentId: stack.apis[0].stages[0].deploymentId, variables: { voice: "Polly.Mizuki" } }]);
    const [fn] = stack.functions;
    assert.is(fn.zip, join(dir, "assets", "echo.zip"), "filename is relative to the stack folder");
    assert.is(fn.name, "fixture-echo");
    assert.is(fn.timeoutSeconds, 7);
    assert.equal(fn.environment, { DENWA_STAGE: "test" });
    assert.is(stack.region, "ap-northeast-1");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

load("resolves permissions' source ARNs against the API's execution ARN, and outputs", () => {
  const dir = writeStack(fixture);
  try {
    const stack = loadStack(dir);
    const api = stack.apis[0];
    assert.match(api.executionArn, /^arn:aws:execute-api:ap-northeast-1:123456789012:[a-z]{10}$/);
    assert.equal(stack.permissions.map((p) => p.sourceArn), [`${api.executionArn}/*/POST/voice/hello`, `${api.executionArn}/*/*/items/{id}`]);
    assert.is(stack.permissions[0].functionName, "fixture-echo");
    assert.equal(stack.outputs, { url: `https://${api.id}.execute-api.ap-northeast-1.amazonaws.com/test` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

load("says in one sentence when there is no stack or it is not JSON", () => {
  assert.throws(() => loadStack("/nonexistent/stack"), /^No synthesized stack at \/nonexistent\/stack\/cdk\.tf\.json/);
  const dir = writeStack(fixture);
  try {
    writeFileSync(join(dir, "cdk.tf.json"), "{ not json");
    assert.throws(() => loadStack(dir), /cdk\.tf\.json is not valid JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

load.run();
