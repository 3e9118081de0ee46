import { suite } from "uvu";
import * as assert from "uvu/assert";
import { cachedStore, splitTokens } from "../runtime/auth-tokens";
import { getSecureParameters, type SsmClientOptions } from "../runtime/ssm";
import { CREDENTIALS, REGION, startSsmStandIn, type SsmStandIn } from "../local/ssm-stand-in";

const PARAM = "/denwa/dev/twilio-auth-token";

async function withStandIn(run: (ssm: SsmStandIn, options: () => SsmClientOptions) => Promise<void>) {
  const ssm = await startSsmStandIn();
  try {
    await run(ssm, () => ({ region: REGION, credentials: CREDENTIALS, endpoint: ssm.endpoint, timeoutMs: 300 }));
  } finally {
    await ssm.close();
  }
}

const ssm = suite("getSecureParameters");

ssm("reads a SecureString with decryption, signed so the AWS SDK's signer agrees", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    assert.equal(await getSecureParameters([PARAM], options()), { [PARAM]: "tok-a" });
    assert.equal(stand.requests, [{ target: "AmazonSSM.GetParameters", body: { Names: [PARAM], WithDecryption: true }, signatureOk: true }]);
  }));

ssm("a request signed with the wrong secret is refused by the stand-in, as AWS would", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    const wrong = { ...options(), credentials: { ...CREDENTIALS, secretAccessKey: "not-the-secret" } };
    await getSecureParameters([PARAM], wrong).then(
      () => assert.unreachable("must be refused"),
      (err: Error) => assert.is(err.message, `SSM GetParameters ${PARAM} failed: SignatureDoesNotMatch.`),
    );
    assert.is(stand.requests[0].signatureOk, false);
  }));

ssm("a name SSM does not know is left out, as AWS lists it in InvalidParameters", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    assert.equal(await getSecureParameters([PARAM, "/denwa/dev/secrets/NOPE"], options()), { [PARAM]: "tok-a" });
  }));

ssm("more than ten names take one call per ten, GetParameters' limit", () =>
  withStandIn(async (stand, options) => {
    const names = Array.from({ length: 12 }, (_, i) => `/denwa/dev/secrets/S${i}`);
    for (const name of names) stand.parameters.set(name, { value: `v${name.slice(-2)}`, type: "SecureString", version: 1 });
    const values = await getSecureParameters(names, options());
    assert.equal(Object.keys(values), names, "every value came back");
    assert.equal(stand.requests.map((r) => (r.body.Names as string[]).length), [10, 2]);
  }));

ssm("a store slower than the timeout is an error, not a hang", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    let answer!: () => void;
    stand.hold = new Promise((resolve) => (answer = resolve));
    try {
      await getSecureParameters([PARAM], options());
      assert.unreachable("must time out");
    } catch (err) {
      assert.is((err as Error).message, "SSM did not answer within 300 ms.");
    } finally {
      answer();
    }
  }));

ssm.run();

const source = suite("cachedStore");

source("TWILIO_AUTH_TOKEN wins over the parameter and may list several tokens", async () => {
  const tokens = cachedStore({ override: " new-token , old-token ", parameter: PARAM, ssm: () => assert.unreachable("SSM must not be asked") as never }).tokens;
  assert.equal(await tokens(), ["new-token", "old-token"]);
  assert.equal(splitTokens("a,,b, "), ["a", "b"]);
});

source("fetches once per cold start and keeps the tokens", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-new,tok-old", type: "SecureString", version: 2 });
    const tokens = cachedStore({ parameter: PARAM, ssm: options }).tokens;
    assert.equal(await tokens(), ["tok-new", "tok-old"]);
    assert.equal(await tokens(), ["tok-new", "tok-old"]);
    assert.is(stand.requests.length, 1, "one SSM request for two invocations");
  }));

source("inFlight is true exactly while SSM is being asked, after a success and after a failure", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    stand.failWith = { status: 400, type: "AccessDeniedException" };
    const tokens = cachedStore({ parameter: PARAM, ssm: options }).tokens;
    assert.is(tokens.inFlight!(), false, "nothing asked yet");
    const failing = tokens();
    assert.is(tokens.inFlight!(), true, "asked, not answered");
    await failing.catch(() => {});
    assert.is(tokens.inFlight!(), false, "a failed fetch is over too");
    stand.failWith = undefined;
    const fetching = tokens();
    assert.is(tokens.inFlight!(), true);
    await fetching;
    assert.is(tokens.inFlight!(), false);
    await tokens();
    assert.is(tokens.inFlight!(), false, "a kept token asks nothing");
  }));

