// Java semantics that API Gateway's templates and selection patterns rely on: java.util.regex
// patterns run on JavaScript's RegExp (local/java-regex.ts), String.split/replaceAll/matches,
// URLEncoder/URLDecoder, escapeJavaScript and trim.
import { javaPattern } from "./java-regex";

/** String.matches: the pattern must match the whole text. */
export function javaMatches(text: string, pattern: string): boolean {
  const compiled = javaPattern(pattern);
  compiled.check(text, false);
  return compiled.whole.test(text);
}

/** String.replaceAll / replaceFirst, with Java's replacement syntax ($n, ${name}, backslash escapes). */
export function javaReplace(text: string, pattern: string, replacement: string, all = true): string {
  const compiled = javaPattern(pattern);
  compiled.check(text, true);
  // Java hands back the text itself when nothing matches; most header values hold no \'.
  if (compiled.literal !== undefined && !text.includes(compiled.literal)) return text;
  return text.replace(all ? compiled.all : compiled.first, (...args: unknown[]) => {
    const named = typeof args[args.length - 1] === "object" ? (args[args.length - 1] as Record<string, string>) : undefined;
    const found = args.slice(0, named ? -3 : -2) as (string | undefined)[];
    const groups = [found[0], ...compiled.groups.map((n) => found[n])];
    return expandReplacement(replacement, groups, named, pattern);
  });
}

function expandReplacement(
  replacement: string,
  groups: (string | undefined)[],
  named: Record<string, string> | undefined,
  pattern: string,
): string {
  let out = "";
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === "\\") {
      if (i + 1 >= replacement.length) throw new Error("character to be escaped is missing");
      out += replacement[++i];
    } else if (c === "$") {
      const brace = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(replacement.slice(i + 1));
      if (brace) {
        if (!named || !(brace[1] in named)) throw new Error(`No group with name {${brace[1]}} in ${pattern}`);
        out += named[brace[1]] ?? "";
        i += brace[0].length;
        continue;
      }
      // Java reads digits while they still name an existing group.
      let digits = replacement[i + 1] ?? "";
      if (!/^[0-9]$/.test(digits)) throw new Error("Illegal group reference");
      let number = Number(digits);
      if (number >= groups.length) throw new Error(`No group ${number}`);
      i++;
      while (/[0-9]/.test(replacement[i + 1] ?? "") && Number(digits + replacement[i + 1]) < groups.length) {
        digits += replacement[++i];
        number = Number(digits);
      }
      out += groups[number] ?? "";
    } else {
      out += c;
    }
  }
  return out;
}

/** String.split(regex, limit): no leading empty piece for a zero-width match, trailing empties dropped when limit is 0. */
export function javaSplit(text: string, pattern: string, limit = 0): string[] {
  const pieces: string[] = [];
  let start = 0;
  const compiled = javaPattern(pattern);
  compiled.check(text, true);
  const regex = compiled.all;
  // A replacement that threw midway leaves lastIndex where it stopped; matchAll would start there.
  regex.lastIndex = 0;
  for (const match of text.matchAll(regex)) {
    if (limit > 0 && pieces.length === limit - 1) break;
    const at = match.index ?? 0;
    if (at === 0 && match[0].length === 0) continue;
    pieces.push(text.slice(start, at));
    start = at + match[0].length;
  }
  if (pieces.length === 0) return [text];
  pieces.push(text.slice(start));
  if (limit === 0) while (pieces.length > 0 && pieces[pieces.length - 1] === "") pieces.pop();
  return pieces;
}

/** java.net.URLEncoder.encode(text, "UTF-8"): space becomes "+", only A-Za-z0-9 . - * _ stay as they are. */
export function javaUrlEncode(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** java.net.URLDecoder.decode(text, "UTF-8"): "+" is a space; a malformed escape throws as Java does. */
export function javaUrlDecode(text: string): string {
  const bytes: number[] = [];
  let out = "";
  const flush = () => {
    if (bytes.length) out += Buffer.from(bytes).toString("utf8");
    bytes.length = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "%") {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error(`URLDecoder: Illegal hex characters in escape (%) pattern at ${i}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      flush();
      out += c === "+" ? " " : c;
    }
  }
  flush();
  return out;
}

// Header names and values are mostly plain ASCII, which escapeJavaScript leaves as it is.
const NOTHING_TO_ESCAPE = /^[^\u0000-\u001f"'\\/\u0080-\uffff]*$/;

/**
 * Apache Commons Lang StringEscapeUtils.escapeJavaScript, which API Gateway's
 * $util.escapeJavaScript is: \' \" \\ \/ escaped, control characters as \b \t \n \f \r or \u00XX,
 * and every character above 0x7F as \uXXXX (upper-case hex, UTF-16 units, so emoji become two).
 */
export function escapeJavaScript(text: string): string {
  if (NOTHING_TO_ESCAPE.test(text)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const c = text[i];
    if (code > 0x7f) out += "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
    else if (code < 0x20) out += CONTROL_ESCAPES[c] ?? "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
    else if (c === "'" || c === '"' || c === "\\" || c === "/") out += "\\" + c;
    else out += c;
  }
  return out;
}

const CONTROL_ESCAPES: Record<string, string> = { "\b": "\\b", "\n": "\\n", "\t": "\\t", "\f": "\\f", "\r": "\\r" };

/** String.trim: strips code points up to U+0020 only (an ideographic space U+3000 stays). */
export function javaTrim(text: string): string {
  return text.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "");
}
