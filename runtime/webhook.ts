// Runs around every handler: event -> TwilioRequest, signature check, TwiML response, errors,
// and one JSON log line per request. Handlers never repeat any of this.
import type { WebhookResult } from "./event";
import { HttpError } from "./http-error";
import { type Logger, type LogFields, jsonLogger, maskConsole } from "./log";
import { assertGatewayEvent, lowerCaseHeaders, toTwilioRequest, type TwilioRequest } from "./request";
import { ENV } from "../contract";
import { readSettings, type Settings } from "./settings";
import { isSignedBy, type SignedRequest } from "./signature";
import { cachedStore, parseSecrets, SHARED_KEY_PREFIX, type SecretSource, type TokenSource } from "./auth-tokens";

/** What a handler returns: a VoiceResponse or MessagingResponse (anything whose toString is TwiML). */
export interface Twiml {
  toString(): string;
}

export type Webhook<P = any> = (req: TwilioRequest<P>) => Twiml | Promise<Twiml>;

export interface RuntimeDeps {
  settings: Settings;
  tokens: TokenSource;
  /** The secrets the function declares; asked only when it declares any. */
  secrets: SecretSource;
  log: Logger;
  now: () => number;
}

const XML = "application/xml";
const TEXT = "text/plain; charset=utf-8";
const GENERIC_500 = "An application error occurred.";
const TWIML = /^\s*(<\?xml[^>]*\?>\s*)?<Response[\s/>]/;

export async function runWebhook(webhook: Webhook, event: unknown, deps: RuntimeDeps): Promise<WebhookResult> {
  const started = deps.now();
  const fields: LogFields = { stage: deps.settings.stage, route: deps.settings.route };
  let result: WebhookResult;
  let secrets: Record<string, string> = {};
  // Asked first, and given one turn of the event loop when that sends a request to SSM (a cold
  // start), so the request is on its way while this one is parsed. Awaited below, where a failure
  // becomes this request's answer.
  const tokens = deps.settings.verifySignature ? currentTokens(deps) : undefined;
  tokens?.catch(() => {});
  if (deps.tokens.inFlight?.()) await new Promise((resolve) => setImmediate(resolve));
  try {
    assertGatewayEvent(event);
    fields.requestId = event.requestId;
    const headers = lowerCaseHeaders(event.headers);
    const req = toTwilioRequest({
      event,
      headers,
      publicBaseUrl: deps.settings.publicBaseUrl,
      log: (more) => Object.assign(fields, more),
      config: { route: deps.settings.route, settings: deps.settings.appSettings, secrets: () => secrets },
    });
    fields.sid = pick(req.params, "CallSid") ?? pick(req.params, "MessageSid");
    // Twilio sends the same token again when it retries a request, so a retry can be spotted.
    fields.idempotencyToken = headers["i-twilio-idempotency-token"];
    if (deps.settings.verifySignature) {
      const signed: SignedRequest = {
        signature: headers["x-twilio-signature"],
        settings: headers["x-twilio-webhooks-signature-settings"],
        method: req.method,
        url: req.url,
        query: req.query,
        body: req.method === "POST" ? req.params : {},
      };
      const valid = isSignedBy(await tokens!, signed) ||
        ((await refreshTokens(deps)) && isSignedBy(await currentTokens(deps), signed));
      if (!valid) throw new HttpError(403, "The X-Twilio-Signature header does not match this request.");
    } else {
      fields.warning = `The signature check is off for this stage (${ENV.signature}=off): anyone can call this webhook.`;
    }
    if (Object.keys(deps.settings.secretParameters).length) secrets = await currentSecrets(deps);
    const body = String(await webhook(req));
    if (!TWIML.test(body)) throw new Error("The handler returned something that is not TwiML (no <Response> element).");
    result = { statusCode: 200, contentType: XML, body };
  } catch (err) {
    result = errorResult(err, deps.settings.debug, Object.values(secrets));
    // Bounded: a library's message may quote caller text, and a log line never holds the body.
    fields.error = (err instanceof Error ? err.message : String(err)).slice(0, 200);
    if (!(err instanceof HttpError)) fields.errorType = err instanceof Error ? err.name : typeof err;
  }
  fields.status = result.statusCode;
  fields.ms = Math.round((deps.now() - started) * 100) / 100;
  const level = result.statusCode >= 500 ? "error" : result.statusCode >= 400 || fields.warning ? "warn" : "info";
  deps.log[level](fields);
  return result;
}

async function currentTokens(deps: RuntimeDeps): Promise<string[]> {
  const tokens = await deps.tokens().catch((err: Error) => {
    throw new Error(`The auth token could not be read: ${err.message}`);
  });
  const { authTokens, sharedKeys } = parseSecrets(tokens);
  [...authTokens, ...sharedKeys].forEach((secret) => deps.log.hideSecret(secret));
  return tokens;
}

async function currentSecrets(deps: RuntimeDeps): Promise<Record<string, string>> {
  const secrets = await deps.secrets().catch((err: Error) => {
    throw new Error(`The secrets of ${deps.settings.route} could not be read: ${err.message}`);
  });
  Object.values(secrets).forEach((secret) => deps.log.hideSecret(secret));
  return secrets;
}

/** A mismatch may mean the token was rotated since this instance fetched it. */
async function refreshTokens(deps: RuntimeDeps): Promise<boolean> {
  return (await deps.tokens.refresh?.().catch(() => false)) ?? false;
}

/** A debug answer shows the error, but never a secret value the handler may have put in it. */
function errorResult(err: unknown, debug: boolean, secrets: string[]): WebhookResult {
  if (err instanceof HttpError) return { statusCode: err.statusCode, contentType: TEXT, body: err.message };
  if (!debug) return { statusCode: 500, contentType: TEXT, body: GENERIC_500 };
  let detail = err instanceof Error ? err.stack ?? err.message : String(err);
  for (const secret of secrets) detail = detail.split(secret).join("[redacted]");
  return { statusCode: 500, contentType: TEXT, body: `${GENERIC_500}\n\n${detail}` };
}

function pick(params: Record<string, string | string[]>, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The Lambda entry for a handler: settings and token source are read once per cold start, and
 * from then on the handler's console lines hide the secrets the runtime learns.
 */
export function lambdaHandler(webhook: Webhook): (event: unknown) => Promise<WebhookResult> {
  let deps: RuntimeDeps | undefined;
  return (event) => {
    if (!deps) {
      deps = depsFromEnv(process.env);
      maskConsole(deps.log.mask);
    }
    return runWebhook(webhook, event, deps);
  };
}

/** TWILIO_AUTH_TOKEN and TWILIO_SHARED_KEY of a local run, as one list like the stored one. */
function localSecrets(env: NodeJS.ProcessEnv): string | undefined {
  const shared = env[ENV.sharedKey] ? `${SHARED_KEY_PREFIX}${env[ENV.sharedKey]}` : undefined;
  const entries = [env[ENV.authToken], shared].filter((e) => e !== undefined);
  return entries.length ? entries.join(",") : undefined;
}

export function depsFromEnv(env: NodeJS.ProcessEnv): RuntimeDeps {
  const settings = readSettings(env);
  const { tokens, secrets } = cachedStore({
    override: localSecrets(env),
    parameter: settings.tokenParameter,
    secretParameters: settings.secretParameters,
    localSecrets: settings.localSecrets,
  });
  return {
    settings,
    tokens,
    secrets,
    log: jsonLogger(),
    // Not performance.now(): its first use loads perf_hooks, 0.7 ms of every cold start.
    now: () => Number(process.hrtime.bigint()) / 1e6,
  };
}
