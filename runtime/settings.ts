// The function's configuration, read from the environment that infra/webhook-function.ts sets.
// The names are contract/index.ts's ENV; nothing else in the runtime reads process.env.
import { ENV } from "../contract";

export interface Settings {
  stage: string;
  route: string;
  debug: boolean;
  verifySignature: boolean;
  publicBaseUrl?: string;
  tokenParameter?: string;
  /** The plain settings declared for this function, with a local run's values over them. */
  appSettings: Record<string, string>;
  /** Each secret declared for this function, and the SSM parameter that holds it. */
  secretParameters: Record<string, string>;
  /** A local run's secret values (from the shell or .env); SSM is then never asked for secrets. */
  localSecrets?: Record<string, string>;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const publicBaseUrl = env[ENV.publicBaseUrl]?.replace(/\/+$/, "") || undefined;
  const declared = jsonObject(env, ENV.settings) ?? {};
  const local = jsonObject(env, ENV.localSettings) ?? {};
  const secretParameters = jsonObject(env, ENV.secrets) ?? {};
  const localSecrets = jsonObject(env, ENV.localSecrets);
  return {
    stage: env[ENV.stage] ?? "",
    route: env[ENV.route] ?? "",
    debug: env[ENV.debug] === "true",
    verifySignature: env[ENV.signature] !== "off",
    publicBaseUrl,
    tokenParameter: env[ENV.tokenParameter] || undefined,
    // A local value counts only for a name this function declares, as it would once deployed.
    appSettings: Object.fromEntries(Object.entries(declared).map(([name, value]) => [name, local[name] ?? value])),
    secretParameters,
    localSecrets: localSecrets && pick(localSecrets, Object.keys(secretParameters)),
  };
}

function jsonObject(env: NodeJS.ProcessEnv, name: string): Record<string, string> | undefined {
  const text = env[name];
  if (text === undefined || text === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw new Error(`${name} must be a JSON object of strings, as infra/webhook-function.ts writes it.`);
  }
  return value as Record<string, string>;
}

function pick(values: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((name) => values[name] !== undefined).map((name) => [name, values[name]]));
}
