// Twilio's webhook parameters, decoded from a form body or a query string.
import { isUtf8 } from "node:buffer";
import { HttpError } from "./http-error";

/** A parameter Twilio sent once is a string; one it repeated (e.g. several MediaUrl) is an array. */
export type Params = Record<string, string | string[]>;

const NOT_UTF8 = "The request body is not valid UTF-8.";

/** Decodes application/x-www-form-urlencoded bytes strictly: `+` is a space, `%XX` a byte, all UTF-8. */
export function parseForm(body: Uint8Array): Params {
  const text = decodeUtf8(body, NOT_UTF8);
  // API Gateway hands a text body over as UTF-8 with U+FFFD in place of any invalid byte; a form
  // escapes every non-ASCII character, so a raw U+FFFD means bytes were lost on the way.
  if (text.includes("\uFFFD")) throw new HttpError(400, NOT_UTF8);
  const params: Params = Object.create(null);
  if (text === "") return params;
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeComponent(pair.slice(eq + 1));
    addParam(params, name, value);
  }
  return params;
}

/** Query parameters as API Gateway hands them over: already decoded, one value per name. */
export function fromQuery(query: Record<string, string>): Params {
  const params: Params = Object.create(null);
  for (const [name, value] of Object.entries(query)) params[name] = value;
  return params;
}

function addParam(params: Params, name: string, value: string): void {
  const existing = params[name];
  if (existing === undefined) params[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else params[name] = [existing, value];
}

function decodeComponent(raw: string): string {
  const plusAsSpace = raw.replace(/\+/g, " ");
  if (!plusAsSpace.includes("%")) return plusAsSpace;
  // The native decoder accepts exactly the well-formed UTF-8 escapes; the loop below runs only
  // to name what is wrong with the rest.
  try {
    return decodeURIComponent(plusAsSpace);
  } catch {
    return decodeStrictly(plusAsSpace);
  }
}

function decodeStrictly(plusAsSpace: string): string {
  const bytes: number[] = [];
  const chunks: string[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    chunks.push(decodeUtf8(Uint8Array.from(bytes), "A percent-encoded value is not valid UTF-8."));
    bytes.length = 0;
  };
  for (let i = 0; i < plusAsSpace.length; i++) {
    const ch = plusAsSpace[i];
    if (ch !== "%") {
      flush();
      chunks.push(ch);
      continue;
    }
    const hex = plusAsSpace.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
      throw new HttpError(400, `The request body has an invalid percent-encoding near "${plusAsSpace.slice(i, i + 3)}".`);
    }
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  flush();
  return chunks.join("");
}

/** Strict UTF-8, a byte order mark kept as U+FEFF. isUtf8 rather than a fatal TextDecoder, whose converter costs a cold start 0.1 ms. */
function decodeUtf8(bytes: Uint8Array, problem: string): string {
  if (!isUtf8(bytes)) throw new HttpError(400, problem);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** Encodes parameters the way Twilio's clients do for a query string or body: spaces as `+`. */
export function encodeForm(params: Params): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      parts.push(`${formEscape(name)}=${formEscape(one)}`);
    }
  }
  return parts.join("&");
}

function formEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, "+");
}
