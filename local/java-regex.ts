// java.util.regex patterns translated to JavaScript RegExps without the "u" flag, so that they run
// on UTF-16 code units as Java's own String methods hand them over. What Java reads differently is
// spelled out: \s \h \v and their negations are ASCII or Java's lists, "." and negated classes
// take a surrogate pair as one code point, ^ $ \Z and "." know Java's line terminators, \b uses
// Java's letters and digits, possessive quantifiers and atomic groups never give back. What has
// no exact translation is refused in one sentence. tests/local-java-golden.test.ts holds it to Java.

/** A pattern compiled once in the forms its callers use. */
export interface JavaPattern {
  /** Global, shared: replace() starts from lastIndex 0 itself, split() sets it first. */
  all: RegExp;
  first: RegExp;
  /** Anchored at both ends, for matches(). */
  whole: RegExp;
  /** The RegExp group number of Java's group 1, 2, ... (atomic groups add groups of their own). */
  groups: number[];
  /** The one text the pattern matches, when it is plain text (no class, quantifier, group, anchor or flag). */
  literal?: string;
  /** Throws when this pattern cannot be run exactly on this text (scanning: replace or split, not matches). */
  check(text: string, scanning: boolean): void;
}

const PAIR = "[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]";
// A RegExp source of plain characters and escaped punctuation only (a letter or digit escape is a class or a backreference).
const PLAIN = /^(?:[^\\^$.|?*+()[\]{}]|\\[^a-zA-Z0-9])+$/;
const MID_PAIR = "(?<=[\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]";
/** A single code unit that does not start a surrogate pair: Java never splits one that way. */
const UNIT = `(?!${PAIR})`;
const TERMINATORS = "\\n\\r\\u0085\\u2028\\u2029";
const END = "(?![\\s\\S])";
const NOT_INSIDE_CRLF = "(?!(?<=\\r)\\n)";
/** Class contents, and the contents of their complement (for use inside another class). */
const SETS: Record<string, [string, string]> = {
  s: [" \\t\\n\\x0B\\f\\r", "\\x00-\\x08\\x0E-\\x1F!-\\uFFFF"],
  h: [" \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000", "\\x00-\\x08\\n-\\x1F!-\\x9F\\xA1-\\u167F\\u1681-\\u180D\\u180F-\\u1FFF\\u200B-\\u202E\\u2030-\\u205E\\u2060-\\u2FFF\\u3001-\\uFFFF"],
  v: ["\\n-\\r\\x85\\u2028\\u2029", "\\x00-\\x09\\x0E-\\x84\\x86-\\u2027\\u202A-\\uFFFF"],
  d: ["0-9", "\\x00-/:-\\uFFFF"],
  w: ["a-zA-Z0-9_", "\\x00-/:-@\\[-\\^`{-\\uFFFF"],
};
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
/** Escapes both engines read alike (\\1.. and \\k<name> are handled as groups). */
const SAME_ESCAPES = new Set([..."tnrfdwDW0123456789uxc"]);
const SURROGATE_PAIR = new RegExp(PAIR);
const ASTRAL_WORD = /(?=[\p{L}\p{Nd}\p{Mn}])[\u{10000}-\u{10FFFF}]/u;
const cache = new Map<string, JavaPattern>();

class Refusal extends Error {}

type Group = { number: number };
type Token = string | { open: Group } | { backref: Group };

export function javaPattern(pattern: string): JavaPattern {
  let found = cache.get(pattern);
  if (!found) {
    found = compile(pattern);
    cache.set(pattern, found);
  }
  return found;
}

