// How every entry point meets a person (make synth, build, bench, reliability, local, dev,
// call, secret, wire, preflight): the command line read by node:util parseArgs, one sentence
// on failure and never a stack trace (DENWA_TRACE=1 shows it), exit 2 for a UserError and 1 for
// anything else, and a quiet exit when the reader of stdout goes away (`make call | head -1`).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "./index";

type Options = NonNullable<ParseArgsConfig["options"]>;
export type Args<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

export interface CommandLine<O extends Options> {
  /** What a person typed, e.g. "make call": every message begins with it. */
  name: string;
  /** What --help prints. */
  usage: string;
  options: O;
  /** Whether arguments other than options are taken (default: refused). */
  positionals?: boolean;
}

/** A command line, its option types kept literal so that the parsed values are typed. */
export function commandLine<const O extends Options>(line: CommandLine<O>): CommandLine<O> {
  return line;
}

/** The options and positionals of `args`; a mistake is a UserError of one sentence. */
export function readArgs<O extends Options>(line: CommandLine<O>, args: string[]): Args<O> {
  let parsed: Args<O>;
  try {
    parsed = parseArgs({ args, options: line.options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UserError(sentenceOf(err));
  }
  if (!line.positionals && parsed.positionals.length > 0) {
    throw new UserError(`Unexpected argument ${parsed.positionals[0]}; see --help for the options.`);
  }
  return parsed;
}

/** node:util's messages, without their advice on "--" that a person typing options does not need. */
function sentenceOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Unknown option ${unknown[1]}; see --help for the options.`;
  const needs = /^Option '(?:-\w, )?(--[^ ]+) <value>' argument missing/.exec(message);
  if (needs) return `The option ${needs[1]} needs a value.`;
  return message;
}

/**
 * Runs an entry point: --help prints the usage; `main` gets the parsed command line and may
 * return the exit code (a result such as "a target was missed" is 1).
 */
export function runCommand<O extends Options>(line: CommandLine<O>, main: (args: Args<O>) => Promise<number | void> | number | void): void {
  quietWhenReaderLeaves();
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${line.usage}\n`);
    return;
  }
  Promise.resolve()
    .then(() => main(readArgs(line, args)))
    .then(
      (code) => {
        if (typeof code === "number") process.exitCode = code;
      },
      (err: unknown) => {
        process.stderr.write(`${line.name}: ${err instanceof Error ? err.message : String(err)}\n`);
        if (process.env.DENWA_TRACE === "1" && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
        process.exitCode = err instanceof UserError ? 2 : 1;
      },
    );
}

/** A closed pipe (`| head -1`) ends the command as if it had finished, with no EPIPE stack. */
function quietWhenReaderLeaves(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
      process.exit(process.exitCode ?? 0);
    });
  }
}

/** Asks for a secret on the terminal without echoing it. */
export function promptSecret(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) return Promise.reject(new UserError(`${question.replace(/:\s*$/, "")} is needed and there is no terminal to ask on.`));
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = "";
    input.setRawMode(true);
    input.resume();
    input.setEncoding("utf8");
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done(() => resolve(value));
        if (ch === "\u0003") return done(() => reject(new UserError("cancelled.")));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = (finish: () => void) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      finish();
    };
    input.on("data", onData);
  });
}
