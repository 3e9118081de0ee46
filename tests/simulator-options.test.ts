import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UserError } from "../contract";
import { parseCommand, type Command } from "../local/simulator/options";

const emptyRoot = () => mkdtempSync(path.join(os.tmpdir(), "denwa-sim-"));
const ENV = { TWILIO_AUTH_TOKEN: "env-token" };

const parse = (argv: string[], env: NodeJS.ProcessEnv = ENV, root = emptyRoot()): Command => {
  try {
    return parseCommand(argv, { env, root });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};

const refuses = (argv: string[], message: string, env: NodeJS.ProcessEnv = ENV) => {
  try {
    parse(argv, env);
  } catch (err) {
    assert.instance(err, UserError);
    assert.is((err as Error).message, message);
    return;
  }
  assert.unreachable(`${argv.join(" ")} must be refused`);
};

const defaults = suite("parseCommand: defaults");

defaults("a bare call goes to the dev stage's voice/hello on the local emulator, PORT respected", () => {
  assert.equal(parse([]), {
    kind: "call",
    url: "http://127.0.0.1:3000/dev/voice/hello",
    method: "POST",
    authToken: "env-token",
    fallbackUrl: undefined,
    fallbackMethod: "POST",
    params: {},
    from: "+819012345678",
    to: "+815012345678",
    json: false,
    maxSteps: 100,
    digits: [],
    speech: [],
    record: [],
    dial: "completed",
    statusUrl: undefined,
  });
  const command = parse([], { ...ENV, PORT: "4000" });
  assert.is(command.kind === "call" && command.url, "http://127.0.0.1:4000/dev/voice/hello");
});

defaults("sms takes the text first and defaults to sms/reply; --media repeats", () => {
  const command = parse(["sms", "こんにちは 👋", "--media", "https://e.com/a.jpg", "--media=https://e.com/b.png", "--json"]);
  assert.ok(command.kind === "sms");
  assert.is(command.kind === "sms" && command.body, "こんにちは 👋");
  assert.equal(command.kind === "sms" && command.media, ["https://e.com/a.jpg", "https://e.com/b.png"]);
  assert.is(command.kind === "sms" && command.url, "http://127.0.0.1:3000/dev/sms/reply");
  assert.is(command.kind === "sms" && command.json, true);
});

defaults("every option of a call, both --name value and --name=value", () => {
  const command = parse([
    "call", "https://abc.example/dev/voice/menu", "--digits", "1,,2#,*", "--token=T", "--status-url", "https://abc.example/dev/call/status",
    "--fallback", "https://abc.example/dev/fallback", "--fallback-method", "get", "--from", "+14155550100", "--to=+815011112222",
    "--method", "get", "--max-steps", "7", "--speech", "予約したい、です", "--speech=いいえ", "--record", "5", "--record", "0",
    "--record", "12:折り返し: お願いします", "--record", "7 hangup", "--record", "3#:以上", "--dial", "busy", "--param", "CallerName=山田 太郎", "--param=ForwardedFrom=+815099990000",
    "--param", "Empty=", "--param", "Equation=a=b",
  ]);
  assert.equal(command, {
    kind: "call",
    url: "https://abc.example/dev/voice/menu",
    method: "GET",
    authToken: "T",
    fallbackUrl: "https://abc.example/dev/fallback",
    fallbackMethod: "GET",
    params: { CallerName: "山田 太郎", ForwardedFrom: "+815099990000", Empty: "", Equation: "a=b" },
    from: "+14155550100",
    to: "+815011112222",
    json: false,
    maxSteps: 7,
    digits: ["1", "", "2#", "*"],
    speech: ["予約したい、です", "いいえ"],
    record: [{ seconds: 5 }, { seconds: 0 }, { seconds: 12, words: "折り返し: お願いします" }, { seconds: 7, end: "hangup" }, { seconds: 3, end: "#", words: "以上" }],
    dial: "busy",
    statusUrl: "https://abc.example/dev/call/status",
  });
});

defaults.run();

const token = suite("parseCommand: where the auth token comes from");

token("--token beats TWILIO_AUTH_TOKEN, which beats .env", () => {
  const root = emptyRoot();
  writeFileSync(path.join(root, ".env"), "# local\nexport OTHER=1\nTWILIO_AUTH_TOKEN=\"dotenv-token\"\n");
  try {
    const from = (argv: string[], env: NodeJS.ProcessEnv) => {
      const command = parseCommand(argv, { env, root });
      return command.kind === "call" ? command.authToken : "";
    };
    assert.is(from(["--token", "flag-token"], ENV), "flag-token");
    assert.is(from([], ENV), "env-token");
    assert.is(from([], {}), "dotenv-token");
    assert.is(from(["--shared-key", "sk-secret"], ENV), "sharedkey:sk-secret", "--shared-key signs as a SharedKey webhook instead");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

token("no token anywhere is one sentence", () => {
  refuses([], "No auth token: pass --token, set TWILIO_AUTH_TOKEN, or put TWILIO_AUTH_TOKEN=… in .env (make dev prints the local one).", {});
});

token.run();

const stack = suite("parseCommand: the synthesized dev stage");

const withStack = (output: unknown, argv: string[]) => {
  const root = emptyRoot();
  const dir = path.join(root, "cdktf.out", "stacks", "denwa-dev");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "cdk.tf.json"), typeof output === "string" ? output : JSON.stringify({ output }));
  try {
    return parseCommand(argv, { env: ENV, root });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};

stack("a route listed in webhook_urls gives the local emulator URL", () => {
  const command = withStack({ webhook_urls: { value: { "voice/hello": "${aws_api_gateway_stage.dev.invoke_url}/voice/hello" } } }, []);
  assert.is(command.kind === "call" && command.url, "http://127.0.0.1:3000/dev/voice/hello");
});

stack("a route the stage does not have is one sentence", () => {
  try {
    withStack({ webhook_urls: { value: { "voice/menu": "x" } } }, ["sms", "hi"]);
    assert.unreachable("a missing route must be refused");
  } catch (err) {
    assert.instance(err, UserError);
    assert.is((err as Error).message, "The dev stage has no sms/reply webhook (it has voice/menu); give a URL instead.");
  }
});

stack("a stack without the output still gets the default", () => {
  const command = withStack({}, []);
  assert.is(command.kind === "call" && command.url, "http://127.0.0.1:3000/dev/voice/hello");
});

stack.run();

const mistakes = suite("parseCommand: mistakes are one sentence each");

const MISTAKES: Array<[string[], string]> = [
  [["--colour"], "Unknown option --colour; see --help for the options."],
  [["--digits"], "The option --digits needs a value."],
  [["--digits", "1,a"], '--digits takes keys 0-9, * and # separated by commas, not "a".'],
  [["--method", "PUT"], "The method must be GET or POST, not PUT."],
  [["--fallback-method", "PUT"], "--fallback-method must be GET or POST, not PUT."],
  [["--dial", "answered-later"], '--dial must be one of completed, busy, no-answer, failed, canceled, not "answered-later".'],
  [["--record", "five"], '--record takes whole seconds, then optionally hangup, # or *, and :the words said (5, "5 hangup", 5#:もしもし), not "five".'],
  [["--record", "5 bye"], '--record takes whole seconds, then optionally hangup, # or *, and :the words said (5, "5 hangup", 5#:もしもし), not "5 bye".'],
  [["--param", "=x"], '--param takes KEY=VALUE, such as CallerName=山田, not "=x".'],
  [["--param", "CallerName"], '--param takes KEY=VALUE, such as CallerName=山田, not "CallerName".'],
  [["sms", "hi", "--record", "5"], "The option --record is for calls, not for sms."],
  [["--max-steps", "0"], "--max-steps must be a positive whole number, not 0."],
  [["--from", "09012345678"], '--from must be an E.164 phone number such as +815012345678, not "09012345678".'],
  [["ftp://x/y"], 'URL must be an absolute http:// or https:// URL, not "ftp://x/y".'],
  [["/voice/hello"], 'URL must be an absolute http:// or https:// URL, not "/voice/hello".'],
  [["--fallback", "nope"], '--fallback must be an absolute http:// or https:// URL, not "nope".'],
  [["http://a/1", "http://a/2"], "Only one URL may be given, but got 2: http://a/1 http://a/2."],
  [["--token", "a", "--token", "b"], "The option --token may be given only once."],
  [["sms"], 'The sms command needs the message text, e.g. sms "こんにちは".'],
  [["sms", "hi", "--digits", "1"], "The option --digits is for calls, not for sms."],
  [["--media", "https://e.com/a.jpg"], "The option --media is for sms, not for calls."],
];

for (const [argv, message] of MISTAKES) mistakes(argv.join(" ") || "(nothing)", () => refuses(argv, message));

mistakes("--help asks for the usage", () => {
  assert.equal(parse(["--digits", "1", "--help"]), { kind: "help" });
});

mistakes.run();
