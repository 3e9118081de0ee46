// Query strings rebuilt from decoded parameters. API Gateway's REST API hands a function only the
// decoded query, yet Twilio signs the URL byte for byte as it was written, so the runtime tries
// each encoding a URL is commonly written in. Every candidate decodes back to exactly the same
// parameters, in the same order: an extra candidate can never make a changed parameter valid.

/** Characters each encoder leaves as they are; every other character is percent-encoded as UTF-8. */
const KEPT = {
  /** RFC 3986 unreserved: urlFor (the canonical form), Python's urlencode, Go's QueryEscape. */
  rfc3986: /^[A-Za-z0-9\-._~]$/,
  /** WHATWG form encoding: URLSearchParams, Java's URLEncoder, Twilio's own parameters on a GET. */
  whatwg: /^[A-Za-z0-9*\-._]$/,
  /** encodeURIComponent and Node's querystring. */
  ecmascript: /^[A-Za-z0-9\-_.!~*'()]$/,
  /** A URL typed by hand: what RFC 3986 allows raw in a query, "=" also raw inside a value. */
  typed: /^[A-Za-z0-9\-._~!$'()*,;:@/?]$/,
};

type Kept = keyof typeof KEPT;

interface Style {
  kept: Kept;
  /** How a space is written: "+" (form encoding) or "%20". */
  space: "+" | "%20";
  lowerHex: boolean;
  /** An empty value written as "flag" instead of "flag=". */
  bareEmpty: boolean;
}

/** The most candidates a query can produce, whatever its content. */
export const MAX_QUERY_CANDIDATES = 64;

const CANONICAL: Style = { kept: "rfc3986", space: "%20", lowerHex: false, bareEmpty: false };
const TWILIO_APPENDED: Style = { kept: "whatwg", space: "+", lowerHex: false, bareEmpty: false };

/**
 * The canonical query string: names and values in the given order, everything but RFC 3986's
 * unreserved characters (A-Z a-z 0-9 - . _ ~) percent-encoded as UTF-8 with upper-case hex, a space
 * as %20, and "=" after every name. The runtime rebuilds this form first.
 */
export function canonicalQuery(query: Record<string, string>): string {
  return encodePairs(Object.entries(query), CANONICAL);
}

/**
 * The query strings that decode to `query`, canonical first, at most MAX_QUERY_CANDIDATES. Each
 * style is applied to the whole query; on a GET (`appended`), Twilio adds its own parameters
 * (names starting with a capital letter) after the configured ones, in its own encoding, so the
 * configured part may also differ from the appended part. None when a value cannot be encoded.
 */
export function queryCandidates(query: Record<string, string>, appended: boolean): string[] {
  const pairs = Object.entries(query);
  const styles = allStyles(pairs.some(([, value]) => value === ""));
  const out = new Set<string>();
  try {
    for (const style of styles) out.add(encodePairs(pairs, style));
    const split = pairs.findIndex(([name]) => /^[A-Z]/.test(name));
    if (appended && split > 0) {
      const tail = encodePairs(pairs.slice(split), TWILIO_APPENDED);
      for (const style of styles) out.add(`${encodePairs(pairs.slice(0, split), style)}&${tail}`);
    }
  } catch {
    // A lone surrogate has no UTF-8 form: no URL decodes to it, so no signature can match.
    return [];
  }
  return [...out];
}

function allStyles(hasEmpty: boolean): Style[] {
  const styles: Style[] = [];
  for (const bareEmpty of hasEmpty ? [false, true] : [false]) {
    for (const kept of Object.keys(KEPT) as Kept[]) {
      for (const space of ["%20", "+"] as const) {
        for (const lowerHex of [false, true]) styles.push({ kept, space, lowerHex, bareEmpty });
      }
    }
  }
  return styles;
}

function encodePairs(pairs: [string, string][], style: Style): string {
  return pairs
    .map(([name, value]) => (value === "" && style.bareEmpty ? escape(name, style, true) : `${escape(name, style, true)}=${escape(value, style, false)}`))
    .join("&");
}

function escape(text: string, style: Style, isName: boolean): string {
  const kept = KEPT[style.kept];
  let out = "";
  for (const ch of text) {
    if (kept.test(ch) || (ch === "=" && !isName && style.kept === "typed")) out += ch;
    else if (ch === " ") out += style.space;
    else {
      const escaped = encodeURIComponent(ch).replace(/^[!'()*~]$/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      out += style.lowerHex ? escaped.toLowerCase() : escaped;
    }
  }
  return out;
}
