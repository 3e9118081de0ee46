import { suite } from "uvu";
import * as assert from "uvu/assert";
import menu from "../functions/voice/menu";
import { gatherResult, incomingCall, SAMPLE_HOST, XML_HEAD } from "../testkit";

const BASE = `https://${SAMPLE_HOST}/dev`;

const SAY = '<Say language="ja-JP" voice="Polly.Kazuha-Neural">';
const CHOICES = "営業時間のご案内は1を、ごあいさつは2を、メニューの繰り返しは9を、終了は0を押してください。";
const GATHER = `<Gather numDigits="1" timeout="5" action="${BASE}/voice/menu" method="POST">`;

const render = (digits?: string, query: Record<string, string> = {}) =>
  menu(digits === undefined ? incomingCall({ query, route: "/voice/menu" }) : gatherResult(digits, { query, route: "/voice/menu" })).toString();

const prompt = suite("voice/menu prompt");

prompt("offers the choices, with a stage-aware action, and redirects to a retry on silence", () => {
  assert.is(
    render(),
    `${XML_HEAD}<Response>${GATHER}${SAY}${CHOICES}</Say></Gather>` +
      `<Redirect method="POST">${BASE}/voice/menu?retry=1</Redirect></Response>`,
  );
});

prompt("an empty Digits (timeout with actionOnEmptyResult) counts as no input", () => {
  assert.is(render(""), render(), "empty Digits must present the menu again");
});

prompt("the retry repeats the menu once, then says goodbye and hangs up", () => {
  assert.is(
    render(undefined, { retry: "1" }),
    `${XML_HEAD}<Response>${GATHER}${SAY}もう一度ご案内します。${CHOICES}</Say></Gather>` +
      `${SAY}入力が確認できませんでした。お電話ありがとうございました。</Say><Hangup/></Response>`,
  );
});

prompt.run();

const choice = suite("voice/menu choices");

choice("1 tells the business hours and hangs up", () => {
  assert.is(render("1"), `${XML_HEAD}<Response>${SAY}営業時間は、平日の午前9時から午後6時までです。</Say><Hangup/></Response>`);
});

choice("2 redirects to the greeting on the same stage", () => {
  assert.is(render("2"), `${XML_HEAD}<Response><Redirect method="POST">${BASE}/voice/hello</Redirect></Response>`);
});

choice("9 starts the menu over", () => {
  assert.is(render("9"), `${XML_HEAD}<Response><Redirect method="POST">${BASE}/voice/menu</Redirect></Response>`);
});

choice("0 says goodbye and hangs up", () => {
  assert.is(render("0"), `${XML_HEAD}<Response>${SAY}お電話ありがとうございました。失礼いたします。</Say><Hangup/></Response>`);
});

choice("any other key is refused and the menu starts over", () => {
  const expected = `${XML_HEAD}<Response>${SAY}その番号はお選びいただけません。</Say><Redirect method="POST">${BASE}/voice/menu</Redirect></Response>`;
  assert.is(render("5"), expected);
  assert.is(render("#"), expected, "a non-digit key is refused the same way");
});

choice("every key leads somewhere distinct", () => {
  const outcomes = new Set(["1", "2", "9", "0", "5"].map((d) => render(d)));
  assert.is(outcomes.size, 5);
});

choice.run();
