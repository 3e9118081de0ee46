import { suite } from "uvu";
import * as assert from "uvu/assert";
import { storeSecret } from "../scripts/secret";
import type { StageName } from "../infra/names";
import type { StageSettings } from "../infra/stage-config";
import { CREDENTIALS, REGION, startSsmStandIn, type SsmStandIn } from "../local/ssm-stand-in";

const PARAM = "/denwa/dev/twilio-auth-token";
const NEW = "0123456789abcdef0123456789abcdef";
const OLD = "fedcba9876543210fedcba9876543210";

async function withSsm(run: (ssm: SsmStandIn, env: NodeJS.ProcessEnv, printed: string[]) => Promise<void>) {
  const ssm = await startSsmStandIn();
  try {
    await run(ssm, {
      STAGE: "dev",
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    }, []);
  } finally {
    await ssm.close();
  }
}

/** The endpoint and credentials come from `env`, as they would from a person's shell. */
async function store(
  env: NodeJS.ProcessEnv,
  printed: string[],
  prompt: (question: string) => Promise<string> = async () => assert.unreachable("no prompt expected") as never,
  stages?: Record<StageName, StageSettings>,
) {
  await storeSecret({ env: { ...env }, print: (l) => printed.push(l), prompt, stages });
}

const secret = suite("storeSecret");

secret("stores TWILIO_AUTH_TOKEN as a SecureString under the stage's parameter, through the AWS SDK", () =>
  withSsm(async (ssm, env, printed) => {
    await store({ ...env, TWILIO_AUTH_TOKEN: NEW }, printed);
    assert.equal(ssm.requests.map((r) => [r.target, r.signatureOk]), [["AmazonSSM.GetParameter", true], ["AmazonSSM.PutParameter", true]]);
    assert.equal(ssm.requests[1].body, { Name: PARAM, Value: NEW, Type: "SecureString", Overwrite: true, Description: "Twilio auth token(s) of denwa dev, newest first" });
    assert.equal(printed, [`Stored the auth token of dev in ${PARAM} (ap-northeast-1, SecureString version 1).`]);
    assert.not.ok(printed.join("").includes(NEW), "the token is never printed");
  }));

secret("asks for the token when the environment has none", () =>
  withSsm(async (ssm, env, printed) => {
    let asked = "";
    await store(env, printed, async (q) => ((asked = q), ` ${NEW}\n`));
    assert.is(asked, "Twilio auth token for dev: ");
    assert.is(ssm.parameters.get(PARAM)?.value, NEW);
  }));

secret("ROTATE=1 keeps the previous token valid after the new one", () =>
  withSsm(async (ssm, env, printed) => {
    ssm.parameters.set(PARAM, { value: OLD, type: "SecureString", version: 4 });
    await store({ ...env, TWILIO_AUTH_TOKEN: NEW, ROTATE: "1" }, printed);
    assert.equal(ssm.requests.map((r) => r.target), ["AmazonSSM.GetParameter", "AmazonSSM.PutParameter"]);
    assert.is(ssm.parameters.get(PARAM)?.value, `${NEW},${OLD}`);
    assert.match(printed[0], /version 5\); the previous auth token stays valid until you run make secret again without ROTATE\.$/);
    await store({ ...env, TWILIO_AUTH_TOKEN: NEW }, printed);
    assert.is(ssm.parameters.get(PARAM)?.value, NEW, "without ROTATE only the new token stays");
  }));

secret("SHARED_KEY=1 stores TWILIO_SHARED_KEY as a SharedKey secret beside the auth tokens; storing a token later keeps it", () =>
  withSsm(async (ssm, env, printed) => {
    const SHARED = "sk_0123456789abcdefghij";
    ssm.parameters.set(PARAM, { value: `${NEW},${OLD}`, type: "SecureString", version: 2 });
    await store({ ...env, TWILIO_SHARED_KEY: SHARED, SHARED_KEY: "1" }, printed);
    assert.is(ssm.parameters.get(PARAM)?.value, `${NEW},${OLD},sharedkey:${SHARED}`, "the tokens stay, the shared key is added");
    assert.equal(printed, [`Stored the SharedKey secret of dev in ${PARAM} (ap-northeast-1, SecureString version 3).`]);
    await store({ ...env, TWILIO_SHARED_KEY: "sk_abcdefghij0123456789", SHARED_KEY: "1", ROTATE: "1" }, printed);
    assert.is(ssm.parameters.get(PARAM)?.value, `${NEW},${OLD},sharedkey:sk_abcdefghij0123456789,sharedkey:${SHARED}`, "ROTATE=1 keeps the previous shared key");
    await store({ ...env, TWILIO_AUTH_TOKEN: NEW, TWILIO_SHARED_KEY: SHARED }, printed);
    assert.is(ssm.parameters.get(PARAM)?.value, `${NEW},sharedkey:sk_abcdefghij0123456789,sharedkey:${SHARED}`, "a new token alone drops the old token, not the shared keys");
    assert.not.ok(printed.join("").includes(SHARED), "the shared key is never printed");
  }));

