// What may differ between stages, with the defaults every stage starts from. resolveStageConfig
// turns the few settings a stage states (infra/stages.ts) into a complete, checked StageConfig,
// and refuses anything that would deploy but misbehave, in one sentence that names the setting.
import type VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { DEFAULT_VOICE, TWILIO_WEBHOOK_TIMEOUT_SECONDS } from "../contract";
import { ConfigError } from "./config-error";
import { APP, defaultTokenParameter, type StageName } from "./names";

/** The retention periods CloudWatch Logs accepts; "never expire" (0) is left out on purpose. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type RetentionDays = (typeof RETENTION_DAYS)[number];

/** A <Say> voice that twilio's own TwiML types know, e.g. "Polly.Kazuha-Neural". */
export type SayVoice = NonNullable<VoiceResponse.SayAttributes["voice"]>;

/** ap-northeast-1, us-gov-west-1, cn-north-1 and the like. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface Throttle {
  /** Steady requests per second across the stage. */
  rateLimit: number;
  /** Requests allowed in a burst above the steady rate. */
  burstLimit: number;
}

export interface FunctionSize {
  memoryMb: number;
  timeoutSeconds: number;
}

/** S3 remote state; locking uses Terraform's native lock file (Terraform 1.10 or newer). */
export interface RemoteState {
  bucket: string;
  key: string;
  region: string;
}

/** What a stage may state in infra/stages.ts; everything left out takes the default. */
export interface StageSettings {
  /** AWS region of every resource. Default ap-northeast-1 (Tokyo). */
  region?: string;
  /** Error messages and stacks in 500 answers, and source-mapped stack traces. Default on for dev only; prod refuses it. */
  debug?: boolean;
  /** X-Twilio-Signature checking. Default "on"; "off" only when stated here. */
  signature?: "on" | "off";
  /** Public base URL of a custom domain (no stage in its paths), e.g. https://voice.example.jp. */
  publicBaseUrl?: string;
  /** SSM SecureString with the auth token(s). Default /denwa/<stage>/twilio-auth-token. */
  tokenParameter?: string;
  /** Retention of every log group of the stage. Default 30 days. */
  logRetentionDays?: RetentionDays;
  /** Stage-wide API Gateway throttling. Default 10 requests/s, bursts of 20. */
  throttle?: Partial<Throttle>;
  /** Memory of every function. Default 256 MB. */
  memoryMb?: number;
  /** Timeout of every function. Default 10 s (below Twilio's 15 s). */
  timeoutSeconds?: number;
  /** Per-route overrides of memory and timeout, keyed by route ("voice/menu"). */
  functions?: Record<string, Partial<FunctionSize>>;
  /** The <Say> voice for Japanese, handed to the functions as the stage variable "voice". */
  voice?: SayVoice;
  /** S3 remote state; the key defaults to denwa/<stage>/terraform.tfstate, the region to the stage's. */
  remoteState?: { bucket: string; key?: string; region?: string };
  /**
   * The IAM role already set in this account and region's API Gateway settings (CloudWatch log
   * role ARN). Only when it is stated does the stage turn execution logging on: API Gateway
   * refuses execution logging in an account without one.
   */
  accountCloudWatchRoleArn?: string;
  /** Extra tags on every resource, besides app and stage. */
  tags?: Record<string, string>;
}

/** A stage's complete, checked configuration. */
export interface StageConfig {
  stage: StageName;
  region: string;
  debug: boolean;
  signature: "on" | "off";
  publicBaseUrl?: string;
  tokenParameter: string;
  logRetentionDays: RetentionDays;
  throttle: Throttle;
  memoryMb: number;
  timeoutSeconds: number;
  functions: Record<string, FunctionSize>;
  voice: SayVoice;
  remoteState?: RemoteState;
  accountCloudWatchRoleArn?: string;
  tags: Record<string, string>;
}

