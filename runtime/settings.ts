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
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const publicBaseUrl = env[ENV.publicBaseUrl]?.replace(/\/+$/, "") || undefined;
  return {
    stage: env[ENV.stage] ?? "",
    route: env[ENV.route] ?? "",
    debug: env[ENV.debug] === "true",
    verifySignature: env[ENV.signature] !== "off",
    publicBaseUrl,
    tokenParameter: env[ENV.tokenParameter] || undefined,
  };
}