function compile(pattern: string): JavaPattern {
  const refuse = (what: string): never => {
    throw new Refusal(`local/java.ts cannot translate ${what} in the Java pattern ${JSON.stringify(pattern)}, so it refuses to run it.`);
  };
  let i = 0;
  const flags = new Set<string>();
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (inline) {
    for (const flag of inline[1]) {
      if (!"imsu".includes(flag)) refuse(`the inline flag (?${flag})`);
      flags.add(flag);
    }
    i = inline[0].length;
  }
  if (flags.has("i") && !flags.has("u") && /[^\x00-\x7f]/.test(pattern)) refuse("ASCII-only case-insensitive matching of a non-ASCII character");

  const tokens: Token[] = [];
  const javaGroups: Group[] = [];
  // Java and RegExp part ways on a repeated group that can match nothing ((a|)*, (x*)+): such a
  // repetition is refused. Each level tracks whether its alternatives can match the empty string.
  type Level = { start: number; atomic?: Group; capture?: Group; branchEmpty: boolean; anyEmpty: boolean };
  const open: Level[] = [];
  const top: Level = { start: 0, branchEmpty: true, anyEmpty: false };
  const level = () => open[open.length - 1] ?? top;
  let lastAtom = 0;
  /** Whether the last atom, with its quantifier, can match nothing; and whether it is a group that can. */
  let lastEmpty = true;
  let lastGroupEmpty = false;
  const settle = (empty: boolean, groupEmpty = false) => {
    level().branchEmpty &&= lastEmpty;
    lastEmpty = empty;
    lastGroupEmpty = groupEmpty;
  };
  let usesWordBoundary = false;
  let consumes = false;
  const atom = (...parts: Token[]) => {
    consumes = true;
    settle(false);
    lastAtom = tokens.length;
    tokens.push(...parts);
  };
  // A complemented class takes a pair whole and never its low half alone; "." in Java does.
  const either = (bmp: string) => atom(`(?:${PAIR}|${UNIT}(?!${MID_PAIR})${bmp})`);

  for (; i < pattern.length; i++) {
    const c = pattern[i];
    const code = pattern.charCodeAt(i);
    if (c === "\\") {
      const next = pattern[++i];
      if (next === undefined) refuse("a trailing backslash");
      const lower = next.toLowerCase();
      if (next === "Q") {
        const end = pattern.indexOf("\\E", i + 1);
        const literal = pattern.slice(i + 1, end < 0 ? pattern.length : end);
        for (const ch of literal) atom(ch.length > 1 ? `(?:${ch})` : ch.replace(/[\\^$.*+?()[\]{}|/-]/, "\\$&"));
        i = end < 0 ? pattern.length : end + 1;
      } else if (lower in SETS && next !== "w" && next !== "d") {
        if (next === lower) atom(`[${SETS[lower][0]}]`);
        else either(`[${SETS[lower][1]}]`);
      } else if (next === "W" || next === "D") {
        either(`\\${next}`);
      } else if (next === "p" || next === "P") {
        const posix = /^\{(?:Is)?(\w+)\}/.exec(pattern.slice(i + 1));
        const range = posix && POSIX_CLASSES[posix[1]];
        if (!range) refuse(`the Unicode class \\${next}${posix?.[0] ?? ""}`);
        if (next === "p") atom(`[${range}]`);
        else either(`[^${range}]`);
        i += posix![0].length;
      } else if (next === "b" || next === "B") {
        usesWordBoundary = true;
        const w = wordClass();
        tokens.push(next === "b" ? `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))` : `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`);
      } else if (next === "A") {
        tokens.push("^");
      } else if (next === "z") {
        tokens.push(END);
      } else if (next === "Z") {
        tokens.push(`(?=(?:\\r\\n|[${TERMINATORS}])?${END})${NOT_INSIDE_CRLF}`);
      } else if (next === "a" || next === "e") {
        atom(next === "a" ? "\\x07" : "\\x1B");
      } else if (next === "k") {
        const name = /^<([A-Za-z][A-Za-z0-9]*)>/.exec(pattern.slice(i + 1));
        if (!name) refuse("a \\k without a group name");
        atom(`\\k${name![0]}`);
        i += name![0].length;
      } else if (/[1-9]/.test(next)) {
        let digits = next;
        while (/[0-9]/.test(pattern[i + 1] ?? "") && Number(digits + pattern[i + 1]) <= javaGroups.length) digits += pattern[++i];
        const group = javaGroups[Number(digits) - 1];
        if (!group) refuse(`the reference \\${digits} to a group not yet opened`);
        atom("(?:", { backref: group }, ")");
      } else if (next === "0") {
        const octal = /^[0-3]?[0-7]{1,2}/.exec(pattern.slice(i + 1));
        if (!octal) refuse("\\0 without octal digits");
        atom(`\\x${parseInt(octal![0], 8).toString(16).padStart(2, "0")}`);
        i += octal![0].length;
      } else if (next === "x" && pattern[i + 1] === "{") {
        refuse("the code point escape \\x{...}");
      } else if (SAME_ESCAPES.has(next) || !/[a-zA-Z]/.test(next)) {
        atom("\\" + next);
      } else {
        refuse(`the escape \\${next}`);
      }
    } else if (c === "[") {
      const end = readClass(pattern, i, refuse);
      const body = pattern.slice(i + 1, end);
      const negated = body.startsWith("^");
      const { text, hasNegatedSet } = translateClass(negated ? body.slice(1) : body, refuse);
      // A class that holds every code point beyond U+FFFF must take a surrogate pair whole.
      if (negated !== hasNegatedSet) either(`[${negated ? "^" : ""}${text}]`);
      else atom(`[${negated ? "^" : ""}${text}]`);
      i = end;
    } else if (c === "(") {
      settle(true);
      const group: Level = { start: tokens.length, branchEmpty: true, anyEmpty: false };
      if (pattern.startsWith("(?>", i)) {
        // (?>X) is (?:(?=(X))\N): the lookahead takes what X matches once, the backreference consumes it.
        group.atomic = { number: 0 };
        tokens.push("(?:(?=", { open: group.atomic });
        i += 2;
      } else if (pattern[i + 1] !== "?" || /^\(\?<[A-Za-z]/.test(pattern.slice(i))) {
        group.capture = { number: 0 };
        javaGroups.push(group.capture);
        const name = /^\?<[A-Za-z][A-Za-z0-9]*>/.exec(pattern.slice(i + 1))?.[0] ?? "";
        tokens.push({ open: group.capture }, name);
        i += name.length;
      } else {
        const kind = /^\(\?(?::|=|!|<=|<!)/.exec(pattern.slice(i));
        if (!kind) refuse("an inline flag or flag group after the start");
        tokens.push(kind![0]);
        i += kind![0].length - 1;
      }
      open.push(group);
      lastEmpty = true;
    } else if (c === ")") {
      const group = open.pop();
      if (!group) refuse("an unmatched )");
      group!.branchEmpty &&= lastEmpty;
      lastEmpty = true;
      if (group!.atomic) tokens.push("))", { backref: group!.atomic }, ")");
      else tokens.push(")");
      lastAtom = group!.start;
      const empty = group!.anyEmpty || group!.branchEmpty;
      settle(empty, empty);
    } else if (c === "|") {
      settle(true);
      level().anyEmpty ||= level().branchEmpty;
      level().branchEmpty = true;
      tokens.push("|");
    } else if (c === "+" && /^(?:[*+?]|\{[0-9,]+\})$/.test(lastQuantifier(tokens))) {
      // Possessive: the quantified atom as an atomic group.
      const wrapper = { number: 0 };
      tokens.splice(lastAtom, 0, "(?:(?=", { open: wrapper });
      tokens.push("))", { backref: wrapper }, ")");
    } else if (c === ".") {
      atom(`(?:${PAIR}|${UNIT}${flags.has("s") ? "[\\s\\S]" : `[^${TERMINATORS}]`})`);
    } else if (c === "^") {
      tokens.push(flags.has("m") ? `(?:^|(?<=[\\n\\u0085\\u2028\\u2029])|(?<=\\r)(?!\\n))(?=[\\s\\S])` : "^");
    } else if (c === "$") {
      tokens.push(
        flags.has("m") ? `(?=[${TERMINATORS}]|${END})${NOT_INSIDE_CRLF}` : `(?=(?:\\r\\n|[${TERMINATORS}])?${END})${NOT_INSIDE_CRLF}`,
      );
    } else if (code >= 0xd800 && code <= 0xdbff && /[\uDC00-\uDFFF]/.test(pattern[i + 1] ?? "")) {
      atom(`(?:${c}${pattern[++i]})`);
    } else if ("*+?{".includes(c)) {
      const quantifier = c === "{" ? /^\{[0-9,]+\}/.exec(pattern.slice(i))?.[0] ?? c : c;
      const written = quantifier + (pattern[i + quantifier.length] === "?" ? "?" : "");
      const bounds = /^\{(\d*)(,?)(\d*)\}$/.exec(quantifier);
      if (lastGroupEmpty && (c === "*" || c === "+" || (bounds && (bounds[2] === "," ? bounds[3] !== "1" : Number(bounds[1]) > 1)))) {
        refuse("a repeated group that can match the empty string");
      }
      if (c === "*" || c === "?" || bounds?.[1] === "0") lastEmpty = true;
      tokens.push(written);
      i += written.length - 1;
    } else {
      atom(c);
    }
  }
  if (open.length > 0) refuse("an unclosed (");

  // Number the RegExp's groups in the order they open, then write the backreferences.
  let count = 0;
  for (const token of tokens) if (typeof token === "object" && "open" in token) token.open.number = ++count;
  const source = tokens.map((t) => (typeof t === "string" ? t : "open" in t ? "(" : `\\${t.backref.number}`)).join("");
  settle(true);
  const matchesEmpty = top.anyEmpty || top.branchEmpty;
  const jsFlags = flags.has("i") ? "i" : "";
  return {
    literal: flags.size === 0 && PLAIN.test(source) ? source.replace(/\\(.)/g, "$1") : undefined,
    all: new RegExp(source, jsFlags + "g"),
    first: new RegExp(source, jsFlags),
    whole: new RegExp(`^(?:${source})${END}`, jsFlags),
    groups: javaGroups.map((g) => g.number),
    check(text, scanning) {
      if (usesWordBoundary && ASTRAL_WORD.test(text)) refuse("\\b next to a letter beyond U+FFFF");
      // After an empty match Java resumes between the halves of a pair, where a class may back
      // off over the whole pair, behind the search's start: RegExp cannot follow it there.
      if (scanning && matchesEmpty && consumes && SURROGATE_PAIR.test(text)) refuse("an empty match over text with characters beyond U+FFFF");
    },
  };
}

function lastQuantifier(tokens: Token[]): string {
  const last = tokens[tokens.length - 1];
  return typeof last === "string" ? last : "";
}

/** The index of the "]" that closes the class opening at `start`. */
function readClass(pattern: string, start: number, refuse: (what: string) => never): number {
  let i = start + 1;
  if (pattern[i] === "^") i++;
  if (pattern[i] === "]") i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "[") refuse("a class inside a class (Java's union)");
    else if (pattern[i] === "&" && pattern[i + 1] === "&") refuse("a class intersection (&&)");
    else if (pattern[i] === "]") return i;
  }
  return refuse("an unclosed [");
}