export function resolveStageConfig(stage: StageName, settings: StageSettings = {}): StageConfig {
  const {
    region = "ap-northeast-1",
    debug = stage === "dev",
    signature = "on",
    publicBaseUrl,
    tokenParameter = defaultTokenParameter(stage),
    logRetentionDays = 30,
    throttle: { rateLimit = 10, burstLimit = 20 } = {},
    memoryMb = 256,
    timeoutSeconds = 10,
    functions = {},
    voice = DEFAULT_VOICE as SayVoice,
    remoteState,
    accountCloudWatchRoleArn,
    tags = {},
  } = settings;
  const where = `The ${stage} stage's`;

  if (!REGION.test(region)) {
    throw new ConfigError(`${where} region ${JSON.stringify(region)} is not an AWS region name such as ap-northeast-1.`);
  }
  if (stage === "prod" && debug) {
    throw new ConfigError("The prod stage can never be synthesized with debug on, as debug answers show error messages and stacks to callers.");
  }
  if (signature !== "on" && signature !== "off") {
    throw new ConfigError(`${where} signature must be "on" or "off", not ${JSON.stringify(signature)}.`);
  }
  if (!/^\/[A-Za-z0-9_.\-/]+$/.test(tokenParameter) || tokenParameter.includes("//") || tokenParameter.length > 1011) {
    throw new ConfigError(`${where} tokenParameter ${JSON.stringify(tokenParameter)} must be an SSM parameter path such as ${defaultTokenParameter(stage)}.`);
  }
  if (!(RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new ConfigError(`${where} logRetentionDays ${logRetentionDays} is not one CloudWatch Logs accepts (${RETENTION_DAYS.join(", ")}).`);
  }
  if (!(Number.isFinite(rateLimit) && rateLimit > 0)) {
    throw new ConfigError(`${where} throttle rateLimit ${rateLimit} must be a number of requests per second above 0.`);
  }
  if (!(Number.isInteger(burstLimit) && burstLimit > 0)) {
    throw new ConfigError(`${where} throttle burstLimit ${burstLimit} must be a whole number of requests above 0.`);
  }
  checkSize(where, { memoryMb, timeoutSeconds });
  const sizes: Record<string, FunctionSize> = {};
  for (const [route, size] of Object.entries(functions)) {
    sizes[route] = { memoryMb: size.memoryMb ?? memoryMb, timeoutSeconds: size.timeoutSeconds ?? timeoutSeconds };
    checkSize(`${where} function ${route}`, sizes[route]);
  }
  if (!/^[A-Za-z0-9\-._~:/?#&=,]+$/.test(voice)) {
    throw new ConfigError(`${where} voice ${JSON.stringify(voice)} holds characters a stage variable cannot.`);
  }
  if (accountCloudWatchRoleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(accountCloudWatchRoleArn)) {
    throw new ConfigError(`${where} accountCloudWatchRoleArn ${JSON.stringify(accountCloudWatchRoleArn)} is not an IAM role ARN.`);
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key.length === 0 || key.length > 128 || key.toLowerCase().startsWith("aws:") || value.length > 256) {
      throw new ConfigError(`${where} tag ${JSON.stringify(key)} is not one AWS accepts (a key of 1 to 128 characters not starting with aws:, a value of at most 256).`);
    }
  }

  return {
    stage,
    region,
    debug,
    signature,
    publicBaseUrl: publicBaseUrl === undefined ? undefined : checkPublicBaseUrl(where, publicBaseUrl),
    tokenParameter,
    logRetentionDays,
    throttle: { rateLimit, burstLimit },
    memoryMb,
    timeoutSeconds,
    functions: sizes,
    voice,
    remoteState: remoteState && checkRemoteState(where, stage, region, remoteState),
    accountCloudWatchRoleArn,
    tags,
  };
}

/** The memory and timeout of the function at `route`: its override, or the stage's. */
export function functionSize(config: StageConfig, route: string): FunctionSize {
  return config.functions[route] ?? { memoryMb: config.memoryMb, timeoutSeconds: config.timeoutSeconds };
}

function checkSize(where: string, { memoryMb, timeoutSeconds }: FunctionSize): void {
  if (!(Number.isInteger(memoryMb) && memoryMb >= 128 && memoryMb <= 10240)) {
    throw new ConfigError(`${where} memoryMb ${memoryMb} must be a whole number of megabytes from 128 to 10240.`);
  }
  if (!(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1 && timeoutSeconds < TWILIO_WEBHOOK_TIMEOUT_SECONDS)) {
    throw new ConfigError(`${where} timeoutSeconds ${timeoutSeconds} must be a whole number from 1 to ${TWILIO_WEBHOOK_TIMEOUT_SECONDS - 1}, below Twilio's ${TWILIO_WEBHOOK_TIMEOUT_SECONDS}-second webhook limit.`);
  }
}

/** The URL without its trailing slashes, so that base + "/voice/hello" is always right. */
function checkPublicBaseUrl(where: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== "https:" || url.search || url.hash || url.username || url.password || /[?#]/.test(value)) {
    throw new ConfigError(`${where} publicBaseUrl ${JSON.stringify(value)} must be an https URL with no query or fragment, such as https://voice.example.jp.`);
  }
  return value.replace(/\/+$/, "");
}

function checkRemoteState(
  where: string,
  stage: StageName,
  region: string,
  { bucket, key = `${APP}/${stage}/terraform.tfstate`, region: stateRegion = region }: NonNullable<StageSettings["remoteState"]>,
): RemoteState {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError(`${where} remoteState bucket ${JSON.stringify(bucket)} is not an S3 bucket name.`);
  }
  if (key.length === 0 || key.startsWith("/")) {
    throw new ConfigError(`${where} remoteState key ${JSON.stringify(key)} must be a relative object key such as ${APP}/${stage}/terraform.tfstate.`);
  }
  if (!REGION.test(stateRegion)) {
    throw new ConfigError(`${where} remoteState region ${JSON.stringify(stateRegion)} is not an AWS region name.`);
  }
  return { bucket, key, region: stateRegion };
}
