// One JSON line per event, to stdout (CloudWatch keeps each line as one record). Secrets the
// runtime learns are registered here and masked in every line, whatever the code logged.
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(fields: LogFields): void;
  warn(fields: LogFields): void;
  error(fields: LogFields): void;
  /** Masks this value in every later line. */
  hideSecret(secret: string): void;
}

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const secrets = new Set<string>();
  const emit = (level: string, fields: LogFields) => {
    let line = JSON.stringify({ level, ...fields });
    // A secret holding a quote or a backslash stands escaped in the JSON line.
    for (const secret of secrets) for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) line = line.split(form).join("[redacted]");
    write(line + "\n");
  };
  return {
    info: (fields) => emit("info", fields),
    warn: (fields) => emit("warn", fields),
    error: (fields) => emit("error", fields),
    hideSecret: (secret) => {
      if (secret.length >= 8) secrets.add(secret);
    },
  };
}