function translateClass(body: string, refuse: (what: string) => never): { text: string; hasNegatedSet: boolean } {
  let text = "";
  let hasNegatedSet = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    const code = body.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) refuse("a character beyond U+FFFF inside a class");
    if (i === 0 && c === "]") {
      text += "\\]";
    } else if (c !== "\\") {
      text += c;
    } else {
      const next = body[++i];
      const lower = next.toLowerCase();
      if (lower in SETS) {
        hasNegatedSet ||= next !== lower;
        text += SETS[lower][next === lower ? 0 : 1];
      } else if (next === "p") {
        const posix = /^\{(?:Is)?(\w+)\}/.exec(body.slice(i + 1));
        const range = posix && POSIX_CLASSES[posix[1]];
        if (!range) refuse(`the Unicode class \\p${posix?.[0] ?? ""}`);
        text += range;
        i += posix![0].length;
      } else if (next === "Q") {
        const end = body.indexOf("\\E", i + 1);
        text += body.slice(i + 1, end < 0 ? body.length : end).replace(/[\\\]^-]/g, "\\$&");
        i = end < 0 ? body.length : end + 1;
      } else if (SAME_ESCAPES.has(next) || !/[a-zA-Z]/.test(next)) {
        text += "\\" + next;
      } else {
        refuse(`the escape \\${next} inside a class`);
      }
    }
  }
  return { text, hasNegatedSet };
}

let words: string | undefined;

/** Java 17's word characters for \b (Character.isLetterOrDigit, "_", combining marks), in the BMP. */
function wordClass(): string {
  if (words) return words;
  const isWord = /[\p{L}\p{Nd}\p{Mn}_]/u;
  let ranges = "";
  let from = -1;
  for (let code = 0; code <= 0x10000; code++) {
    const inside = code < 0xd800 || (code > 0xdfff && code < 0x10000) ? isWord.test(String.fromCharCode(code)) : false;
    if (inside && from < 0) from = code;
    if (!inside && from >= 0) {
      const hex = (n: number) => "\\u" + n.toString(16).padStart(4, "0");
      ranges += from === code - 1 ? hex(from) : hex(from) + "-" + hex(code - 1);
      from = -1;
    }
  }
  words = `[${ranges}]`;
  return words;
}