source("a failed fetch is not kept: the next request tries again and recovers", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    stand.failWith = { status: 500, type: "InternalServerError" };
    const tokens = cachedStore({ parameter: PARAM, ssm: options }).tokens;
    await tokens().then(() => assert.unreachable("must fail"), (err: Error) => assert.match(err.message, /InternalServerError/));
    stand.failWith = undefined;
    assert.equal(await tokens(), ["tok-a"]);
    assert.is(stand.requests.length, 3, "the failed fetch and its one retry, then the recovery");
  }));

source("refresh fetches again only when the kept tokens are older than the interval", () =>
  withStandIn(async (stand, options) => {
    let clock = 1_000;
    stand.parameters.set(PARAM, { value: "tok-old", type: "SecureString", version: 1 });
    const tokens = cachedStore({ parameter: PARAM, ssm: options, refreshAfterMs: 60_000, now: () => clock }).tokens;
    assert.equal(await tokens(), ["tok-old"]);
    stand.parameters.set(PARAM, { value: "tok-new,tok-old", type: "SecureString", version: 2 });
    clock += 59_999;
    assert.is(await tokens.refresh!(), false, "too soon: no fetch");
    assert.is(stand.requests.length, 1);
    clock += 1;
    assert.is(await tokens.refresh!(), true, "a minute later the rotation is seen");
    assert.equal(await tokens(), ["tok-new", "tok-old"]);
    assert.is(stand.requests.length, 2);
  }));

source("without a parameter or an override, says what to set", async () => {
  await cachedStore({}).tokens().then(
    () => assert.unreachable("must fail"),
    (err: Error) => assert.is(err.message, "No auth token: set DENWA_TOKEN_PARAMETER (deployed) or TWILIO_AUTH_TOKEN (local)."),
  );
});

source("a stage without the token parameter says how to store it", () =>
  withStandIn(async (_stand, options) => {
    await cachedStore({ parameter: PARAM, ssm: options }).tokens().then(
      () => assert.unreachable("must fail"),
      (err: Error) => assert.is(err.message, `SSM has no parameter ${PARAM}: store the token with make secret.`),
    );
  }));

source.run();

const SECRET = "/denwa/dev/secrets/CRM_API_KEY";
const secrets = suite("cachedStore: declared secrets");

secrets("the token and the secrets come in one GetParameters call per cold start", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    stand.parameters.set(SECRET, { value: "key-1", type: "SecureString", version: 1 });
    const store = cachedStore({ parameter: PARAM, secretParameters: { CRM_API_KEY: SECRET }, ssm: options });
    assert.equal(await store.tokens(), ["tok-a"]);
    assert.equal(await store.secrets(), { CRM_API_KEY: "key-1" });
    assert.equal(await store.secrets(), { CRM_API_KEY: "key-1" });
    assert.equal(stand.requests.map((r) => r.body), [{ Names: [PARAM, SECRET], WithDecryption: true }], "one request for both kinds");
  }));

secrets("a secret not stored yet names its parameter and the command that stores it; the token still works", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    const store = cachedStore({ parameter: PARAM, secretParameters: { CRM_API_KEY: SECRET }, ssm: options });
    assert.equal(await store.tokens(), ["tok-a"], "the signature check is not held up by a missing secret");
    await store.secrets().then(
      () => assert.unreachable("must fail"),
      (err: Error) => assert.is(err.message, `SSM has no parameter ${SECRET}: store it with make secret NAME=CRM_API_KEY.`),
    );
  }));

secrets("a local run's values stand in for SSM, and a missing one points at .env", async () => {
  const never = () => assert.unreachable("SSM must not be asked") as never;
  const local = cachedStore({ override: "tok", secretParameters: { CRM_API_KEY: SECRET }, localSecrets: { CRM_API_KEY: "local-key" }, ssm: never });
  assert.equal(await local.secrets(), { CRM_API_KEY: "local-key" });
  const missing = cachedStore({ override: "tok", secretParameters: { CRM_API_KEY: SECRET }, localSecrets: {}, ssm: never });
  await missing.secrets().then(
    () => assert.unreachable("must fail"),
    (err: Error) => assert.is(err.message, "The secret CRM_API_KEY has no local value: add CRM_API_KEY=… to .env or the shell."),
  );
});

secrets.run();
