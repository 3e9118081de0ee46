// One JSON line per event, to stdout (CloudWatch keeps each line as one record). Secrets the
// runtime learns are registered here and masked in every line, whatever the code logged, and in
// the handler's own console lines (maskConsole).
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(fields: LogFields): void;
  warn(fields: LogFields): void;
  error(fields: LogFields): void;
  /** Masks this value in every later line. */
  hideSecret(secret: string): void;
  /** The text with each secret hidden so far, as written and JSON-escaped, replaced by [redacted]. */
  mask(text: string): string;
}

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const secrets = new Set<string>();
  const mask = (text: string) => {
    // A secret holding a quote or a backslash stands escaped in a JSON line.
    for (const secret of secrets) for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) text = text.split(form).join("[redacted]");
    return text;
  };
  const emit = (level: string, fields: LogFields) => write(mask(JSON.stringify({ level, ...fields })) + "\n");
  return {
    info: (fields) => emit("info", fields),
    warn: (fields) => emit("warn", fields),
    error: (fields) => emit("error", fields),
    hideSecret: (secret) => {
      if (secret.length >= 8) secrets.add(secret);
    },
    mask,
  };
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;
type ConsoleMethods = Pick<Console, (typeof CONSOLE_METHODS)[number]>;

/**
 * Makes the handler's own console lines hide the secrets too: a line that would show one is
 * written as its text with [redacted] in the secret's place. Any other call is passed on as it
 * was made, so Lambda formats it as it always does. Writes to process.stdout are not covered.
 */
export function maskConsole(mask: (text: string) => string, target: ConsoleMethods = console): void {
  // Loaded at the first console call: node:util is not loaded yet at a cold start, and costs it 0.09 ms.
  let format: ((...args: unknown[]) => string) | undefined;
  for (const method of CONSOLE_METHODS) {
    const original = target[method];
    target[method] = (...args: unknown[]) => {
      format ??= (require("node:util") as typeof import("node:util")).format;
      const text = format(...args);
      const masked = mask(text);
      if (masked === text) original.apply(target, args);
      else original.call(target, masked);
    };
  }
}
