// What the build, infra, the runtime and the local emulator must agree on, stated once. Lambda
// bundles import this file, so it stays free of imports and of anything but constants and
// small pure functions; reading functions/ and dist/ from disk lives in contract/webhooks.ts.

/**
 * A route is lower-case words of letters and digits joined by "-", in segments joined by "/".
 * Lower case only: macOS and Windows file systems ignore case, so functions/Voice.ts and
 * functions/voice.ts would be one file there and two routes on Linux; and a URL pasted into the
 * Twilio console, a Lambda name and an IAM role name (which AWS compares without case) then all
 * read the same.
 */
export const ROUTE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

/** One sentence saying what is wrong with a route, or undefined when it is one. */
export function routeProblem(route: string): string | undefined {
  if (ROUTE_PATTERN.test(route)) return undefined;
  return `The route ${JSON.stringify(route)} is not lower-case words, digits and dashes separated by "/", such as voice/hello.`;
}

/** "voice/hello" -> "voice-hello": the name of its zip, its Lambda function and its Terraform resources. */
export function routeSlug(route: string): string {
  return route.replace(/\//g, "-");
}

/** A handler's source is functions/<route>.ts ... */
export const HANDLER_SUFFIX = ".ts";
/** ... and functions/**\/*.private.ts is code the handlers share, never a route (Twilio Serverless's convention). */
export const PRIVATE_SUFFIX = ".private.ts";

export interface BuiltZip {
  /** Absolute path of the deployable zip (index.js, exporting `handler`). */
  zip: string;
  /** Base64 SHA-256 of the zip, as Terraform's source_code_hash wants it. */
  sha256: string;
  /** Zip size in bytes. */
  bytes: number;
}

/**
 * One entry of dist/manifest.json: what `make build` produced for one route, and all infra needs
 * of it. Its own zip holds index.js alone; `sourceMapped` the same index.js with index.js.map.
 */
export interface BuiltFunction extends BuiltZip {
  /** The route, from the path under functions/: "voice/hello". */
  route: string;
  /** routeSlug(route): "voice-hello". */
  slug: string;
  /** The same bundle with its source map, deployed to stages with debug on. */
  sourceMapped: BuiltZip;
}

/** The environment infra gives every function and the runtime reads (runtime/settings.ts). */
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
  /** Local override of the SharedKey secret that HMAC-SHA256 (SharedKey) webhooks are checked with. */
  sharedKey: "TWILIO_SHARED_KEY",
  /** JSON object of the function's plain settings (`settings` in infra/stages.ts). */
  settings: "DENWA_SETTINGS",
  /** JSON object: each secret the function may read, and the SSM parameter that holds it. */
  secrets: "DENWA_SECRETS",
  /** Local runs only: JSON object of setting values from the shell or .env, over the synthesized ones. */
  localSettings: "DENWA_LOCAL_SETTINGS",
  /** Local runs only: JSON object of secret values from the shell or .env; SSM is then never asked. */
  localSecrets: "DENWA_LOCAL_SECRETS",
} as const;

/**
 * The name of a setting or a secret: upper-case letters, digits and "_", as a .env line names it.
 * Names the runtime, Lambda or a local run already use are refused, so that a value in .env can
 * never be mistaken for another (PORT, STAGE, AWS_*, LAMBDA_*, DENWA_*, TWILIO_AUTH_TOKEN…).
 */
export const CONFIG_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
const RESERVED_NAMES = /^(AWS_|LAMBDA_|DENWA_|NODE_|_)|^(PORT|STAGE|PATH|LANG|TZ|HOME|TWILIO_AUTH_TOKEN|TWILIO_SHARED_KEY)$/;

/** One sentence saying why `name` cannot name a setting or secret, or undefined when it can. */
export function configNameProblem(kind: "setting" | "secret", name: string): string | undefined {
  if (!CONFIG_NAME.test(name)) return `The ${kind} name ${JSON.stringify(name)} must be upper-case letters, digits and "_", starting with a letter, such as FORWARD_TO.`;
  if (RESERVED_NAMES.test(name)) return `The ${kind} name ${name} is taken by AWS, Lambda, Node.js or denwa itself: choose another.`;
  return undefined;
}

/**
 * Every HTTP status the runtime answers with: TwiML (200), a request that is not Twilio's form
 * (400), a bad signature (403), a body that is not a form (415), a handler that failed (500).
 * The REST API declares a method response for exactly these (infra/webhook-api.ts).
 */
export const RUNTIME_STATUSES = [200, 400, 403, 415, 500] as const;
export type RuntimeStatus = (typeof RUNTIME_STATUSES)[number];
/** The statuses that answer instead of running the handler, or when it failed. */
export type ErrorStatus = Exclude<RuntimeStatus, 200>;

/**
 * Twilio gives up on a webhook that has not answered in full within 15 seconds (error 11200,
 * https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides: "rt" defaults to 15000 ms).
 */
export const TWILIO_WEBHOOK_TIMEOUT_SECONDS = 15;
export const TWILIO_WEBHOOK_TIMEOUT_MS = TWILIO_WEBHOOK_TIMEOUT_SECONDS * 1000;

/** The longest message body Twilio sends or accepts, in characters (twilio.com/docs/api/errors/21617, 14103). */
export const TWILIO_MAX_MESSAGE_CHARACTERS = 1600;

/** Twilio's Amazon Polly neural voice for Japanese; a stage can choose another with its `voice` setting. */
export const DEFAULT_VOICE = "Polly.Kazuha-Neural";

/**
 * A mistake a person can fix: a bad stage setting, a missing build, a wrong option or variable.
 * Every entry point (contract/cli.ts) prints its message alone, one sentence, and exits 2; any
 * other error is a bug and exits 1.
 */
export class UserError extends Error {
  override name = "UserError";
}
