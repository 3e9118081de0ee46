// `npm run local -- --stack DIR [--port N] [--host H] [--api NAME] [--environments N] [--env NAME[=VALUE]]...`
// Serves a synthesized stack as API Gateway would and prints the URL of every route. The auth
// token, and the settings and secrets the functions declare, come from the shell, then .env.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { ENV, UserError } from "../contract";
import { commandLine, readArgs, runCommand } from "../contract/cli";
import { localLookup, tokenWarning } from "./local-env";
import { startServer, type ServerOptions } from "./server";
import { loadStack } from "./stack";

const DOTENV = join(__dirname, "..", ".env");

const SERVE_LINE = commandLine({
  name: "npm run local",
  usage: "usage: npm run local -- --stack cdktf.out/stacks/NAME [--port 3000] [--host 127.0.0.1] [--api NAME] [--environments N] [--env NAME[=VALUE]]...",
  options: {
    stack: { type: "string" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    api: { type: "string" },
    environments: { type: "string" },
    env: { type: "string", multiple: true, default: [] },
  },
});

/** Reads the command line; throws one sentence on anything it cannot use. */
export function serveOptions(args: string[], env: NodeJS.ProcessEnv = process.env): ServerOptions {
  const { values } = readArgs(SERVE_LINE, args);
  const portText = values.port ?? env.PORT ?? "3000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UserError(`--port must be a number from 0 to 65535, not ${portText}.`);
  const options: ServerOptions = { stack: values.stack ?? "", port, host: values.host };
  if (values.environments !== undefined) {
    const count = Number(values.environments);
    if (!Number.isInteger(count) || count < 1) throw new UserError(`--environments must be a whole number of at least 1, not ${values.environments}.`);
    options.maxEnvironments = count;
  }
  if (values.api !== undefined) options.api = values.api;
  const extraEnv: Record<string, string> = {};
  for (const spec of values.env) {
    const eq = spec.indexOf("=");
    const name = eq < 0 ? spec : spec.slice(0, eq);
    const passed = eq < 0 ? env[name] : spec.slice(eq + 1);
    if (passed === undefined) throw new UserError(`--env ${name} names a variable that is not set here.`);
    extraEnv[name] = passed;
  }
  if (!options.stack) throw new UserError("--stack is required: the folder of a synthesized stack, e.g. cdktf.out/stacks/denwa-dev.");
  if (!existsSync(join(options.stack, "cdk.tf.json"))) {
    throw new UserError(`No cdk.tf.json in ${options.stack}: synthesize first (make synth) or check the path.`);
  }
  options.env = extraEnv;
  options.localValues = { env, dotenvFile: DOTENV };
  return options;
}

/**
 * The token and SharedKey secret as make dev finds them (shell, then .env), unless --env passed
 * them; and one line saying where the token came from, or which functions would miss it.
 */
export function withLocalToken(options: ServerOptions, env: NodeJS.ProcessEnv, dotenvFile = DOTENV): { options: ServerOptions; line?: string } {
  const given = { ...options.env };
  const find = localLookup(env, dotenvFile);
  const token = given[ENV.authToken] === undefined ? find(ENV.authToken) : { value: given[ENV.authToken], source: `--env ${ENV.authToken}` };
  const sharedKey = given[ENV.sharedKey] ?? find(ENV.sharedKey)?.value;
  if (token) given[ENV.authToken] = token.value;
  if (sharedKey !== undefined) given[ENV.sharedKey] = sharedKey;
  const line = token ? `Auth token: ${token.source}` : tokenWarning(loadStack(options.stack).functions);
  return { options: { ...options, env: given }, line };
}

async function main(stated: ServerOptions): Promise<void> {
  const { options, line } = withLocalToken(stated, process.env);
  let server;
  try {
    server = await startServer(options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new UserError(`Port ${options.port} on ${options.host} is already in use: pass --port or set PORT.`);
    throw error;
  }
  console.log(`Serving ${relative(process.cwd(), options.stack) || options.stack} as API Gateway at ${server.url}`);
  if (line) console.log(line);
  for (const url of server.routeUrls()) console.log(`  ${url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) runCommand(SERVE_LINE, () => main(serveOptions(process.argv.slice(2))));
