// The stage settings tables of README.md and README.ja.md, as infra/stage-config.ts's SETTINGS
// states them: tests/infra-stage-config.test.ts holds both READMEs to these.
import { STAGE_NAMES } from "../../infra/names";
import { SETTINGS, type Setting } from "../../infra/stage-config";

export type Language = "en" | "ja";

export const HEADERS: Record<Language, string> = {
  en: "| setting | default | notes |\n| --- | --- | --- |",
  ja: "| 設定 | 既定値 | 補足 |\n| --- | --- | --- |",
};

const NONE: Record<Language, string> = { en: "none", ja: "なし" };

/** A value as infra/stages.ts would write it. */
function literal(value: unknown): string {
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${k}: ${literal(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

function defaultsOf(row: Setting<unknown, unknown>, language: Language): string {
  const shown = STAGE_NAMES.map((stage) => (row.defaults[stage] === undefined ? NONE[language] : `\`${literal(row.defaults[stage])}\``));
  return shown.every((text) => text === shown[0]) ? shown[0] : STAGE_NAMES.map((stage, i) => `${stage}: ${shown[i]}`).join(", ");
}

export function settingsTable(language: Language): string {
  const rows = Object.entries(SETTINGS as Record<string, Setting<unknown, unknown>>).map(
    ([key, row]) => `| \`${key}\` | ${defaultsOf(row, language)} | ${row.doc[language]} |`,
  );
  return [HEADERS[language], ...rows].join("\n");
}

/** The table in a README that starts with the header row, up to its last row. */
export function tableIn(readme: string, language: Language): string | undefined {
  const start = readme.indexOf(HEADERS[language]);
  if (start < 0) return undefined;
  const lines = readme.slice(start).split("\n");
  const end = lines.findIndex((line) => !line.startsWith("|"));
  return lines.slice(0, end < 0 ? lines.length : end).join("\n");
}
