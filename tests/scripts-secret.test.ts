import { suite } from "uvu";
import * as assert from "uvu/assert";
import { storeSecret } from "../scripts/secret";
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

/** The SDK reads its endpoint and credentials from process.env, as it does on a person's machine. */
async function store(env: NodeJS.ProcessEnv, printed: string[], prompt: (question: string) => Promise<string> = async () => assert.unreachable("no prompt expected") as never) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await storeSecret({ env: process.env, print: (l) => printed.push(l), prompt });
  } finally {
    process.env = saved;
  }
}

const secret = suite("storeSecret");

secret("stores TWILIO_AUTH_TOKEN as a SecureString under the stage's parameter, through the AWS SDK", () =>
  withSsm(async (ssm, env, printed) => {
    await store({ ...env, TWILIO_AUTH_TOKEN: NEW }, printed);
    assert.equal(ssm.requests.map((r) => [r.target, r.signatureOk]), [["AmazonSSM.PutParameter", true]]);
    assert.equal(ssm.requests[0].body, { Name: PARAM, Value: NEW, Type: "SecureString", Overwrite: true, Description: "Twilio auth token(s) of denwa dev, newest first" });
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
    assert.match(printed[0], /version 5\); the previous token stays valid until you run make secret again without ROTATE\.$/);
    await store({ ...env, TWILIO_AUTH_TOKEN: NEW }, printed);
    assert.is(ssm.parameters.get(PARAM)?.value, NEW, "without ROTATE only the new token stays");
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
