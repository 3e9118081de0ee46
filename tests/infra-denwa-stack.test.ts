import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UserError } from "../contract";
import { fakeBuild, ref, ROUTES, synthStage, type Synthesized } from "./helpers/infra-synth";

const dev = synthStage("dev");
const prod = synthStage("prod", {
  settings: {
    region: "us-west-2",
    publicBaseUrl: "https://voice.example.jp/",
    remoteState: { bucket: "denwa-state" },
    tags: { team: "phones" },
  },
});

/** Asserts that synthesizing fails with exactly this sentence, as a UserError. */
function refuses(synth: () => unknown, message: string): void {
  assert.throws(synth, (error: unknown) => {
    if (!(error instanceof UserError)) return false;
    assert.is(error.message, message);
    return true;
  });
}

const stack = suite("DenwaStack provider and state");

stack("the AWS provider is in the stage's region and tags everything with app, stage and the stated tags", () => {
  assert.equal(dev.json.provider.aws, [{ region: "ap-northeast-1", default_tags: [{ tags: { app: "denwa", stage: "dev" } }] }]);
  assert.equal(prod.json.provider.aws, [{ region: "us-west-2", default_tags: [{ tags: { team: "phones", app: "denwa", stage: "prod" } }] }]);
});

stack("without remote state, the local state file lives at the project root, by a path relative to the stack folder", () => {
  const synth = synthStage("dev");
  const path = synth.json.terraform.backend.local.path as string;
  assert.not.ok(path.startsWith("/"), "relative, so any checkout can plan it");
  assert.ok(path.endsWith("/terraform.denwa-dev.tfstate"), path);
});

stack("remote state is S3, encrypted, with Terraform's native lock file", () => {
  assert.equal(prod.json.terraform.backend, {
    s3: { bucket: "denwa-state", key: "denwa/prod/terraform.tfstate", region: "us-west-2", encrypt: true, use_lockfile: true },
  });
});

stack.run();

const outputs = suite("DenwaStack outputs");

outputs("invoke_url is the stage's execute-api URL", () => {
  for (const synth of [dev, prod]) {
    assert.equal(synth.json.output.invoke_url, {
      value: ref(synth, "aws_api_gateway_stage", "stage/stage", "invoke_url"),
      description: "The stage's execute-api URL.",
    });
  }
});

outputs("webhook_urls maps each route to its full URL: the invoke URL, or the public base URL of a custom domain", () => {
  const urls = (synth: Synthesized) => synth.json.output.webhook_urls.value as Record<string, string>;
  const invoke = ref(dev, "aws_api_gateway_stage", "stage/stage", "invoke_url");
  assert.equal(urls(dev), Object.fromEntries(ROUTES.map((route) => [route, `${invoke}/${route}`])));
  assert.equal(urls(prod), Object.fromEntries(ROUTES.map((route) => [route, `https://voice.example.jp/${route}`])));
  assert.is(prod.json.output.webhook_urls.description, "Each webhook's full URL, as pasted into the Twilio console.");
});

outputs.run();

const checks = suite("DenwaStack build checks");

checks("refuses an empty build, two routes with one function name, and sizes for a route not built", () => {
  refuses(() => synthStage("dev", { functions: [] }), "The build lists no functions: add a webhook under functions/ and run `make build`.");
  const [a] = fakeBuild(["voice/hello"]);
  refuses(() => synthStage("dev", { functions: [a, { ...a, route: "voice-hello" }] }), "The routes voice/hello and voice-hello would share the function name denwa-dev-voice-hello.");
  refuses(() => synthStage("dev", { functions: [a], settings: { functions: { "voice/helo": { memoryMb: 512 } } } }), "The dev stage configures the function voice/helo, which the build does not list.");
  refuses(() => synthStage("dev", { functions: [{ ...a, route: "voice/{id}" }] }), 'The route "voice/{id}" is not lower-case words, digits and dashes separated by "/", such as voice/hello.');
});

checks.run();
