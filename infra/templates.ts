// The API Gateway mapping templates, read from infra/templates/*.vtl at synth time. They are read
// as UTF-8 whatever the locale; a BOM an editor may have added is dropped (API Gateway would print
// it at the start of every response body) and CRLF becomes LF, so that a Windows checkout
// synthesizes the same templates, and the same deployment triggers, as any other.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const TEMPLATES_DIR = join(__dirname, "templates");

export interface Templates {
  /** Request template for application/x-www-form-urlencoded and application/json. */
  request: string;
  /** Default (success) integration response: the WebhookResult as the HTTP response. */
  response: string;
  /** Integration response for any Lambda error: a generic 500. */
  error: string;
  /** The same for stages with debug on, with the error message. */
  errorDebug: string;
}

export function readTemplates(dir = TEMPLATES_DIR): Templates {
  return {
    request: readTemplate(dir, "request.vtl"),
    response: readTemplate(dir, "response.vtl"),
    error: readTemplate(dir, "error.vtl"),
    errorDebug: readTemplate(dir, "error-debug.vtl"),
  };
}

function readTemplate(dir: string, file: string): string {
  return readFileSync(join(dir, file), "utf8").replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
}

/**
 * Terraform reads "${" and "%{" in any string as its own template syntax; "$${" and "%%{" stand
 * for them literally, so a template that uses VTL's formal ${reference} reaches API Gateway intact.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
