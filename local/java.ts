// Java semantics that API Gateway's templates and selection patterns rely on: java.util.regex
// patterns run on JavaScript's RegExp, String.split/replaceAll/matches, URLEncoder/URLDecoder.

const INLINE_FLAGS = /^\(\?([imsux]+)\)/;
const POSIX_CLASSES: Record<string, string> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: " \\t\\n\\x0B\\f\\r",
};
/** A pattern compiled once in the three forms its callers use. */
interface Compiled {
  /** Global, shared: replace() starts from lastIndex 0 itself, split() sets it first. */
  all: RegExp;
  first: RegExp;
  /** Anchored at both ends, for matches(). */
  whole: RegExp;
}
const compiled = new Map<string, Compiled>();

/**
 * A java.util.regex pattern on RegExp. Covers what differs in practice: leading inline
 * flags, \Q...\E quoting, \A \z \Z anchors, \h, POSIX classes, possessive quantifiers and atomic
 * groups (run as their greedy, backtracking equivalents). Throws on a pattern neither engine accepts.
 */
function javaRegExp(pattern: string): Compiled {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  let source = pattern;
  let flags = "";
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    for (const flag of inline[1]) if ("ims".includes(flag) && !flags.includes(flag)) flags += flag;
    source = source.slice(inline[0].length);
  }
  const translated = translate(source);
  const forms = {
    all: new RegExp(translated, flags + "g"),
    first: new RegExp(translated, flags),
    whole: new RegExp(`^(?:${translated})$`, flags.replace("m", "")),
  };
  compiled.set(pattern, forms);
  return forms;
}

function translate(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === "Q") {
        const end = pattern.indexOf("\\E", i + 2);
        const literal = pattern.slice(i + 2, end < 0 ? pattern.length : end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
        i = end < 0 ? pattern.length : end + 1;
      } else if (next === "p" || next === "P") {
        const posix = /^\{(?:Is)?(\w+)\}/.exec(pattern.slice(i + 2));
        const range = posix && POSIX_CLASSES[posix[1]];
        if (!posix || !range) throw new Error(`Unsupported character class in pattern ${pattern}.`);
        const negate = next === "P";
        out += inClass ? (negate ? "" : range) : `[${negate ? "^" : ""}${range}]`;
        i += 1 + posix[0].length;
      } else if (!inClass && next === "A") {
        out += "^";
        i++;
      } else if (!inClass && (next === "z" || next === "Z")) {
        out += next === "z" ? "$" : "(?=\\r?\\n?$)";
        i++;
      } else if (next === "h") {
        const horizontal = " \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000";
        out += inClass ? horizontal : `[${horizontal}]`;
        i++;
      } else {
        out += c + (next ?? "");
        i++;
      }
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
      if (pattern[i + 1] === "^") out += pattern[++i];
      if (pattern[i + 1] === "]") out += "\\" + pattern[++i];
    } else if (c === "+" && /[*+?}]$/.test(out) && !out.endsWith("\\+") && !out.endsWith("\\*")) {
      // Possessive quantifier: drop the "+".
    } else if (c === "(" && pattern.startsWith("(?>", i)) {
      out += "(?:";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

/** String.matches: the pattern must match the whole text. */
export function javaMatches(text: string, pattern: string): boolean {
  return javaRegExp(pattern).whole.test(text);
}

/** String.replaceAll / replaceFirst, with Java's replacement syntax ($n, ${name}, backslash escapes). */
export function javaReplace(text: string, pattern: string, replacement: string, all = true): string {
  const { all: every, first } = javaRegExp(pattern);
  return text.replace(all ? every : first, (...args: unknown[]) => {
    const named = typeof args[args.length - 1] === "object" ? (args[args.length - 1] as Record<string, string>) : undefined;
    const groups = args.slice(0, named ? -3 : -2) as (string | undefined)[];
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
  const regex = javaRegExp(pattern).all;
  // A replacement that threw midway leaves lastIndex where it stopped; matchAll would start there.
  regex.lastIndex = 0;
  for (const match of text.matchAll(regex)) {
    if (limit > 0 && pieces.length === limit - 1) break;
    const at = match.index ?? 0;
    if (at === 0 && match[0].length === 0) continue;
    if (at === text.length && match[0].length === 0 && start === text.length) continue;
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

/**
 * Apache Commons Lang StringEscapeUtils.escapeJavaScript, which API Gateway's
 * $util.escapeJavaScript is: \' \" \\ \/ escaped, control characters as \b \t \n \f \r or \u00XX,
 * and every character above 0x7F as \uXXXX (upper-case hex, UTF-16 units, so emoji become two).
 */
export function escapeJavaScript(text: string): string {
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
