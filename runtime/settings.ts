// The function's configuration, read from the environment that infra/webhook-function.ts sets.
// Names are the contract between the two; nothing else in the runtime reads process.env.

export const ENV = {
  /** Stage name, e.g. "dev". */
  stage: "DENWA_STAGE",
  /** Route of this function, e.g. "voice/hello". */
  route: "DENWA_ROUTE",
  /** "true" shows error messages and stacks in responses; never set in prod. */
  debug: "DENWA_DEBUG",
  /** "off" turns the X-Twilio-Signature check off; anything else keeps it on. */
  signature: "DENWA_SIGNATURE",
  /** Public base URL for a custom domain, e.g. "https://voice.example.jp" (no stage in the path). */
  publicBaseUrl: "DENWA_PUBLIC_BASE_URL",
  /** SSM Parameter Store name of the SecureString holding the auth token(s). */
  tokenParameter: "DENWA_TOKEN_PARAMETER",
  /** Local override of the token store: one token, or several separated by commas. */
  authToken: "TWILIO_AUTH_TOKEN",
} as const;

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
