// Where the bundles under test get the auth token: SSM, through the loopback stand-in, with
// the environment Lambda gives a function (region, role credentials) and no TWILIO_AUTH_TOKEN.
import { CREDENTIALS, REGION, startSsmStandIn, type SsmStandIn } from "../../local/ssm-stand-in";
import { BENCH_TOKEN } from "./events";

const PARAMETER = "/denwa/dev/twilio-auth-token";

export async function startTokenStore(): Promise<SsmStandIn> {
  const ssm = await startSsmStandIn();
  ssm.parameters.set(PARAMETER, { value: BENCH_TOKEN, type: "SecureString", version: 1 });
  return ssm;
}

/** A function's whole environment: nothing of the bench process leaks in (no NODE_PATH, no loader). */
export function lambdaEnv(ssm: SsmStandIn, route: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LANG: "en_US.UTF-8",
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    DENWA_TOKEN_PARAMETER: PARAMETER,
    DENWA_STAGE: "dev",
    DENWA_ROUTE: route,
  };
}
