// What a local run adds to every function's environment, found as a person expects: the shell's
// variable first, then the project's .env. It covers the auth token and the settings and secrets
// the synthesized functions declare (DENWA_SETTINGS, DENWA_SECRETS), so a missing one is named
// when the server starts rather than at the first call.
import { relative } from "node:path";
import { ENV } from "../contract";
import { readDotEnv } from "./dotenv";
import type { LambdaFunction } from "./stack";

export interface Found {
  value: string;
  /** "TWILIO_AUTH_TOKEN in the environment", "CRM_API_KEY in .env". */
  source: string;
}

/** Finds names in the shell, then in the .env file, which is read once for all of them. */
export function localLookup(env: NodeJS.ProcessEnv, dotenvFile: string): (name: string) => Found | undefined {
  const saved = readDotEnv(dotenvFile);
  const where = relative(process.cwd(), dotenvFile) || dotenvFile;
  return (name) => {
    if (env[name]) return { value: env[name]!, source: `${name} in the environment` };
    if (saved[name]) return { value: saved[name], source: `${name} in ${where}` };
    return undefined;
  };
}

export function findLocal(name: string, env: NodeJS.ProcessEnv, dotenvFile: string): Found | undefined {
  return localLookup(env, dotenvFile)(name);
}

export interface LocalAppEnv {
  /** DENWA_LOCAL_SETTINGS and DENWA_LOCAL_SECRETS, for every function. */
  env: Record<string, string>;
  /** One line for each problem a call would otherwise meet, naming what is missing and who needs it. */
  warnings: string[];
}

/**
 * The local values of the settings and secrets the functions declare. Secrets always come from
 * here in a local run (DENWA_LOCAL_SECRETS is set, even empty), so SSM is never asked for them.
 */
export function localAppEnv(functions: readonly LambdaFunction[], env: NodeJS.ProcessEnv, dotenvFile: string): LocalAppEnv {
  const settings: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const missing = new Map<string, string[]>();
  const find = localLookup(env, dotenvFile);
  for (const fn of functions) {
    const route = fn.environment[ENV.route] ?? fn.name;
    for (const name of declaredNames(fn, ENV.settings)) {
      const found = find(name);
      if (found) settings[name] = found.value;
    }
    for (const name of declaredNames(fn, ENV.secrets)) {
      const found = find(name);
      if (found) secrets[name] = found.value;
      else missing.set(name, [...(missing.get(name) ?? []), route]);
    }
  }
  const warnings = [...missing].map(
    ([name, routes]) => `The secret ${name} has no local value: add ${name}=… to .env; until then ${routes.join(", ")} answer 500.`,
  );
  return { env: { [ENV.localSettings]: JSON.stringify(settings), [ENV.localSecrets]: JSON.stringify(secrets) }, warnings };
}

/**
 * Without a local token, a function that checks signatures would ask SSM for it, which needs AWS
 * credentials and the deployed parameter: one sentence naming those functions, or none.
 */
export function tokenWarning(functions: readonly LambdaFunction[]): string | undefined {
  const checking = functions
    .filter((fn) => fn.environment[ENV.tokenParameter] !== undefined && fn.environment[ENV.signature] !== "off")
    .map((fn) => fn.environment[ENV.route] ?? fn.name);
  if (checking.length === 0) return undefined;
  return `No ${ENV.authToken} in the environment or .env, so ${checking.join(", ")} would read the token from SSM: set ${ENV.authToken} (make dev saves one in .env).`;
}

function declaredNames(fn: LambdaFunction, variable: string): string[] {
  const text = fn.environment[variable];
  if (!text) return [];
  try {
    return Object.keys(JSON.parse(text));
  } catch {
    return [];
  }
}
