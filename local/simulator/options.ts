// The command line of local/call.ts turned into simulator options, with the defaults a
// newcomer needs: the dev stage on the local emulator and the auth token from the usual places.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DialCallStatus } from "../../runtime/twilio-params";
import { DIAL_OUTCOMES, parseUtterance, type Utterance } from "./caller";
import type { Method } from "./http";
import { DEFAULT_FROM, DEFAULT_TO, isE164, type Params } from "./params";
import { DEFAULT_MAX_STEPS } from "./session";
import { readDotEnv } from "../dotenv";
import { SHARED_KEY_PREFIX } from "../../runtime/auth-tokens";
import { UserError } from "../../contract";
import { commandLine, readArgs, type Args } from "../../contract/cli";


/** What a call and a message both take from the command line. */
interface SessionCommand {
  url: string;
  method: Method;
  authToken: string;
  fallbackUrl?: string;
  fallbackMethod: Method;
  params: Params;
  from: string;
  to: string;
  json: boolean;
  maxSteps: number;
}

export interface CallCommand extends SessionCommand {
  kind: "call";
  digits: string[];
  speech: string[];
  record: Utterance[];
  dial: DialCallStatus;
  statusUrl?: string;
}

export interface SmsCommand extends SessionCommand {
  kind: "sms";
  body: string;
  media: string[];
}

export type Command = CallCommand | SmsCommand | { kind: "help" };

export const USAGE = `Usage:
  call.ts [call] [URL] [--digits 1,,2] [--speech "TEXT"]… [--record "SECONDS[ hangup|#|*][:WORDS]"]…
          [--dial completed|busy|no-answer|failed|canceled] [--status-url U] [COMMON]
  call.ts sms "TEXT" [URL] [--media URL]… [COMMON]
COMMON: [--token T | --shared-key S] [--param KEY=VALUE]… [--fallback U] [--fallback-method GET|POST]
        [--from +81…] [--to +81…] [--method GET|POST] [--json] [--max-steps N]
URL defaults to the dev stage on the local emulator (voice/hello, or sms/reply for sms).
In --digits each entry answers one <Gather>; an empty entry is silence until the timeout.
Each --speech answers one speech <Gather>, each --record one <Record> (0 = an empty recording);
--dial says how every <Dial> ends. --param adds or replaces a parameter in every request.
The auth token comes from --token, TWILIO_AUTH_TOKEN, or TWILIO_AUTH_TOKEN=… in .env;
--shared-key SECRET signs as a SharedKey webhook (HMAC-SHA256) instead.`;

const many = { type: "string", multiple: true } as const;
/** The command line; every value option is `multiple` so that giving one twice can be refused. */
export const CALL_LINE = commandLine({
  name: "make call",
  usage: USAGE,
  positionals: true,
  options: {
    digits: many, speech: many, record: many, dial: many, param: many, token: many, "shared-key": many, "status-url": many,
    fallback: many, "fallback-method": many, from: many, to: many, method: many, "max-steps": many, media: many,
    json: { type: "boolean" },
  },
});
const CALL_ONLY = ["--digits", "--speech", "--record", "--dial", "--status-url"];

export interface Environment {
  env: NodeJS.ProcessEnv;
  /** Repository root: where .env and cdktf.out/ live. */
  root: string;
}

export function parseCommand(argv: string[], environment: Environment): Command {
  if (argv.includes("--help") || argv.includes("-h")) return { kind: "help" };
  return commandFrom(readArgs(CALL_LINE, argv), environment);
}

/** The simulator's options from a parsed command line, checked, with the defaults filled in. */
export function commandFrom(parsed: Args<typeof CALL_LINE.options>, { env, root }: Environment): CallCommand | SmsCommand {
  const positional = [...parsed.positionals];
  const json = parsed.values.json === true;
  const values = new Map(Object.entries(parsed.values).flatMap(([name, list]) => (Array.isArray(list) ? [[`--${name}`, list]] : [])));
  const one = (name: string): string | undefined => {
    const list = values.get(name);
    if (list !== undefined && list.length > 1) throw new UserError(`The option ${name} may be given only once.`);
    return list?.[0];
  };

  const isSms = positional[0] === "sms";
  if (positional[0] === "sms" || positional[0] === "call") positional.shift();
  let body = "";
  if (isSms) {
    const text = positional.shift();
    if (text === undefined) throw new UserError('The sms command needs the message text, e.g. sms "こんにちは".');
    body = text;
    const callOnly = CALL_ONLY.find((name) => values.has(name));
    if (callOnly) throw new UserError(`The option ${callOnly} is for calls, not for sms.`);
  } else if (values.has("--media")) {
    throw new UserError("The option --media is for sms, not for calls.");
  }
  if (positional.length > 1) throw new UserError(`Only one URL may be given, but got ${positional.length}: ${positional.join(" ")}.`);

  const route = isSms ? "sms/reply" : "voice/hello";
  const url = checkUrl("URL", positional[0] ?? defaultUrl(root, route, env));
  const method = checkMethod("The method", one("--method"));
  const fallbackMethod = checkMethod("--fallback-method", one("--fallback-method"));
  const from = checkNumber("--from", one("--from") ?? DEFAULT_FROM);
  const to = checkNumber("--to", one("--to") ?? DEFAULT_TO);
  const maxStepsText = one("--max-steps");
  if (maxStepsText !== undefined && !/^[1-9][0-9]*$/.test(maxStepsText)) {
    throw new UserError(`--max-steps must be a positive whole number, not ${maxStepsText}.`);
  }
  const maxSteps = maxStepsText === undefined ? DEFAULT_MAX_STEPS : Number(maxStepsText);
  const fallbackText = one("--fallback");
  const fallbackUrl = fallbackText === undefined ? undefined : checkUrl("--fallback", fallbackText);
  // A SharedKey secret signs HMAC-SHA256 instead of the auth token's HMAC-SHA1 (local/simulator/sign.ts).
  const sharedKey = one("--shared-key");
  const authToken = sharedKey !== undefined ? `${SHARED_KEY_PREFIX}${sharedKey}` : findToken(one("--token"), env, root);
  const params = parseParams(values.get("--param") ?? []);
  const common = { url, method, authToken, fallbackUrl, fallbackMethod, params, from, to, json, maxSteps };
  if (isSms) {
    return { kind: "sms", ...common, body, media: (values.get("--media") ?? []).map((media) => checkUrl("--media", media)) };
  }
  const statusText = one("--status-url");
  return {
    kind: "call",
    ...common,
    digits: parseDigits(one("--digits")),
    speech: values.get("--speech") ?? [],
    record: (values.get("--record") ?? []).map(checkUtterance),
    dial: checkDial(one("--dial") ?? "completed"),
    statusUrl: statusText === undefined ? undefined : checkUrl("--status-url", statusText),
  };
}

