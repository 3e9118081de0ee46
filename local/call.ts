// Plays Twilio against a webhook: `tsx local/call.ts [URL] [--digits 1,2] …` walks a call,
// `tsx local/call.ts sms "TEXT" [URL]` sends a message. Exit 0 when everything answered as
// Twilio needs, 1 when a request ended in a Twilio error, 2 for a mistake on the command line.
import path from "node:path";
import readline from "node:readline";
import { scriptedKeypad, type GatherPrompt, type Keypad } from "./simulator/caller";
import { simulateCall } from "./simulator/call";
import { runCommand } from "../contract/cli";
import { CALL_LINE, commandFrom, type CallCommand, type SmsCommand } from "./simulator/options";
import { simulateSms } from "./simulator/sms";
import { toJsonLine, toText, type SimEvent } from "./simulator/transcript";

async function main(command: CallCommand | SmsCommand): Promise<number> {
  const format = command.json ? toJsonLine : toText;
  const onEvent = (e: SimEvent) => process.stdout.write(`${format(e)}\n`);
  const { authToken, fallbackUrl, fallbackMethod, params, maxSteps, method, from, to } = command;
  const session = { authToken, fallbackUrl, fallbackMethod, params, maxSteps, method, from, to, onEvent };
  if (command.kind === "sms") {
    const result = await simulateSms(command.url, command.body, { ...session, media: command.media });
    return result.failed ? 1 : 0;
  }
  const keypad = withTerminal(scriptedKeypad(command.digits));
  try {
    const { speech, record, dial, statusUrl } = command;
    const result = await simulateCall(command.url, { ...session, keypad, speech, record, dial, statusUrl });
    return result.failed ? 1 : 0;
  } finally {
    keypad.close();
  }
}

/** Once the scripted digits run out, ask the person at the terminal; without a terminal the caller hangs up. */
function withTerminal(scripted: Keypad): Keypad & { close(): void } {
  let rl: readline.Interface | undefined;
  let closed = false;
  return {
    async press(prompt: GatherPrompt) {
      if (scripted.unused().length > 0 || !process.stdin.isTTY || closed) return scripted.press(prompt);
      if (rl === undefined) {
        rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        rl.on("close", () => (closed = true));
      }
      const keys = prompt.numDigits === null ? "keys" : `up to ${prompt.numDigits} key(s)`;
      return new Promise<string | null>((resolve) => {
        const onClose = () => resolve(null);
        rl!.once("close", onClose);
        rl!.question(`Press ${keys} then Enter (Enter alone = silence, Ctrl-D = hang up): `, (answer) => {
          rl!.off("close", onClose);
          resolve(answer.replace(/[^0-9*#]/g, ""));
        });
      });
    },
    unused: () => scripted.unused(),
    close: () => rl?.close(),
  };
}

runCommand({ ...CALL_LINE, name: process.argv[2] === "sms" ? "make sms" : "make call" }, (args) =>
  main(commandFrom(args, { env: process.env, root: path.resolve(__dirname, "..") })),
);
