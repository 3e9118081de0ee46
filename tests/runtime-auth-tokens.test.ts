import { suite } from "uvu";
import * as assert from "uvu/assert";
import { cachedTokenSource, splitTokens } from "../runtime/auth-tokens";
import { getSecureParameter, type SsmClientOptions } from "../runtime/ssm";
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

const ssm = suite("getSecureParameter");

ssm("reads a SecureString with decryption, signed so the AWS SDK's signer agrees", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    assert.is(await getSecureParameter(PARAM, options()), "tok-a");
    assert.equal(stand.requests, [{ target: "AmazonSSM.GetParameter", body: { Name: PARAM, WithDecryption: true }, signatureOk: true }]);
  }));

ssm("a request signed with the wrong secret is refused by the stand-in, as AWS would", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    const wrong = { ...options(), credentials: { ...CREDENTIALS, secretAccessKey: "not-the-secret" } };
    await getSecureParameter(PARAM, wrong).then(
      () => assert.unreachable("must be refused"),
      (err: Error) => assert.is(err.message, `SSM GetParameter ${PARAM} failed: SignatureDoesNotMatch.`),
    );
    assert.is(stand.requests[0].signatureOk, false);
  }));

ssm("a missing parameter is an error naming the parameter and AWS's error type", () =>
  withStandIn(async (_stand, options) => {
    try {
      await getSecureParameter(PARAM, options());
      assert.unreachable("must throw");
    } catch (err) {
      assert.is((err as Error).message, `SSM GetParameter ${PARAM} failed: ParameterNotFound.`);
    }
  }));

ssm("a store slower than the timeout is an error, not a hang", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    stand.delayMs = 1000;
    try {
      await getSecureParameter(PARAM, options());
      assert.unreachable("must time out");
    } catch (err) {
      assert.is((err as Error).message, "SSM did not answer within 300 ms.");
    }
  }));

ssm.run();

const source = suite("cachedTokenSource");

source("TWILIO_AUTH_TOKEN wins over the parameter and may list several tokens", async () => {
  const tokens = cachedTokenSource({ override: " new-token , old-token ", parameter: PARAM, ssm: () => assert.unreachable("SSM must not be asked") as never });
  assert.equal(await tokens(), ["new-token", "old-token"]);
  assert.equal(splitTokens("a,,b, "), ["a", "b"]);
});

source("fetches once per cold start and keeps the tokens", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-new,tok-old", type: "SecureString", version: 2 });
    const tokens = cachedTokenSource({ parameter: PARAM, ssm: options });
    assert.equal(await tokens(), ["tok-new", "tok-old"]);
    assert.equal(await tokens(), ["tok-new", "tok-old"]);
    assert.is(stand.requests.length, 1, "one SSM request for two invocations");
  }));

source("a failed fetch is not kept: the next request tries again and recovers", () =>
  withStandIn(async (stand, options) => {
    stand.parameters.set(PARAM, { value: "tok-a", type: "SecureString", version: 1 });
    stand.failWith = { status: 500, type: "InternalServerError" };
    const tokens = cachedTokenSource({ parameter: PARAM, ssm: options });
    await tokens().then(() => assert.unreachable("must fail"), (err: Error) => assert.match(err.message, /InternalServerError/));
    stand.failWith = undefined;
    assert.equal(await tokens(), ["tok-a"]);
    assert.is(stand.requests.length, 2);
  }));

source("refresh fetches again only when the kept tokens are older than the interval", () =>
  withStandIn(async (stand, options) => {
    let clock = 1_000;
    stand.parameters.set(PARAM, { value: "tok-old", type: "SecureString", version: 1 });
    const tokens = cachedTokenSource({ parameter: PARAM, ssm: options, refreshAfterMs: 60_000, now: () => clock });
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
  await cachedTokenSource({})().then(
    () => assert.unreachable("must fail"),
    (err: Error) => assert.is(err.message, "No auth token: set DENWA_TOKEN_PARAMETER (deployed) or TWILIO_AUTH_TOKEN (local)."),
  );
});

source.run();
