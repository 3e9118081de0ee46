// What may differ between stages, as one table: each setting's default for every stage, its check,
// and its one-line doc (en and ja; tests/infra-stage-config.test.ts holds the README tables to
// it). StageSettings (what infra/stages.ts may state) and StageConfig (the complete, checked
// result) are derived from the table, so a new setting is one entry in SETTINGS.
import type VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { configNameProblem, DEFAULT_VOICE, routeProblem, TWILIO_WEBHOOK_TIMEOUT_SECONDS, UserError } from "../contract";
import { resolveAlarms, type AlarmConfig, type AlarmSettings } from "./alarm-settings";
import { domainBaseUrl, resolveDomain, type CustomDomain } from "./domain-settings";
import { APP, defaultTokenParameter, STAGE_NAMES, type StageName } from "./names";

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

/** What one route may state beyond the stage's: its size, and settings and secrets of its own. */
export interface FunctionOverrides extends Partial<FunctionSize> {
  settings?: Record<string, string>;
  secrets?: string[];
}

/** S3 remote state; locking uses Terraform's native lock file (Terraform 1.10 or newer). */
export interface RemoteState {
  bucket: string;
  key: string;
  region: string;
}

/** The webhooks of a Twilio number that `make wire` points at routes of the stage. */
export const WIRED = ["voice", "voiceFallback", "statusCallback", "sms", "smsFallback"] as const;
/** For each, the route whose URL it gets, or null to leave that webhook of the number as it is. */
export type Wiring = Record<(typeof WIRED)[number], string | null>;
const DEFAULT_WIRING: Wiring = { voice: "voice/hello", voiceFallback: "fallback", statusCallback: "call/status", sms: "sms/reply", smsFallback: "fallback" };

/** What a stage states of its remote state; the key and region have defaults. */
export type RemoteStateSettings = Pick<RemoteState, "bucket"> & Partial<RemoteState>;

export interface SettingContext {
  stage: StageName;
  /** "The dev stage's": how every refusal begins. */
  where: string;
  /** The settings above this one in SETTINGS, already resolved. */
  resolved: Readonly<Record<string, unknown>>;
}

/** One row of the table: `In` is what a stage may state, `Out` what the rest of infra reads. */
export interface Setting<In, Out> {
  /** One line each for README.md and README.ja.md. */
  doc: { en: string; ja: string };
  /** What each stage gets when it states nothing; undefined is "none". */
  defaults: Record<StageName, In>;
  /** The stated or default value, checked: a UserError names the setting in one sentence. */
  resolve(value: In, context: SettingContext): Out;
}

function setting<In, Out = In>(row: Setting<In, Out>): Setting<In, Out> {
  return row;
}

function everyStage<T>(value: T): Record<StageName, T> {
  return perStage(() => value);
}

function perStage<T>(value: (stage: StageName) => T): Record<StageName, T> {
  return Object.fromEntries(STAGE_NAMES.map((stage) => [stage, value(stage)])) as Record<StageName, T>;
}

const DEFAULT_THROTTLE: Throttle = { rateLimit: 10, burstLimit: 20 };