secret("SHARED_KEY=1 asks for the shared key; one with a comma or too short is refused", () =>
  withSsm(async (ssm, env, printed) => {
    let asked = "";
    await store({ ...env, SHARED_KEY: "1" }, printed, async (q) => ((asked = q), "sk_0123456789abcdefghij\n"));
    assert.is(asked, "Twilio SharedKey secret for dev: ");
    assert.is(ssm.parameters.get(PARAM)?.value, "sharedkey:sk_0123456789abcdefghij", "nothing stored before: the shared key alone");
    for (const bad of ["a,b0123456789abcdef", "short"]) {
      await store({ ...env, TWILIO_SHARED_KEY: bad, SHARED_KEY: "1" }, []).then(
        () => assert.unreachable(),
        (err: Error) => assert.is(err.message, "TWILIO_SHARED_KEY is not a SharedKey secret (at least 16 characters, no spaces or commas, from the Twilio console's Webhook Settings)."),
      );
    }
  }));

secret("refuses what is not an auth token, or no credentials, before calling AWS", () =>
  withSsm(async (ssm, env) => {
    await store({ ...env, TWILIO_AUTH_TOKEN: "hunter2" }, []).then(
      () => assert.unreachable(),
      (err: Error) => assert.is(err.message, "TWILIO_AUTH_TOKEN is not a Twilio auth token (32 hexadecimal characters, from the Twilio console)."),
    );
    const noCredentials = { ...env, TWILIO_AUTH_TOKEN: NEW, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", HOME: "/nonexistent", AWS_PROFILE: "" };
    await store(noCredentials, []).then(
      () => assert.unreachable(),
      (err: Error) => assert.match(err.message, /^No AWS credentials found: set AWS_PROFILE/),
    );
    assert.is(ssm.requests.length, 0);
  }));

secret("ROTATE=1 with nothing stored yet says what to do first", () =>
  withSsm(async (_ssm, env) => {
    await store({ ...env, TWILIO_AUTH_TOKEN: NEW, ROTATE: "1" }, []).then(
      () => assert.unreachable(),
      (err: Error) => assert.is(err.message, `ROTATE=1 needs a token to keep, and ${PARAM} does not exist yet: run make secret without ROTATE first.`),
    );
  }));

secret.run();

const declared = suite("storeSecret NAME=…: a secret the stage declares");
const STAGES_WITH_SECRETS: Record<StageName, StageSettings> = { dev: { secrets: ["CRM_API_KEY"], functions: { "voice/menu": { secrets: ["MENU_TOKEN"] } } }, prod: {} };
const CRM_KEY = "crm-key-with-日本語-and-symbols=&";

declared("stores it from the variable of its name, in its own SecureString under the stage's prefix", () =>
  withSsm(async (ssm, env, printed) => {
    await store({ ...env, NAME: "CRM_API_KEY", CRM_API_KEY: CRM_KEY }, printed, undefined, STAGES_WITH_SECRETS);
    assert.equal(ssm.requests.map((r) => [r.target, r.signatureOk]), [["AmazonSSM.PutParameter", true]]);
    assert.equal(ssm.requests[0].body, { Name: "/denwa/dev/secrets/CRM_API_KEY", Value: CRM_KEY, Type: "SecureString", Overwrite: true, Description: "CRM_API_KEY of denwa dev" });
    assert.equal(printed, ["Stored CRM_API_KEY of dev in /denwa/dev/secrets/CRM_API_KEY (ap-northeast-1, SecureString version 1); functions read it at their next cold start."]);
    assert.not.ok(printed.join("").includes(CRM_KEY), "the value is never printed");
  }));

declared("a route's own secret is declared too, and is asked for when the environment has none", () =>
  withSsm(async (ssm, env, printed) => {
    let asked = "";
    await store({ ...env, NAME: "MENU_TOKEN" }, printed, async (question) => ((asked = question), " typed-value "), STAGES_WITH_SECRETS);
    assert.is(asked, "MENU_TOKEN for dev: ");
    assert.is(ssm.parameters.get("/denwa/dev/secrets/MENU_TOKEN")?.value, "typed-value", "stored trimmed");
  }));

declared("a name the stage does not declare is refused in one sentence, before AWS is asked", () =>
  withSsm(async (ssm, env) => {
    await store({ ...env, NAME: "CRM_APIKEY", CRM_APIKEY: "x" }, [], undefined, STAGES_WITH_SECRETS).then(
      () => assert.unreachable("must refuse"),
      (err: Error) => assert.is(err.message, "The dev stage declares no secret CRM_APIKEY (it declares CRM_API_KEY, MENU_TOKEN): add it to secrets in infra/stages.ts first."),
    );
    await store({ ...env, STAGE: "prod", NAME: "CRM_API_KEY", CRM_API_KEY: "x" }, [], undefined, STAGES_WITH_SECRETS).then(
      () => assert.unreachable("must refuse"),
      (err: Error) => assert.is(err.message, "The prod stage declares no secret CRM_API_KEY (it declares none): add it to secrets in infra/stages.ts first."),
    );
    assert.is(ssm.requests.length, 0);
  }));

declared.run();
