import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CREDENTIALS, REGION, startSsmStandIn, type SsmStandIn } from "../local/ssm-stand-in";
import { getSecureParameters, ssmEndpoint, ssmOptionsFromEnv, type SsmClientOptions } from "../runtime/ssm";

const PARAM = "/denwa/dev/twilio-auth-token";

/** The message `run` rejects with (it must reject). */
async function rejection(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a rejection");
}

const endpoint = suite("ssmEndpoint");

endpoint("each partition's DNS suffix: China is amazonaws.com.cn", () => {
  assert.is(ssmEndpoint("ap-northeast-1"), "https://ssm.ap-northeast-1.amazonaws.com/");
  assert.is(ssmEndpoint("cn-north-1"), "https://ssm.cn-north-1.amazonaws.com.cn/");
  assert.is(ssmEndpoint("cn-northwest-1"), "https://ssm.cn-northwest-1.amazonaws.com.cn/");
  assert.is(ssmEndpoint("us-iso-east-1"), "https://ssm.us-iso-east-1.c2s.ic.gov/");
  assert.is(ssmEndpoint("us-isob-east-1"), "https://ssm.us-isob-east-1.sc2s.sgov.gov/");
});

endpoint("AWS_ENDPOINT_URL_SSM wins over AWS_ENDPOINT_URL, as in the AWS SDKs", () => {
  const env = { AWS_REGION: "cn-north-1", AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" };
  assert.is(ssmOptionsFromEnv({ ...env, AWS_ENDPOINT_URL_SSM: "http://ssm.local", AWS_ENDPOINT_URL: "http://all.local" }).endpoint, "http://ssm.local");
  assert.is(ssmOptionsFromEnv({ ...env, AWS_ENDPOINT_URL: "http://all.local" }).endpoint, "http://all.local");
  assert.is(ssmOptionsFromEnv(env).endpoint, undefined, "no override: the partition's own endpoint");
});

endpoint.run();

const retry = suite("getSecureParameters retries once");

/** Options whose retry wait is recorded instead of waited, and runs `between` in its place. */
function options(url: string, waits: number[], between: () => void = () => {}): SsmClientOptions {
  return { region: REGION, credentials: CREDENTIALS, endpoint: url, retry: { random: () => 0.5, sleep: async (ms) => (waits.push(ms), between()) } };
}

async function withStandIn(run: (ssm: SsmStandIn) => Promise<void>) {
  const ssm = await startSsmStandIn();
  ssm.parameters.set(PARAM, { value: "tok", type: "SecureString", version: 1 });
  try {
    await run(ssm);
  } finally {
    await ssm.close();
  }
}

for (const [what, failWith] of [
  ["throttling (400 ThrottlingException)", { status: 400, type: "ThrottlingException" }],
  ["a 5xx (500 InternalServerError)", { status: 500, type: "InternalServerError" }],
  ["a 503 without a body type", { status: 503, type: "" }],
] as const) {
  retry(`on ${what}, after a jittered wait`, () =>
    withStandIn(async (ssm) => {
      ssm.failWith = failWith;
      const waits: number[] = [];
      const values = await getSecureParameters([PARAM], options(ssm.endpoint, waits, () => (ssm.failWith = undefined)));
      assert.equal(values, { [PARAM]: "tok" });
      assert.equal(waits, [50], "one wait: half (the injected random) of the 100 ms base");
      assert.is(ssm.requests.length, 2, "two requests");
      assert.ok(ssm.requests.every((r) => r.signatureOk), "each attempt is signed afresh");
    }),
  );
}

retry("only once: a second failure is reported in one sentence", () =>
  withStandIn(async (ssm) => {
    ssm.failWith = { status: 400, type: "ThrottlingException" };
    const waits: number[] = [];
    assert.match(await rejection(() => getSecureParameters([PARAM], options(ssm.endpoint, waits))), /^SSM GetParameters \/denwa\/dev\/twilio-auth-token failed: ThrottlingException\.$/);
    assert.is(ssm.requests.length, 2);
  }),
);

retry("never on what a second try cannot cure (AccessDeniedException)", () =>
  withStandIn(async (ssm) => {
    ssm.failWith = { status: 400, type: "AccessDeniedException" };
    const waits: number[] = [];
    assert.match(await rejection(() => getSecureParameters([PARAM], options(ssm.endpoint, waits))), /AccessDeniedException/);
    assert.equal(waits, [], "no wait");
    assert.is(ssm.requests.length, 1);
  }),
);

/** An SSM stand-in that resets the connection of the requests numbered in `resetOn` (counting from 1). */
async function resettingServer(resetOn: number[]) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    if (resetOn.includes(requests)) return void req.socket.resetAndDestroy();
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify({ Parameters: [{ Name: PARAM, Value: "tok" }], InvalidParameters: [] }));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => (server.closeAllConnections(), new Promise<void>((done) => server.close(() => done()))),
  };
}

retry("on a kept-alive connection that SSM reset while the function was frozen", async () => {
  // The second call goes out on the socket the first one left open, which SSM has since dropped.
  const ssm = await resettingServer([2]);
  try {
    const waits: number[] = [];
    assert.equal(await getSecureParameters([PARAM], options(ssm.url, waits)), { [PARAM]: "tok" });
    assert.equal(await getSecureParameters([PARAM], options(ssm.url, waits)), { [PARAM]: "tok" }, "retried on a new socket");
    assert.equal(waits, [50]);
  } finally {
    await ssm.close();
  }
});

retry("not on a reset of a fresh connection: that is SSM's answer", async () => {
  const ssm = await resettingServer([1]);
  try {
    const waits: number[] = [];
    assert.match(await rejection(() => getSecureParameters([PARAM], options(ssm.url, waits))), /ECONNRESET|socket hang up/);
    assert.equal(waits, [], "no retry");
  } finally {
    await ssm.close();
  }
});

retry.run();