export const SETTINGS = {
  region: setting<string>({
    doc: { en: "AWS region of every resource of the stage", ja: "ステージのすべてのリソースの AWS リージョン" },
    defaults: everyStage("ap-northeast-1"),
    resolve: (value, { where }) => {
      if (!REGION.test(value)) throw new UserError(`${where} region ${JSON.stringify(value)} is not an AWS region name such as ap-northeast-1.`);
      return value;
    },
  }),
  debug: setting<boolean>({
    doc: {
      en: "error stacks in 500 answers; the bundle ships with its source map and runs with `--enable-source-maps`, so a stack names `functions/voice/x.ts:LINE`; prod can never be synthesized with debug on",
      ja: "500 の応答にエラーのスタックを含める。バンドルはソースマップ付きで `--enable-source-maps` で動くため、スタックが `functions/voice/x.ts:行` を指す。prod を debug 有効で synth することはできない",
    },
    defaults: perStage((stage) => stage === "dev"),
    resolve: (value, { stage }) => {
      if (stage === "prod" && value) {
        throw new UserError("The prod stage can never be synthesized with debug on, as debug answers show error messages and stacks to callers.");
      }
      return value;
    },
  }),
  signature: setting<"on" | "off">({
    doc: { en: 'X-Twilio-Signature checking; `"off"` only when stated, and every request then logs a warning', ja: 'X-Twilio-Signature の検証。明示したときだけ `"off"` にでき、そのときは毎リクエスト警告をログに出す' },
    defaults: everyStage("on"),
    resolve: (value, { where }) => {
      if (value !== "on" && value !== "off") throw new UserError(`${where} signature must be "on" or "off", not ${JSON.stringify(value)}.`);
      return value;
    },
  }),
  domain: setting<CustomDomain | undefined>({
    doc: {
      en: "a custom domain the stack provisions: `{ name, hostedZoneId? }` declares the ACM certificate (DNS validation), the REGIONAL TLS 1.2 domain name and the base path mapping; `publicBaseUrl` is then `https://<name>`",
      ja: "スタックが用意するカスタムドメイン: `{ name, hostedZoneId? }` で ACM 証明書 (DNS 検証)、REGIONAL・TLS 1.2 のドメイン名、ベースパスマッピングを宣言する。`publicBaseUrl` は `https://<name>` になる",
    },
    defaults: everyStage(undefined),
    resolve: (value, { where }) => value && resolveDomain(where, value),
  }),
  publicBaseUrl: setting<string | undefined>({
    doc: { en: "a custom domain made by hand, e.g. `https://voice.example.jp`, whose paths hold no stage (see below); derived from `domain` when that is set", ja: "手作りのカスタムドメイン (例: `https://voice.example.jp`)。パスにステージを含まない。後述。`domain` があればそこから決まる" },
    defaults: everyStage(undefined),
    resolve: (value, { where, resolved }) => {
      const url = value && checkPublicBaseUrl(where, value);
      const domain = resolved.domain as CustomDomain | undefined;
      return domain ? domainBaseUrl(where, domain, url) : url;
    },
  }),
  tokenParameter: setting<string>({
    doc: { en: "SSM SecureString with the Twilio auth token(s)", ja: "Twilio の Auth Token を入れる SSM の SecureString" },
    defaults: perStage(defaultTokenParameter),
    resolve: (value, { stage, where }) => {
      if (!/^\/[A-Za-z0-9_.\-/]+$/.test(value) || value.includes("//") || value.length > 1011) {
        throw new UserError(`${where} tokenParameter ${JSON.stringify(value)} must be an SSM parameter path such as ${defaultTokenParameter(stage)}.`);
      }
      return value;
    },
  }),
  logRetentionDays: setting<RetentionDays>({
    doc: { en: 'days every log group of the stage keeps; one of the values CloudWatch accepts, never "forever"', ja: "ステージのすべてのロググループの保存日数。CloudWatch が受け付ける値のどれか。「無期限」は不可" },
    defaults: everyStage(30),
    resolve: (value, { where }) => {
      if (!(RETENTION_DAYS as readonly number[]).includes(value)) {
        throw new UserError(`${where} logRetentionDays ${value} is not one CloudWatch Logs accepts (${RETENTION_DAYS.join(", ")}).`);
      }
      return value;
    },
  }),
  throttle: setting<Partial<Throttle>, Throttle>({
    doc: { en: "stage-wide API Gateway throttling: steady requests per second, and the burst above it", ja: "ステージ全体の API Gateway のスロットリング: 毎秒のリクエスト数と、それを超えて許すバースト" },
    defaults: everyStage(DEFAULT_THROTTLE),
    resolve: (value, { where }) => {
      // A stage that states one of the two keeps the default of the other.
      const { rateLimit, burstLimit } = { ...DEFAULT_THROTTLE, ...value };
      if (!(Number.isFinite(rateLimit) && rateLimit > 0)) {
        throw new UserError(`${where} throttle rateLimit ${rateLimit} must be a number of requests per second above 0.`);
      }
      if (!(Number.isInteger(burstLimit) && burstLimit > 0)) {
        throw new UserError(`${where} throttle burstLimit ${burstLimit} must be a whole number of requests above 0.`);
      }
      return { rateLimit, burstLimit };
    },
  }),
  memoryMb: setting<number>({
    doc: { en: "memory of every function, in MB", ja: "すべての関数のメモリ (MB)" },
    defaults: everyStage(256),
    resolve: (value, { where }) => checkMemory(where, value),
  }),
  timeoutSeconds: setting<number>({
    doc: { en: `timeout of every function, in seconds; below Twilio's ${TWILIO_WEBHOOK_TIMEOUT_SECONDS} s`, ja: `すべての関数のタイムアウト (秒)。Twilio の ${TWILIO_WEBHOOK_TIMEOUT_SECONDS} 秒未満` },
    defaults: everyStage(10),
    resolve: (value, { where }) => checkTimeout(where, value),
  }),
  settings: setting<Record<string, string>>({
    doc: {
      en: 'plain settings every function reads with `req.setting("NAME")`, e.g. `{ FORWARD_TO: "+81…" }`; they reach the Lambda environment, never SSM',
      ja: 'すべての関数が `req.setting("NAME")` で読む平文の設定 (例: `{ FORWARD_TO: "+81…" }`)。Lambda の環境変数に入り、SSM には入らない',
    },
    defaults: everyStage({}),
    resolve: (value, { where }) => checkSettings(where, value),
  }),
  secrets: setting<string[]>({
    doc: {
      en: "names of secrets every function reads with `req.secret(\"NAME\")`; `make secret NAME=…` stores each in SSM under `/denwa/<stage>/secrets/`, read once per cold start",
      ja: "すべての関数が `req.secret(\"NAME\")` で読むシークレットの名前。`make secret NAME=…` で SSM の `/denwa/<stage>/secrets/` に保存し、コールドスタートごとに一度読む",
    },
    defaults: everyStage([]),
    resolve: (value, { where }) => checkSecretNames(where, value),
  }),
  functions: setting<Record<string, FunctionOverrides>>({
    doc: {
      en: 'per-route overrides, keyed by route (`"voice/menu"`): `memoryMb`, `timeoutSeconds`, and `settings` / `secrets` of that function only',
      ja: 'ルートごとの上書き。キーはルート (`"voice/menu"`): `memoryMb`、`timeoutSeconds`、その関数だけの `settings` / `secrets`',
    },
    defaults: everyStage({}),
    resolve: (value, { where }) => {
      const overrides: Record<string, FunctionOverrides> = {};
      for (const [route, { memoryMb, timeoutSeconds, settings, secrets }] of Object.entries(value)) {
        const at = `${where} function ${route}`;
        overrides[route] = {
          ...(memoryMb === undefined ? {} : { memoryMb: checkMemory(at, memoryMb) }),
          ...(timeoutSeconds === undefined ? {} : { timeoutSeconds: checkTimeout(at, timeoutSeconds) }),
          ...(settings === undefined ? {} : { settings: checkSettings(at, settings) }),
          ...(secrets === undefined ? {} : { secrets: checkSecretNames(at, secrets) }),
        };
      }
      return overrides;
    },
  }),
  wire: setting<Partial<Wiring>, Wiring>({
    doc: {
      en: "the route `make wire` gives each webhook of the number (`voice`, `voiceFallback`, `statusCallback`, `sms`, `smsFallback`); `null` leaves that one as it is",
      ja: "`make wire` が番号の各 Webhook (`voice`、`voiceFallback`、`statusCallback`、`sms`、`smsFallback`) に設定するルート。`null` はそのまま残す",
    },
    defaults: everyStage(DEFAULT_WIRING),
    resolve: (value, { where }) => {
      // A stage that states some webhooks keeps the defaults of the others.
      const wiring = { ...DEFAULT_WIRING, ...value };
      for (const [field, route] of Object.entries(wiring)) {
        if (!(WIRED as readonly string[]).includes(field)) throw new UserError(`${where} wire names ${field}, which is not one of ${WIRED.join(", ")}.`);
        const problem = route === null ? undefined : routeProblem(route);
        if (problem) throw new UserError(`${where} wire ${field}: ${problem}`);
      }
      return wiring;
    },
  }),
  voice: setting<SayVoice>({
    doc: { en: "the Japanese `<Say>` voice, passed to the functions as the stage variable `voice`", ja: "日本語の `<Say>` の声。ステージ変数 `voice` として関数に渡る" },
    defaults: everyStage(DEFAULT_VOICE as SayVoice),
    resolve: (value, { where }) => {
      if (!/^[A-Za-z0-9\-._~:/?#&=,]+$/.test(value)) throw new UserError(`${where} voice ${JSON.stringify(value)} holds characters a stage variable cannot.`);
      return value;
    },
  }),
  remoteState: setting<RemoteStateSettings | undefined, RemoteState | undefined>({
    doc: {
      en: `S3 remote state: a bucket, a key (default \`${APP}/<stage>/terraform.tfstate\`) and a region (default the stage's); locked with Terraform's native lock file. Without it, a local state file`,
      ja: `S3 のリモート state: バケット、キー (既定は \`${APP}/<stage>/terraform.tfstate\`)、リージョン (既定はステージのもの)。Terraform 標準のロックファイルでロック。なければローカルの state ファイル`,
    },
    defaults: everyStage(undefined),
    resolve: (value, { stage, where, resolved }) => value && checkRemoteState(where, stage, resolved.region as string, value),
  }),
  accountCloudWatchRoleArn: setting<string | undefined>({
    doc: {
      en: "the CloudWatch role already set in the account's API Gateway settings; turns on JSON access logs and execution logs, which API Gateway refuses without one",
      ja: "アカウントの API Gateway 設定に登録済みの CloudWatch ロール。JSON のアクセスログと実行ログを有効にする (ロールがないと API Gateway はどちらも拒否する)",
    },
    defaults: everyStage(undefined),
    resolve: (value, { where }) => {
      if (value !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(value)) {
        throw new UserError(`${where} accountCloudWatchRoleArn ${JSON.stringify(value)} is not an IAM role ARN.`);
      }
      return value;
    },
  }),
  alarms: setting<AlarmSettings, AlarmConfig>({
    doc: {
      en: "CloudWatch alarms: `topic` (`{ arn }` of an SNS topic, or `{ create: true, email? }`), `notify` (default: prod pages, dev only records), `periodSeconds` (60), and `rules` with a `threshold` and `evaluationPeriods` per alarm",
      ja: "CloudWatch アラーム: `topic` (SNS トピックの `{ arn }`、または `{ create: true, email? }`)、`notify` (既定: prod は通知、dev は記録のみ)、`periodSeconds` (60)、アラームごとの `threshold` と `evaluationPeriods` を持つ `rules`",
    },
    defaults: perStage((stage) => ({ notify: stage === "prod" })),
    resolve: (value, { stage }) => resolveAlarms(stage, value),
  }),
  tags: setting<Record<string, string>>({
    doc: { en: "tags added to every resource, beside `app` and `stage`", ja: "`app` と `stage` に加えて、すべてのリソースに付けるタグ" },
    defaults: everyStage({}),
    resolve: (value, { where }) => {
      for (const [key, text] of Object.entries(value)) {
        if (key.length === 0 || key.length > 128 || key.toLowerCase().startsWith("aws:") || text.length > 256) {
          throw new UserError(`${where} tag ${JSON.stringify(key)} is not one AWS accepts (a key of 1 to 128 characters not starting with aws:, a value of at most 256).`);
        }
      }
      return value;
    },
  }),
};

type Settings = typeof SETTINGS;
type InOf<S> = S extends { defaults: Record<StageName, infer In> } ? In : never;
type OutOf<S> = S extends { resolve(...args: never[]): infer Out } ? Out : never;

/** What a stage may state in infra/stages.ts; everything left out takes its default from SETTINGS. */
export type StageSettings = { [K in keyof Settings]?: InOf<Settings[K]> };

/** A stage's complete, checked configuration. */
export type StageConfig = { stage: StageName } & { [K in keyof Settings]: OutOf<Settings[K]> };

export function resolveStageConfig(stage: StageName, stated: StageSettings = {}): StageConfig {
  const resolved: Record<string, unknown> = {};
  const context: SettingContext = { stage, where: `The ${stage} stage's`, resolved };
  for (const [key, row] of Object.entries(SETTINGS) as [keyof Settings, Setting<unknown, unknown>][]) {
    resolved[key] = row.resolve(stated[key] ?? row.defaults[stage], context);
  }
  return { stage, ...resolved } as StageConfig;
}

/** The memory and timeout of the function at `route`: its override, or the stage's. */
export function functionSize(config: StageConfig, route: string): FunctionSize {
  const { memoryMb = config.memoryMb, timeoutSeconds = config.timeoutSeconds } = config.functions[route] ?? {};
  return { memoryMb, timeoutSeconds };
}

/** The plain settings of the function at `route`: the stage's, then its own over them. */
export function functionSettings(config: StageConfig, route: string): Record<string, string> {
  return { ...config.settings, ...config.functions[route]?.settings };
}

/** The names of the secrets the function at `route` may read: the stage's and its own. */
export function functionSecrets(config: StageConfig, route: string): string[] {
  return [...new Set([...config.secrets, ...(config.functions[route]?.secrets ?? [])])].sort();
}

/** Every secret name any function of the stage declares. */
export function stageSecrets(config: StageConfig): string[] {
  return [...new Set([...config.secrets, ...Object.values(config.functions).flatMap((f) => f.secrets ?? [])])].sort();
}

function checkSettings(where: string, settings: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(settings)) {
    const problem = configNameProblem("setting", name);
    if (problem) throw new UserError(`${where} settings: ${problem}`);
    if (typeof value !== "string") throw new UserError(`${where} setting ${name} must be a string, not ${JSON.stringify(value)}.`);
  }
  return settings;
}

function checkSecretNames(where: string, names: string[]): string[] {
  for (const name of names) {
    const problem = configNameProblem("secret", name);
    if (problem) throw new UserError(`${where} secrets: ${problem}`);
  }
  return [...new Set(names)];
}

function checkMemory(where: string, memoryMb: number): number {
  if (!(Number.isInteger(memoryMb) && memoryMb >= 128 && memoryMb <= 10240)) {
    throw new UserError(`${where} memoryMb ${memoryMb} must be a whole number of megabytes from 128 to 10240.`);
  }
  return memoryMb;
}

function checkTimeout(where: string, timeoutSeconds: number): number {
  if (!(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1 && timeoutSeconds < TWILIO_WEBHOOK_TIMEOUT_SECONDS)) {
    throw new UserError(`${where} timeoutSeconds ${timeoutSeconds} must be a whole number from 1 to ${TWILIO_WEBHOOK_TIMEOUT_SECONDS - 1}, below Twilio's ${TWILIO_WEBHOOK_TIMEOUT_SECONDS}-second webhook limit.`);
  }
  return timeoutSeconds;
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
    throw new UserError(`${where} publicBaseUrl ${JSON.stringify(value)} must be an https URL with no query or fragment, such as https://voice.example.jp.`);
  }
  return value.replace(/\/+$/, "");
}

function checkRemoteState(
  where: string,
  stage: StageName,
  region: string,
  { bucket, key = `${APP}/${stage}/terraform.tfstate`, region: stateRegion = region }: RemoteStateSettings,
): RemoteState {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UserError(`${where} remoteState bucket ${JSON.stringify(bucket)} is not an S3 bucket name.`);
  }
  if (key.length === 0 || key.startsWith("/")) {
    throw new UserError(`${where} remoteState key ${JSON.stringify(key)} must be a relative object key such as ${APP}/${stage}/terraform.tfstate.`);
  }
  if (!REGION.test(stateRegion)) {
    throw new UserError(`${where} remoteState region ${JSON.stringify(stateRegion)} is not an AWS region name.`);
  }
  return { bucket, key, region: stateRegion };
}