/** "1,,2" → ["1", "", "2"]: one entry per <Gather>, an empty one meaning silence. */
function parseDigits(text: string | undefined): string[] {
  if (text === undefined) return [];
  const entries = text.split(",").map((entry) => entry.trim());
  const bad = entries.find((entry) => !/^[0-9*#]*$/.test(entry));
  if (bad !== undefined) throw new UserError(`--digits takes keys 0-9, * and # separated by commas, not "${bad}".`);
  return entries;
}

function checkMethod(what: string, text: string | undefined): Method {
  const method = (text ?? "POST").toUpperCase();
  if (method !== "GET" && method !== "POST") throw new UserError(`${what} must be GET or POST, not ${text}.`);
  return method;
}

/** KEY=VALUE pairs, as `twilio webhook:invoke -d` takes them; the value may be empty or hold "=". */
function parseParams(pairs: string[]): Params {
  const params: Params = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UserError(`--param takes KEY=VALUE, such as CallerName=山田, not "${pair}".`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return params;
}

function checkUtterance(text: string): Utterance {
  const utterance = parseUtterance(text);
  if (utterance === null) throw new UserError(`--record takes whole seconds, then optionally hangup, # or *, and :the words said (5, "5 hangup", 5#:もしもし), not "${text}".`);
  return utterance;
}

function checkDial(text: string): DialCallStatus {
  const outcome = DIAL_OUTCOMES.find((o) => o === text);
  if (outcome === undefined) throw new UserError(`--dial must be one of ${DIAL_OUTCOMES.join(", ")}, not "${text}".`);
  return outcome;
}

function checkUrl(what: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${what} must be an absolute http:// or https:// URL, not "${text}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UserError(`${what} must be an absolute http:// or https:// URL, not "${text}".`);
  }
  return text;
}

function checkNumber(what: string, number: string): string {
  if (!isE164(number)) throw new UserError(`${what} must be an E.164 phone number such as +815012345678, not "${number}".`);
  return number;
}

function findToken(option: string | undefined, env: NodeJS.ProcessEnv, root: string): string {
  const token = option ?? env.TWILIO_AUTH_TOKEN ?? readDotEnv(path.join(root, ".env")).TWILIO_AUTH_TOKEN;
  if (token === undefined || token === "") {
    throw new UserError("No auth token: pass --token, set TWILIO_AUTH_TOKEN, or put TWILIO_AUTH_TOKEN=… in .env (make dev prints the local one).");
  }
  return token;
}

/**
 * The local emulator's URL for a route of the dev stage. The synthesized stack's `webhook_urls`
 * output (route → deployed URL) tells which routes exist; its values are Terraform expressions
 * until deployment, so the local address is built here.
 */
export function defaultUrl(root: string, route: string, env: NodeJS.ProcessEnv): string {
  const file = path.join(root, "cdktf.out", "stacks", "denwa-dev", "cdk.tf.json");
  if (existsSync(file)) {
    const routes = webhookRoutes(file);
    if (routes !== null && !routes.includes(route)) {
      throw new UserError(`The dev stage has no ${route} webhook (it has ${routes.join(", ") || "none"}); give a URL instead.`);
    }
  }
  const port = env.PORT || readDotEnv(path.join(root, ".env")).PORT || "3000";
  return `http://127.0.0.1:${port}/dev/${route}`;
}

function webhookRoutes(file: string): string[] | null {
  let stack: unknown;
  try {
    stack = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UserError(`${file} is not valid JSON; run the synth again or give a URL.`);
  }
  const value = (stack as { output?: { webhook_urls?: { value?: unknown } } }).output?.webhook_urls?.value;
  return value !== null && typeof value === "object" ? Object.keys(value) : null;
}
