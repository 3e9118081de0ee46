// The auth tokens a request may be signed with. More than one during a rotation: the parameter
// (or TWILIO_AUTH_TOKEN) then holds "new,old" and both validate until the old one is dropped.
import { getSecureParameter, ssmOptionsFromEnv, type SsmClientOptions } from "./ssm";

export type TokenSource = () => Promise<string[]>;

export function splitTokens(value: string): string[] {
  return value.split(",").map((t) => t.trim()).filter((t) => t !== "");
}

export interface TokenSourceOptions {
  /** TWILIO_AUTH_TOKEN: wins over the parameter, for local runs. */
  override?: string;
  /** SSM parameter name (DENWA_TOKEN_PARAMETER). */
  parameter?: string;
  ssm?: () => SsmClientOptions;
}

/**
 * Fetches the tokens once per cold start and keeps them. A failed fetch is not kept, so the next
 * request tries again instead of failing until the function is recycled.
 */
export function cachedTokenSource({ override, parameter, ssm = ssmOptionsFromEnv }: TokenSourceOptions): TokenSource {
  if (override !== undefined && splitTokens(override).length > 0) {
    const tokens = splitTokens(override);
    return async () => tokens;
  }
  let pending: Promise<string[]> | undefined;
  return () => {
    pending ??= load().catch((err) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };

  async function load(): Promise<string[]> {
    if (!parameter) throw new Error("No auth token: set DENWA_TOKEN_PARAMETER (deployed) or TWILIO_AUTH_TOKEN (local).");
    const tokens = splitTokens(await getSecureParameter(parameter, ssm()));
    if (tokens.length === 0) throw new Error(`The SSM parameter ${parameter} holds no token.`);
    return tokens;
  }
}
