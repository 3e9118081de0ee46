import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import xmlbuilder from "xmlbuilder";
import { create } from "../runtime/xml-builder";

// What twilio's TwiML constructor passes to xmlbuilder.create.
const TWILIO_OPTIONS = {
  stringify: {
    attValue(this: { attEscape?(text: string): string }, value: unknown) {
      if (Array.isArray(value)) value = value.join(" ");
      return this.attEscape?.("" + value || "") || "";
    },
  },
};

type Op =
  | { kind: "ele"; name: string; attributes: Record<string, unknown> | string | null | undefined; text: string | number | null | undefined; ops: Op[] }
  | { kind: "txt"; text: string | number }
  | { kind: "comment"; text: string };

/** Plays the same operations on either builder; returns the document or the error message. */
function play(builder: { create: typeof create }, ops: Op[], around: string[]): string {
  try {
    const root: any = builder.create("Response", TWILIO_OPTIONS as never).dec("1.0", "UTF-8");
    const apply = (node: any, list: Op[]) => {
      for (const op of list) {
        if (op.kind === "ele") apply(node.ele(op.name, op.attributes, op.text), op.ops);
        else if (op.kind === "txt") node.txt(op.text);
        else node.comment(op.text);
      }
    };
    apply(root, ops);
    if (around[0]) root.commentBefore(around[0]);
    if (around[1]) root.commentAfter(around[1]);
    return root.end();
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

const SEED = 20261129;
const text = fc.string({ unit: fc.oneof(fc.constantFrom("&", "<", ">", '"', "'", "\r", "\n", "\t", "-", "\f", "\u0000", "\uFFFE", "\uD800", "こ", "😀", "]]>"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })), maxLength: 12 });
const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(0), fc.constant(""));
const attributes = fc.oneof(
  fc.dictionary(fc.constantFrom("voice", "language", "action", "method", "numDigits", "timeout", "loop"), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.constant(null), fc.constant(undefined)), { maxKeys: 4 }),
  text,
  fc.constant(null),
  fc.constant(undefined),
);
const name = fc.constantFrom("Say", "Gather", "Play", "Redirect", "Hangup", "Message", "Body", "Media", "w", "prosody");
const ops: fc.Arbitrary<Op[]> = fc.letrec<{ ops: Op[] }>((tie) => ({
  ops: fc.array(
    fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.record({ kind: fc.constant("txt" as const), text: fc.oneof(text, fc.integer()) }),
      fc.record({ kind: fc.constant("comment" as const), text }),
      fc.record({ kind: fc.constant("ele" as const), name, attributes, text: fc.oneof(text, fc.integer(), fc.constant(null), fc.constant(undefined)), ops: tie("ops") as fc.Arbitrary<Op[]> }),
    ),
    { maxLength: 4 },
  ),
})).ops;

const same = suite("xml-builder writes what xmlbuilder writes");

same("the documents TwiML builds: declaration, nesting, attributes, text, empty elements", () => {
  const ops: Op[] = [
    { kind: "ele", name: "Gather", attributes: { numDigits: 1, action: "https://x/dev/voice/menu?a=1&b=2", hints: ["a", "b"], skip: undefined }, text: undefined, ops: [
      { kind: "ele", name: "Say", attributes: { language: "ja-JP" }, text: `<こんにちは> & "😀"\r\n`, ops: [] },
    ] },
    { kind: "ele", name: "Hangup", attributes: {}, text: undefined, ops: [] },
    { kind: "ele", name: "Say", attributes: "text given in the place of attributes", text: undefined, ops: [] },
    { kind: "ele", name: "Play", attributes: {}, text: "", ops: [] },
  ];
  const expected = play(xmlbuilder as never, ops, ["before", "after"]);
  assert.is(play({ create }, ops, ["before", "after"]), expected);
  assert.is(
    expected,
    '<?xml version="1.0" encoding="UTF-8"?><!-- before --><Response><Gather numDigits="1" action="https://x/dev/voice/menu?a=1&amp;b=2" hints="a b">' +
      '<Say language="ja-JP">&lt;こんにちは&gt; &amp; "😀"&#xD;\n</Say></Gather><Hangup/><Say>text given in the place of attributes</Say><Play/></Response><!-- after -->',
  );
});

same(`any sequence of operations gives the same bytes or the same error (seed ${SEED})`, () => {
  fc.assert(
    fc.property(ops, fc.tuple(fc.option(text), fc.option(text)), (list, [before, after]) => {
      const around = [before ?? "", after ?? ""];
      assert.is(play({ create }, list, around), play(xmlbuilder as never, list, around));
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

same("like xmlbuilder, an element given null text is left out, and undefined text makes it empty", () => {
  const ops: Op[] = [
    { kind: "ele", name: "Say", attributes: {}, text: null, ops: [{ kind: "txt", text: "lost" }] },
    { kind: "ele", name: "Hangup", attributes: undefined, text: undefined, ops: [] },
    { kind: "ele", name: "Play", attributes: "text where attributes go", text: null, ops: [] },
    { kind: "ele", name: "Say", attributes: "", text: "&", ops: [] },
  ];
  assert.is(play({ create }, ops, []), '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/><Play>text where attributes go</Play><Say>&amp;</Say></Response>');
  assert.is(play({ create }, ops, []), play(xmlbuilder as never, ops, []));
});

same("characters XML cannot hold are refused in text, as xmlbuilder refuses them", () => {
  const ops: Op[] = [{ kind: "txt", text: "page\fbreak" }];
  assert.is(play({ create }, ops, []), "error: Invalid character in string: page\fbreak at index 4");
  assert.is(play({ create }, ops, []), play(xmlbuilder as never, ops, []));
});

same.run();
