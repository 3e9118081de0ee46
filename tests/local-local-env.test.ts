import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Writable } from "node:stream";
import { findLocal, localAppEnv, tokenWarning } from "../local/local-env";
import { serveOptions, withLocalToken } from "../local/serve";
import { simulateCall } from "../local/simulator";
import { startServer } from "../local/server";
import type { LambdaFunction } from "../local/stack";
import { writeStack } from "./helpers/local-stack";

function dotenv(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "denwa-dotenv-")), ".env");
  writeFileSync(file, text);
  return file;
}

const fn = (route: string, environment: Record<string, string>) =>
  ({ name: `denwa-dev-${route}`, environment: { DENWA_ROUTE: route, DENWA_TOKEN_PARAMETER: "/denwa/dev/twilio-auth-token", ...environment } }) as unknown as LambdaFunction;
const FORWARD = fn("voice/forward", { DENWA_SETTINGS: '{"FORWARD_TO":"+815011112222"}', DENWA_SECRETS: '{"CRM_API_KEY":"/denwa/dev/secrets/CRM_API_KEY"}' });
const MENU = fn("voice/menu", { DENWA_SECRETS: '{"CRM_API_KEY":"/denwa/dev/secrets/CRM_API_KEY","MENU_TOKEN":"/denwa/dev/secrets/MENU_TOKEN"}' });

const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });

const found = suite("findLocal");

found("the shell's variable first, then .env, and it says which", () => {
  const file = dotenv("CRM_API_KEY='from-dotenv'\nFORWARD_TO=+819000000000\n");
  assert.equal(findLocal("CRM_API_KEY", { CRM_API_KEY: "from-shell" }, file), { value: "from-shell", source: "CRM_API_KEY in the environment" });
  assert.equal(findLocal("CRM_API_KEY", {}, file), { value: "from-dotenv", source: `CRM_API_KEY in ${relative(process.cwd(), file)}` });
  assert.is(findLocal("MISSING", {}, file), undefined);
});

found.run();

const appEnv = suite("localAppEnv");

appEnv("only the names the functions declare, and each missing secret named with the routes that need it", () => {
  const file = dotenv("CRM_API_KEY=crm-local\nUNDECLARED=x\n");
  const local = localAppEnv([FORWARD, MENU], { FORWARD_TO: "+819011112222", PATH: "/usr/bin" }, file);
  assert.equal(local.env, {
    DENWA_LOCAL_SETTINGS: '{"FORWARD_TO":"+819011112222"}',
    DENWA_LOCAL_SECRETS: '{"CRM_API_KEY":"crm-local"}',
  }, "PATH and UNDECLARED are not passed on");
  assert.equal(local.warnings, ["The secret MENU_TOKEN has no local value: add MENU_TOKEN=… to .env; until then voice/menu answer 500."]);
});

appEnv("with no declaration, the secrets variable is still set, so SSM is never asked in a local run", () => {
  assert.equal(localAppEnv([fn("voice/hello", {})], {}, dotenv("")).env, { DENWA_LOCAL_SETTINGS: "{}", DENWA_LOCAL_SECRETS: "{}" });
});

appEnv.run();

const token = suite("withLocalToken (npm run local)");

token("finds the token in .env as make dev does, and says so", () => {
  const stack = writeStack({ functions: { hello: { files: { "index.js": "" } } }, methods: [] });
  const file = dotenv("TWILIO_AUTH_TOKEN=token-from-dotenv\nTWILIO_SHARED_KEY=shared-key-from-dotenv\n");
  const { options, line } = withLocalToken({ stack, env: {} }, {}, file);
  assert.equal(options.env, { TWILIO_AUTH_TOKEN: "token-from-dotenv", TWILIO_SHARED_KEY: "shared-key-from-dotenv" });
  assert.is(line, `Auth token: TWILIO_AUTH_TOKEN in ${relative(process.cwd(), file)}`);
  const passed = withLocalToken({ stack, env: { TWILIO_AUTH_TOKEN: "passed" } }, { TWILIO_AUTH_TOKEN: "shell" }, file);
  assert.is(passed.options.env!.TWILIO_AUTH_TOKEN, "passed", "--env wins");
  assert.is(passed.line, "Auth token: --env TWILIO_AUTH_TOKEN");
});

token("with no token anywhere, names the functions that would ask SSM", () => {
  assert.is(
    tokenWarning([FORWARD, MENU, fn("open", { DENWA_SIGNATURE: "off" })]),
    "No TWILIO_AUTH_TOKEN in the environment or .env, so voice/forward, voice/menu would read the token from SSM: set TWILIO_AUTH_TOKEN (make dev saves one in .env).",
  );
  assert.is(tokenWarning([fn("open", { DENWA_SIGNATURE: "off" })]), undefined, "a stage without signature checks needs no token");
  const foreign = { name: "not-denwa", environment: {} } as unknown as LambdaFunction;
  assert.is(tokenWarning([foreign]), undefined, "a function that is not denwa's reads no token");
});

token("npm run local -- --stack cdktf.out/stacks/denwa-dev serves a call signed with the token from .env", async () => {
  const file = dotenv("TWILIO_AUTH_TOKEN=dotenv-token-0123456789abcdef\n");
  const stated = serveOptions(["--stack", "cdktf.out/stacks/denwa-dev", "--port", "0"], {});
  const { options, line } = withLocalToken(stated, {}, file);
  assert.is(line, `Auth token: TWILIO_AUTH_TOKEN in ${relative(process.cwd(), file)}`);
  const server = await startServer({ ...options, log: () => {}, functionOutput: quiet() });
  try {
    const call = await simulateCall(`${server.url}/dev/voice/hello`, { authToken: "dotenv-token-0123456789abcdef" });
    assert.equal([call.failed, call.heard], [false, ["こんにちは!ぼくはアリスです!"]], "the signed call was accepted and answered");
  } finally {
    await server.close();
  }
});

token.run();

const served = suite("startServer localValues: .env reaches the functions");

const ENV_ECHO = { "index.js": "exports.handler = async () => ({ settings: process.env.DENWA_LOCAL_SETTINGS, secrets: process.env.DENWA_LOCAL_SECRETS });" };

served("declared values from .env reach the function, a changed .env starts fresh environments, and a missing secret is said once at start", async () => {
  const stack = writeStack({
    functions: { forward: { files: ENV_ECHO, environment: { DENWA_ROUTE: "voice/forward", DENWA_SECRETS: '{"CRM_API_KEY":"/p","MENU_TOKEN":"/q"}' } } },
    methods: [{ path: "/forward", method: "GET", function: "forward" }],
  });
  const file = dotenv("CRM_API_KEY=first\n");
  const log: string[] = [];
  const server = await startServer({ stack, port: 0, log: (l) => log.push(l), localValues: { env: {}, dotenvFile: file } });
  try {
    const ask = async () => JSON.parse(await (await fetch(`${server.url}/test/forward`)).text());
    assert.equal(await ask(), { settings: "{}", secrets: '{"CRM_API_KEY":"first"}' });
    assert.equal(log.filter((l) => l.startsWith("The secret")), ["The secret MENU_TOKEN has no local value: add MENU_TOKEN=… to .env; until then voice/forward answer 500."]);
    writeFileSync(file, "CRM_API_KEY=second\nMENU_TOKEN=now-set\n");
    assert.equal(await ask(), { settings: "{}", secrets: '{"CRM_API_KEY":"second","MENU_TOKEN":"now-set"}' }, "the edit is seen without a restart");
  } finally {
    await server.close();
  }
});

served.run();
