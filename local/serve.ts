// `npm run local -- --stack DIR [--port N] [--host H] [--api NAME] [--environments N] [--env NAME[=VALUE]]...`
// Serves a synthesized stack as API Gateway would and prints the URL of every route.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { startServer, type ServerOptions } from "./server";

const USAGE =
  "usage: npm run local -- --stack cdktf.out/stacks/NAME [--port 3000] [--host 127.0.0.1] [--api NAME] [--environments N] [--env NAME[=VALUE]]...";

/** Reads the command line; throws one sentence on anything it cannot use. */
export function parseArgs(args: string[], env: NodeJS.ProcessEnv = process.env): ServerOptions {
  const options: ServerOptions = { stack: "", port: Number(env.PORT ?? 3000), host: "127.0.0.1" };
  const extraEnv: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    const needValue = () => {
      if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value.`);
      i++;
      return value;
    };
    if (flag === "--stack") options.stack = needValue();
    else if (flag === "--port") {
      const port = Number(needValue());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not ${value}.`);
      options.port = port;
    } else if (flag === "--environments") {
      const count = Number(needValue());
      if (!Number.isInteger(count) || count < 1) throw new Error(`--environments must be a whole number of at least 1, not ${value}.`);
      options.maxEnvironments = count;
    } else if (flag === "--host") options.host = needValue();
    else if (flag === "--api") options.api = needValue();
    else if (flag === "--env") {
      const spec = needValue();
      const eq = spec.indexOf("=");
      const name = eq < 0 ? spec : spec.slice(0, eq);
      const passed = eq < 0 ? env[name] : spec.slice(eq + 1);
      if (passed === undefined) throw new Error(`--env ${name} names a variable that is not set here.`);
      extraEnv[name] = passed;
    } else throw new Error(`Unknown argument ${flag}.`);
  }
  if (!options.stack) throw new Error("--stack is required: the folder of a synthesized stack, e.g. cdktf.out/stacks/denwa-dev.");
  if (!existsSync(join(options.stack, "cdk.tf.json"))) {
    throw new Error(`No cdk.tf.json in ${options.stack}: synthesize first (make synth) or check the path.`);
  }
  if (Object.keys(extraEnv).length) options.env = extraEnv;
  return options;
}

async function main(): Promise<void> {
  let options: ServerOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  let server;
  try {
    server = await startServer(options);
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
    console.error(inUse ? `Port ${options.port} on ${options.host} is already in use: pass --port or set PORT.` : (error as Error).message);
    process.exit(1);
  }
  console.log(`Serving ${relative(process.cwd(), options.stack) || options.stack} as API Gateway at ${server.url}`);
  for (const line of server.routeUrls()) console.log(`  ${line}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) void main();
