// The custom domain a stage may state (infra/stages.ts `domain`): the stack then declares its
// certificate, API Gateway domain name and base path mapping, and the stage's public URLs are
// https://<name>/<route>, with no stage in the path.
import { UserError } from "../contract";

export interface CustomDomain {
  /** The host name Twilio calls, e.g. voice.example.jp. */
  name: string;
  /** The Route 53 hosted zone of the name: the stack then writes the validation and alias records itself. */
  hostedZoneId?: string;
}

/** A lower-case DNS name of at least two labels; no wildcard, as one stage serves one host. */
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function resolveDomain(where: string, domain: CustomDomain): CustomDomain {
  if (!HOST.test(domain.name)) {
    throw new UserError(`${where} domain name ${JSON.stringify(domain.name)} must be a lower-case host name such as voice.example.jp.`);
  }
  if (domain.hostedZoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(domain.hostedZoneId)) {
    throw new UserError(`${where} domain hostedZoneId ${JSON.stringify(domain.hostedZoneId)} is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ.`);
  }
  return { ...domain };
}

/** The stage's public base URL with a domain: https://<name>; a stated publicBaseUrl must say the same. */
export function domainBaseUrl(where: string, domain: CustomDomain, publicBaseUrl: string | undefined): string {
  const derived = `https://${domain.name}`;
  if (publicBaseUrl !== undefined && publicBaseUrl !== derived) {
    throw new UserError(`${where} publicBaseUrl ${publicBaseUrl} differs from its domain ${domain.name}: leave publicBaseUrl out, it is derived from the domain.`);
  }
  return derived;
}
