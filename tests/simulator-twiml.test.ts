import { suite } from "uvu";
import * as assert from "uvu/assert";
import { childElements, parseXml, textContent, XmlSyntaxError } from "../local/simulator/twiml";

const wellFormed = suite("parseXml: well-formed TwiML");

wellFormed("reads elements, attributes and text in document order", () => {
  const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Say voice="Polly.Mizuki" language='ja-JP'>こんにちは</Say>\n  <Pause length="2"/>\n</Response>\n`);
  assert.is(root.name, "Response");
  const [say, pause] = childElements(root);
  assert.equal(say, { name: "Say", attributes: { voice: "Polly.Mizuki", language: "ja-JP" }, children: ["こんにちは"] }, "Say keeps both attributes and its text");
  assert.equal(pause, { name: "Pause", attributes: { length: "2" }, children: [] }, "an empty-element tag has no children");
});

wellFormed("decodes the predefined entities and decimal and hex character references", () => {
  const root = parseXml(`<Response><Say a="&quot;&apos;&lt;&gt;&amp;">&#26085;&#x672C; &#x1F600; &amp;amp;</Say></Response>`);
  const say = childElements(root)[0];
  assert.is(say.attributes.a, `"'<>&`, "entities decode inside attribute values");
  assert.is(textContent(say), "日本 😀 &amp;", "character references decode, astral ones included, and &amp;amp; decodes once");
});

wellFormed("keeps CDATA literally and drops comments and processing instructions", () => {
  const root = parseXml(`<!-- before --><Response><Say><![CDATA[<b>&amp;</b>]]> and <!-- inside -->more</Say><?app hint?></Response><!-- after -->`);
  assert.is(textContent(root), "<b>&amp;</b> and more", "CDATA is not parsed and comments leave no text");
});

wellFormed("normalises line ends and literal whitespace in attribute values", () => {
  const root = parseXml(`<Response>\r\n<Say a="x\ty\r\nz">l1\r\nl2\rl3</Say></Response>`);
  const say = childElements(root)[0];
  assert.is(say.attributes.a, "x y z", "tabs and newlines in attribute values become spaces");
  assert.is(textContent(say), "l1\nl2\nl3", "CRLF and CR become LF in text");
});

wellFormed("accepts a byte order mark and flattens nested SSML into the spoken text", () => {
  const root = parseXml(`\uFEFF<Response><Say>Hello <break time="1s"/><emphasis>world</emphasis></Say></Response>`);
  assert.is(textContent(root), "Hello world");
});

wellFormed.run();

const malformed = suite("parseXml: malformed documents are errors with a position");

const cases: Array<[string, string, string]> = [
  ["mismatched end tag", "<Response><Say>hi</Sya></Response>", "The end tag </Sya> does not match <Say> at line 1, column 18."],
  ["unclosed element", "<Response>\n<Say>hi", "The element <Say> is not closed at line 2, column 8."],
  ["undefined entity", "<Response><Say>&nbsp;</Say></Response>", "The entity &nbsp; is not defined at line 1, column 16."],
  ["bare ampersand", "<Response><Say>A & B</Say></Response>", '"&" must start an entity or character reference such as &amp; at line 1, column 18.'],
  ["duplicate attribute", '<Response><Say a="1" a="2"/></Response>', 'The attribute "a" appears twice on <Say> at line 1, column 22.'],
  ["unquoted attribute", "<Response><Say a=1/></Response>", 'The value of "a" must be quoted at line 1, column 18.'],
  ["two roots", "<Response/><Response/>", "Only one root element is allowed at line 1, column 12."],
  ["text after the root", "<Response/>junk", "Text is not allowed after the root element at line 1, column 12."],
  ["no root", "<?xml version=\"1.0\"?>  ", "The document has no root element at line 1, column 24."],
  ["double dash in a comment", "<Response><!-- a -- b --></Response>", '"--" is not allowed inside a comment at line 1, column 18.'],
  ["DOCTYPE", "<!DOCTYPE x><Response/>", "A DOCTYPE is not allowed in TwiML at line 1, column 1."],
  ["invalid character reference", "<Response><Say>&#0;</Say></Response>", "The character reference &#0; is not a valid XML character at line 1, column 16."],
  ["late XML declaration", '<Response><?xml version="1.0"?></Response>', "The XML declaration is only allowed at the very start at line 1, column 16."],
  ["control character", "<Response>\u0001</Response>", "Character U+0001 is not allowed in XML at line 1, column 11."],
  ["unclosed CDATA", "<Response><![CDATA[x</Response>", "The CDATA section is not closed at line 1, column 11."],
];

for (const [name, source, message] of cases) {
  malformed(name, () => {
    try {
      parseXml(source);
    } catch (err) {
      assert.instance(err, XmlSyntaxError, "a malformed document raises XmlSyntaxError");
      assert.is((err as Error).message, message);
      return;
    }
    assert.unreachable(`${name} must be rejected`);
  });
}

malformed.run();
