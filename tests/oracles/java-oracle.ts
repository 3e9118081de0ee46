// Compiles tests/oracles/Oracle.java into a temporary directory against Debian's jars and keeps one
// JVM for the whole test run: every test file that asks shares it, and it ends with the run (its
// stdin closes when this process exits).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const JARS_DIR = "/usr/share/java";
/** Debian package of each jar: velocity (1.7), libcommons-lang-java (2.6), libjsonpath-java (Jayway 2.0). */
const JARS: Record<string, string> = {
  "velocity.jar": "velocity",
  "commons-collections3.jar": "velocity",
  "commons-lang.jar": "libcommons-lang-java",
  "json-path.jar": "libjsonpath-java",
  "json-smart.jar": "libjsonpath-java",
  "accessors-smart.jar": "libjsonpath-java",
  "asm.jar": "libjsonpath-java",
  "slf4j-api.jar": "libjsonpath-java",
  "slf4j-nop.jar": "libslf4j-java",
};

export type OracleAnswer = { ok: unknown } | { error: string };

export interface JavaOracle {
  /** Answers the requests in order (see Oracle.java for their shapes). */
  ask(requests: object[]): Promise<OracleAnswer[]>;
}

let started: JavaOracle | string | undefined;

/** The running oracle, or one sentence saying what is missing (the caller skips its tests with it). */
export function javaOracle(): JavaOracle | string {
  started ??= start();
  return started;
}

function start(): JavaOracle | string {
  const missing = Object.keys(JARS).filter((jar) => !existsSync(join(JARS_DIR, jar)));
  const javac = spawnSync("javac", ["-version"], { encoding: "utf8" });
  if (javac.error || javac.status !== 0 || missing.length > 0) {
    const packages = [...new Set(missing.map((jar) => JARS[jar]))];
    const needs = [...(javac.error || javac.status !== 0 ? ["a JDK (javac)"] : []), ...packages];
    return `Skipped: the Java oracle needs ${needs.join(", ")} (apt-get install velocity libcommons-lang-java libjsonpath-java; .ci/run does).`;
  }
  const classes = mkdtempSync(join(tmpdir(), "denwa-oracle-"));
  process.on("exit", () => rmSync(classes, { recursive: true, force: true }));
  const classpath = [classes, ...Object.keys(JARS).map((jar) => join(JARS_DIR, jar))].join(":");
  const compiled = spawnSync("javac", ["-nowarn", "-encoding", "UTF-8", "-cp", classpath, "-d", classes, join(__dirname, "Oracle.java")], {
    encoding: "utf8",
  });
  if (compiled.status !== 0) throw new Error(`tests/oracles/Oracle.java does not compile:\n${compiled.stderr}`);
  const child = spawn("java", ["-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath, "Oracle"], { stdio: "pipe" });
  return new OracleProcess(child);
}

class OracleProcess implements JavaOracle {
  private waiting: ((line: string) => void)[] = [];
  private failure: Error | undefined;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      this.waiting.shift()?.(line);
      if (this.waiting.length === 0) this.idle(true);
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => (this.failure = new Error(`The Java oracle exited (${code}): ${stderr}`)));
    this.idle(true);
  }

  /** An idle JVM must not keep the test run alive; it ends when this process closes its stdin. */
  private idle(idle: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as { ref(): void; unref(): void }[]) {
      if (idle) handle.unref();
      else handle.ref();
    }
  }

  ask(requests: object[]): Promise<OracleAnswer[]> {
    if (this.failure) return Promise.reject(this.failure);
    this.idle(false);
    const answers = requests.map(
      () => new Promise<OracleAnswer>((resolve) => this.waiting.push((line) => resolve(JSON.parse(line)))),
    );
    this.child.stdin.write(requests.map((request) => asciiJson(request) + "\n").join(""));
    return Promise.all(answers);
  }
}

/** JSON with every non-ASCII unit escaped, so a lone surrogate reaches Java as it is. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}
