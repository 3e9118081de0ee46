// The JSONPath subset mapping templates use with $input.json() and $input.path():
// $, .name, ['name'], [index], [*] and .* (Jayway JsonPath, which API Gateway runs, reads the same).

type Step = { kind: "key"; key: string } | { kind: "index"; index: number } | { kind: "wildcard" };

const parsed = new Map<string, Step[]>();

/** The value at `path` in `root`, or undefined when the path leads nowhere. A wildcard yields an array. */
export function evaluateJsonPath(root: unknown, path: string): unknown {
  let values: unknown[] = [root];
  let spread = false;
  for (const step of parseJsonPath(path)) {
    const next: unknown[] = [];
    for (const value of values) {
      if (value === null || typeof value !== "object") continue;
      if (step.kind === "wildcard") {
        next.push(...(Array.isArray(value) ? value : Object.values(value)));
      } else if (step.kind === "index") {
        const at = Array.isArray(value) && step.index < 0 ? value.length + step.index : step.index;
        if (Array.isArray(value) && at >= 0 && at < value.length) next.push(value[at]);
      } else if (Object.prototype.hasOwnProperty.call(value, step.key)) {
        next.push((value as Record<string, unknown>)[step.key]);
      }
    }
    if (step.kind === "wildcard") spread = true;
    values = next;
  }
  return spread ? values : values[0];
}

function parseJsonPath(path: string): Step[] {
  const cached = parsed.get(path);
  if (cached) return cached;
  let rest = path.trim();
  if (rest.startsWith("$")) rest = rest.slice(1);
  else if (rest && !rest.startsWith(".") && !rest.startsWith("[")) rest = "." + rest;
  const steps: Step[] = [];
  while (rest) {
    const dot = /^\.(\*|[^.[\]]+)/.exec(rest);
    const quoted = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
    const index = /^\[\s*(-?\d+|\*)\s*\]/.exec(rest);
    if (dot) steps.push(dot[1] === "*" ? { kind: "wildcard" } : { kind: "key", key: dot[1] });
    else if (quoted) steps.push({ kind: "key", key: (quoted[1] ?? quoted[2]).replace(/\\(.)/g, "$1") });
    else if (index) steps.push(index[1] === "*" ? { kind: "wildcard" } : { kind: "index", index: Number(index[1]) });
    else throw new Error(`Unsupported JSONPath expression ${path}.`);
    rest = rest.slice((dot ?? quoted ?? index)![0].length);
  }
  parsed.set(path, steps);
  return steps;
}
