// The secrets a request may be signed with, and the secrets its handler declares, read together.
// More than one auth token during a rotation: the parameter (or TWILIO_AUTH_TOKEN) then holds
// "new,old" and both validate until the old one is dropped. An entry "sharedkey:SECRET" is a SharedKey secret (HMAC-SHA256 webhooks), kept in the
// same SecureString so one fetch per cold start reads both kinds.
import { getSecureParameters, ssmOptionsFromEnv, type SsmClientOptions } from "./ssm";

export interface TokenSource {
  /** The tokens, fetched on first use and kept. */
  (): Promise<string[]>;
  /**
   * Fetches again if the kept tokens are older than the refresh interval, and tells whether they
   * changed. A warm function thus picks up a rotation at the first request signed with the new
   * token, while forged requests cost at most one fetch per interval.
   */
  refresh?(): Promise<boolean>;
  /** True while SSM is being asked (a cold start's first request, or a refresh). */
  inFlight?(): boolean;
}

export function splitTokens(value: string): string[] {
  return value.split(",").map((t) => t.trim()).filter((t) => t !== "");
}

/** Marks an entry of the stored list as a SharedKey secret rather than an auth token. */
export const SHARED_KEY_PREFIX = "sharedkey:";

export interface Secrets {
  /** Auth tokens: they check HMAC-SHA1 signatures only. */
  authTokens: string[];
  /** SharedKey secrets: they check HMAC-SHA256 signatures only. */
  sharedKeys: string[];
}

export function parseSecrets(entries: readonly string[]): Secrets {
  const secrets: Secrets = { authTokens: [], sharedKeys: [] };
  for (const entry of entries) {
    if (entry.startsWith(SHARED_KEY_PREFIX)) secrets.sharedKeys.push(entry.slice(SHARED_KEY_PREFIX.length));
    else secrets.authTokens.push(entry);
  }
  return secrets;
}

export interface TokenSourceOptions {
  /** TWILIO_AUTH_TOKEN: wins over the parameter, for local runs. */
  override?: string;
  /** SSM parameter name (DENWA_TOKEN_PARAMETER). */
  parameter?: string;
  /** The secrets this function declares, each with the SSM parameter that holds it (DENWA_SECRETS). */
  secretParameters?: Record<string, string>;
  /** Local runs (DENWA_LOCAL_SECRETS): the secrets' values, so SSM is never asked for them. */
  localSecrets?: Record<string, string>;
  ssm?: () => SsmClientOptions;
  /** Least age of kept tokens before a signature mismatch may fetch them again. */
  refreshAfterMs?: number;
  now?: () => number;
}

/** The declared secrets' values by name, fetched with the tokens and kept as they are. */
export type SecretSource = () => Promise<Record<string, string>>;

interface Fetched {
  /** The token parameter's value; undefined when SSM has no such parameter. */
  tokens?: string;
  secrets: Record<string, string>;
}

/**
 * The tokens and the declared secrets, fetched together in one GetParameters call on first use
 * (once per cold start) and kept. A failed fetch is not kept, so the next request tries again
 * instead of failing until the function is recycled.
 */
export function cachedStore({
  override,
  parameter,
  secretParameters = {},
  localSecrets,
  ssm = ssmOptionsFromEnv,
  refreshAfterMs = 60_000,
  now = Date.now,
}: TokenSourceOptions): { tokens: TokenSource; secrets: SecretSource } {
  const localTokens = override === undefined ? [] : splitTokens(override);
  const wanted = [
    ...(localTokens.length || !parameter ? [] : [parameter]),
    ...(localSecrets ? [] : Object.values(secretParameters)),
  ];
  let pending: Promise<Fetched> | undefined;
  let fetchedAt = 0;
  let inFlight = false;
  const fetched = (): Promise<Fetched> => {
    if (!pending) {
      inFlight = true;
      pending = load()
        .finally(() => (inFlight = false))
        .then(
          (values) => {
            fetchedAt = now();
            return values;
          },
          (err) => {
            pending = undefined;
            throw err;
          },
        );
    }
    return pending;
  };
  const tokens: TokenSource = async () => {
    if (localTokens.length) return localTokens;
    if (!parameter) throw new Error("No auth token: set DENWA_TOKEN_PARAMETER (deployed) or TWILIO_AUTH_TOKEN (local).");
    const stored = (await fetched()).tokens;
    if (stored === undefined) throw new Error(`SSM has no parameter ${parameter}: store the token with make secret.`);
    const list = splitTokens(stored);
    if (list.length === 0) throw new Error(`The SSM parameter ${parameter} holds no token.`);
    return list;
  };
  if (!localTokens.length) {
    tokens.inFlight = () => inFlight;
    tokens.refresh = async () => {
      if (!pending || now() - fetchedAt < refreshAfterMs) return false;
      const before = (await pending).tokens;
      pending = undefined;
      return (await fetched()).tokens !== before;
    };
  }
  const secrets: SecretSource = async () => {
    const values = localSecrets ?? (await fetched()).secrets;
    const missing = Object.keys(secretParameters).filter((name) => values[name] === undefined);
    if (missing.length) {
      throw new Error(localSecrets
        ? `The secret ${missing.join(", ")} has no local value: add ${missing[0]}=… to .env or the shell.`
        : `SSM has no parameter ${missing.map((name) => secretParameters[name]).join(", ")}: store it with make secret NAME=${missing[0]}.`);
    }
    return Object.fromEntries(Object.keys(secretParameters).map((name) => [name, values[name]]));
  };
  return { tokens, secrets };

  async function load(): Promise<Fetched> {
    if (wanted.length === 0) return { secrets: {} };
    const values = await getSecureParameters(wanted, ssm());
    const byName = Object.fromEntries(Object.entries(secretParameters).flatMap(([name, path]) => (path in values ? [[name, values[path]]] : [])));
    return { tokens: parameter === undefined ? undefined : values[parameter], secrets: byName };
  }
}
