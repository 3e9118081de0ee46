import { suite } from "uvu";
import * as assert from "uvu/assert";
import { escapeJavaScript, javaMatches, javaReplace, javaSplit, javaTrim, javaUrlDecode, javaUrlEncode } from "../local/java";
import { javaPattern } from "../local/java-regex";

const regex = suite("Java regular expressions");

regex("matches() needs the whole text, and . stops at a line break as in Java", () => {
  assert.ok(javaMatches("Bad request", "Bad.*"));
  assert.not.ok(javaMatches("A Bad request", "Bad.*"), "a match inside the text is not enough");
  assert.not.ok(javaMatches("line one\nline two", ".+"), ". does not cross a newline");
  assert.ok(javaMatches("line one\nline two", "(.|\\n)+"));
  assert.ok(javaMatches("line one\nline two", "(?s).+"), "(?s) makes . match newlines");
});

regex("understands \\Q...\\E quoting, POSIX classes, \\A/\\z anchors and possessive quantifiers", () => {
  assert.ok(javaMatches("a.b*c", "\\Qa.b*c\\E"));
  assert.not.ok(javaMatches("axbbc", "\\Qa.b*c\\E"));
  assert.ok(javaMatches("abc123", "\\p{Alpha}++\\p{Digit}*+"));
  assert.ok(javaMatches("x", "\\Ax\\z"));
  assert.ok(javaMatches("AbC", "(?i)abc"));
});

regex("replaceAll uses Java's replacement syntax: $n groups and backslash escapes", () => {
  assert.is(javaReplace("2024-01-31", "(\\d+)-(\\d+)-(\\d+)", "$3/$2/$1"), "31/01/2024");
  assert.is(javaReplace("price", "price", "\\$5"), "$5", "\\$ is a literal dollar");
  assert.is(javaReplace("ab", "(a)(b)", "$11"), "a1", "Java reads $11 as group 1 then a literal 1 when there is no group 11");
  assert.throws(() => javaReplace("a", "a", "$x"), /Illegal group reference/);
  assert.is(javaReplace("aaa", "a", "b", false), "baa", "replaceFirst replaces once");
});

regex("the escapeJavaScript quote idiom: the Velocity literal \\\\' is a regex for backslash-quote", () => {
  const pattern = "\\\\'"; // the three characters \ \ ' as Velocity reads "\\'"
  assert.is(pattern.length, 3);
  assert.is(javaReplace("it\\'s", pattern, "'"), "it's");
  assert.is(javaReplace("a\\\\\\'b", pattern, "'"), "a\\\\'b", "an escaped backslash before the quote stays escaped");
});

regex("a pattern of plain text names its text, and replaceAll hands back the very text that holds none of it", () => {
  assert.equal(["\\\\'", "a\\.b", "\\Qa.b\\E", "a.b", "(?i)ab", "a+", "[ab]", ""].map((p) => javaPattern(p).literal), ["\\'", "a.b", "a.b", undefined, undefined, undefined, undefined, undefined]);
  const text = "no quote here";
  assert.is(javaReplace(text, "\\\\'", "'"), text);
  assert.is(javaReplace("a.b a-b", "a\\.b", "x"), "x a-b", "the literal's text is replaced where it occurs");
});

regex.run();

const split = suite("String.split");

split("drops trailing empty strings and keeps inner ones", () => {
  assert.equal(javaSplit("a,b,,c,,", ","), ["a", "b", "", "c"]);
  assert.equal(javaSplit("", ","), [""], "an empty string splits into one empty string");
  assert.equal(javaSplit("a,b,c", ",", 2), ["a", "b,c"], "a positive limit caps the pieces");
  assert.equal(javaSplit("a,,", ",", -1), ["a", "", ""], "a negative limit keeps trailing empties");
});

split("splits on a regular expression, with no leading empty piece for a zero-width match", () => {
  assert.equal(javaSplit("a1b22c", "\\d+"), ["a", "b", "c"]);
  assert.equal(javaSplit("abc", ""), ["a", "b", "c"]);
  assert.equal(javaSplit("a.b", "."), [], "\".\" is a regex matching everything, as in Java");
  assert.equal(javaSplit(",a", ","), ["", "a"], "a real leading separator gives a leading empty piece");
});

split.run();

const url = suite("URLEncoder and URLDecoder");

url("encode: space as +, only A-Za-z0-9 . - * _ kept, UTF-8 bytes in upper-case hex", () => {
  assert.is(javaUrlEncode("a b&c=d/~'\"\\"), "a+b%26c%3Dd%2F%7E%27%22%5C");
  assert.is(javaUrlEncode("日本😀"), "%E6%97%A5%E6%9C%AC%F0%9F%98%80");
  assert.is(javaUrlEncode("._-*"), "._-*");
});

url("decode: + is a space, escapes are UTF-8, a malformed escape throws", () => {
  assert.is(javaUrlDecode("a+b%20c%E6%97%A5%F0%9F%98%80"), "a b c日😀");
  assert.is(javaUrlDecode("%27%22%5C"), "'\"\\");
  assert.throws(() => javaUrlDecode("100%"), /Illegal hex/);
});

url.run();

const escape = suite("escapeJavaScript and trim");

escape("escapes quotes, backslash and slash, control characters, and everything above 0x7F as \\uXXXX", () => {
  assert.is(escapeJavaScript(`it's "x" \\ /`), `it\\'s \\"x\\" \\\\ \\/`);
  assert.is(escapeJavaScript("a\nb\tc\r\u0001"), "a\\nb\\tc\\r\\u0001");
  assert.is(escapeJavaScript("日😀"), "\\u65E5\\uD83D\\uDE00");
});

escape("trim strips only code points up to U+0020, as Java's String.trim", () => {
  assert.is(javaTrim("\t x \n"), "x");
  assert.is(javaTrim("\u3000x\u3000"), "\u3000x\u3000", "an ideographic space is not trimmed");
});

escape.run();
