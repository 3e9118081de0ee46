// The secrets a request may be signed with. More than one auth token during a rotation: the
// parameter (or TWILIO_AUTH_TOKEN) then holds "new,old" and both validate until the old one is
// dropped. An entry "sharedkey:SECRET" is a SharedKey secret (HMAC-SHA256 webhooks), kept in the
// same SecureString so one fetch per cold start reads both kinds.
import { getSecureParameter, ssmOptionsFromEnv, type SsmClientOptions } from "./ssm";

export interface TokenSource {
  /** The tokens, fetched on first use and kept. */
  (): Promise<string[]>;
  /**
   * Fetches again if the kept tokens are older than the refresh interval, and tells whether they
   * changed. A warm function thus picks up a rotation at the first request signed with the new
   * token, while forged requests cost at most one fetch per interval.
   */
  refresh?(): Promise<boolean>;
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
  ssm?: () => SsmClientOptions;
  /** Least age of kept tokens before a signature mismatch may fetch them again. */
  refreshAfterMs?: number;
  now?: () => number;
}

/**
 * Fetches the tokens once per cold start and keeps them. A failed fetch is not kept, so the next
 * request tries again instead of failing until the function is recycled.
 */
export function cachedTokenSource({ override, parameter, ssm = ssmOptionsFromEnv, refreshAfterMs = 60_000, now = Date.now }: TokenSourceOptions): TokenSource {
  if (override !== undefined && splitTokens(override).length > 0) {
    const tokens = splitTokens(override);
    return async () => tokens;
  }
  let pending: Promise<string[]> | undefined;
  let fetchedAt = 0;
  const tokens: TokenSource = () => {
    pending ??= load().then(
      (list) => {
        fetchedAt = now();
        return list;
      },
      (err) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
  tokens.refresh = async () => {
    if (!pending || now() - fetchedAt < refreshAfterMs) return false;
    const before = (await pending).join(",");
    pending = undefined;
    return (await tokens()).join(",") !== before;
  };
  return tokens;

  async function load(): Promise<string[]> {
    if (!parameter) throw new Error("No auth token: set DENWA_TOKEN_PARAMETER (deployed) or TWILIO_AUTH_TOKEN (local).");
    const tokens = splitTokens(await getSecureParameter(parameter, ssm()));
    if (tokens.length === 0) throw new Error(`The SSM parameter ${parameter} holds no token.`);
    return tokens;
  }
}
