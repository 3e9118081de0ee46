// Query strings rebuilt from decoded parameters. API Gateway's REST API hands a function only the
// decoded query, yet Twilio signs the URL byte for byte as it was written, so the runtime tries
// each encoding (and order) a URL is commonly written in. Every candidate decodes back to exactly
// the same names and values: an extra candidate can never make a changed parameter valid.

/**
 * How each encoder differs from encodeURIComponent, which leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) as
 * they are and percent-encodes every other character as UTF-8.
 */
const KEPT = {
  /** RFC 3986 unreserved only: urlFor (the canonical form), Python's urlencode, Go's QueryEscape. */
  rfc3986: (escaped: string) => escaped.replace(/[!'()*]/g, hex),
  /** WHATWG form encoding (* kept, ~ escaped): URLSearchParams, Java's URLEncoder, Twilio's own parameters. */
  whatwg: (escaped: string) => escaped.replace(/[!'()~]/g, hex),
  /** encodeURIComponent and Node's querystring. */
  ecmascript: (escaped: string) => escaped,
  /** A URL typed by hand: what RFC 3986 allows raw in a query (= too, inside a value). */
  typed: (escaped: string, isName: boolean) => escaped.replace(isName ? /%(24|2C|3B|3A|40|2F|3F)/g : /%(24|2C|3B|3A|40|2F|3F|3D)/g, (_, code: string) => String.fromCharCode(parseInt(code, 16))),
};

const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

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
export const MAX_QUERY_CANDIDATES = 128;

const CANONICAL: Style = { kept: "rfc3986", space: "%20", lowerHex: false, bareEmpty: false };
const TWILIO_APPENDED: Style = { kept: "whatwg", space: "+", lowerHex: false, bareEmpty: false };

/** Twilio's own parameters are capitalised (CallSid, From); a GET carries them after the configured query. */
const isTwilioName = (name: string) => /^[A-Z]/.test(name);

/**
 * The canonical query string: names sorted (by UTF-16 code unit, as Twilio sorts form fields),
 * everything but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~) percent-encoded as UTF-8
 * with upper-case hex, a space as %20, and "=" after every name. Sorted names make it independent
 * of the order in which API Gateway hands the query over; the runtime rebuilds this form first.
 */
export function canonicalQuery(query: Record<string, string>): string {
  return encodePairs(escapeAll(sortedPairs(query, false)), CANONICAL);
}

/**
 * The query strings that decode to `query`, at most MAX_QUERY_CANDIDATES, made one at a time so a
 * match stops the work. API Gateway promises no order for the query it hands over (an AWS
 * engineer in CodeGenieApp/serverless-express#23: the original order "is not currently possible"
 * to get), so the pairs are tried as received and sorted. Each style is applied to the whole
 * query; on a GET (`appended`), Twilio's parameters follow the configured ones in Twilio's own
 * encoding, so the configured part may differ from them. None when a value cannot be encoded.
 */
export function* queryCandidates(query: Record<string, string>, appended: boolean): Generator<string> {
  const seen = new Set<string>();
  const received = Object.entries(query);
  const sorted = sortedPairs(query, appended);
  const orders = sorted.every(([name], i) => name === received[i][0]) ? [received] : [received, sorted];
  const styles = allStyles(orders[0].some(([, value]) => value === ""));
  for (const pairs of orders) {
    let escaped: [string, string][];
    try {
      escaped = escapeAll(pairs);
    } catch {
      // A lone surrogate has no UTF-8 form: no URL decodes to it, so no signature can match.
      return;
    }
    const split = pairs.findIndex(([name]) => isTwilioName(name));
    const tail = appended && split > 0 ? `&${encodePairs(escaped.slice(split), TWILIO_APPENDED)}` : undefined;
    for (const style of styles) {
      for (const qs of [encodePairs(escaped, style), tail && encodePairs(escaped.slice(0, split), style) + tail]) {
        if (qs && !seen.has(qs)) {
          seen.add(qs);
          yield qs;
        }
      }
    }
  }
}

/** Names sorted; on a GET, the configured names first, then Twilio's. */
function sortedPairs(query: Record<string, string>, appended: boolean): [string, string][] {
  const rank = (name: string) => (appended && isTwilioName(name) ? 1 : 0);
  return Object.entries(query).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function escapeAll(pairs: [string, string][]): [string, string][] {
  return pairs.map(([name, value]) => [encodeURIComponent(name), encodeURIComponent(value)]);
}

/** Every style, the common ones first: the canonical form, then Twilio's and URLSearchParams'. */
function allStyles(hasEmpty: boolean): Style[] {
  const styles: Style[] = [CANONICAL, TWILIO_APPENDED];
  for (const bareEmpty of hasEmpty ? [false, true] : [false]) {
    for (const kept of Object.keys(KEPT) as Kept[]) {
      for (const space of ["%20", "+"] as const) {
        for (const lowerHex of [false, true]) styles.push({ kept, space, lowerHex, bareEmpty });
      }
    }
  }
  return styles;
}

/** Writes pairs already escaped by encodeURIComponent in a style. */
function encodePairs(escaped: [string, string][], style: Style): string {
  return escaped
    .map(([name, value]) => (value === "" && style.bareEmpty ? restyle(name, style, true) : `${restyle(name, style, true)}=${restyle(value, style, false)}`))
    .join("&");
}

function restyle(escaped: string, style: Style, isName: boolean): string {
  let out = KEPT[style.kept](escaped, isName);
  if (style.space === "+") out = out.replace(/%20/g, "+");
  return style.lowerHex ? out.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()) : out;
}
