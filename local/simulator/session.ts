// What a call and a message exchange have in common: fetching documents the way Twilio does
// (error codes, then the fallback URL once), counting steps so a loop cannot run forever, and
// collecting the events.
import { interpret, TWILIO_ERRORS, type Channel, type Interpretation, type TwilioErrorCode } from "./errors";
import { sendWebhook, type Method } from "./http";
import type { Params } from "./params";
import type { Purpose, SimEvent } from "./transcript";
import type { XmlElement } from "./twiml";

export const DEFAULT_MAX_STEPS = 100;

export interface SessionOptions {
  authToken?: string;
  fallbackUrl?: string;
  maxSteps?: number;
  /** Per-request deadline; Twilio's is 15 s, tests shorten it. */
  timeoutMs?: number;
  /** Called with every event as it happens, e.g. to print a live transcript. */
  onEvent?: (e: SimEvent) => void;
}

/** A document request: where, how, with what, and why. */
export interface Fetch {
  url: string;
  method: Method;
  params: Params;
  purpose: Purpose;
}

/** A usable answer and the URL it came from (relative URLs in it resolve against that). */
export interface Fetched {
  url: string;
  answer: Exclude<Interpretation, { kind: "error" }>;
}

export interface SimResult {
  events: SimEvent[];
  /** True when any request ended in a Twilio error (the CLI then exits non-zero). */
  failed: boolean;
  status: string;
}

export class Session {
  readonly events: SimEvent[] = [];
  failed = false;
  private steps = 0;
  private readonly visits = new Map<string, number>();

  constructor(
    private readonly options: SessionOptions,
    private readonly channel: Channel,
  ) {}

  emit(e: SimEvent): void {
    this.events.push(e);
    this.options.onEvent?.(e);
  }

  error(code: TwilioErrorCode, message: string): void {
    this.failed = true;
    this.emit({ event: "error", code, title: TWILIO_ERRORS[code], message });
  }

  warn(message: string, code: TwilioErrorCode | null = 12200): void {
    this.emit({ event: "warning", code, message });
  }

  /** Counts one verb; false (after reporting the loop) once the step limit is passed. */
  step(): boolean {
    this.steps++;
    const limit = this.options.maxSteps ?? DEFAULT_MAX_STEPS;
    if (this.steps <= limit) return true;
    const [url, count] = [...this.visits].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
    const where = count > 1 ? `; ${url} was requested ${count} times, probably a loop` : "";
    this.emit({ event: "loop", steps: limit, message: `the step limit of ${limit} verbs was reached${where}` });
    return false;
  }

  /** Requests a document; on an error, requests the fallback URL once as Twilio does. Null when nothing usable came back. */
  async fetch(request: Fetch): Promise<Fetched | null> {
    this.visits.set(request.url, (this.visits.get(request.url) ?? 0) + 1);
    const outcome = await sendWebhook({ ...request, authToken: this.options.authToken, timeoutMs: this.options.timeoutMs });
    this.emit({
      event: "request",
      purpose: request.purpose,
      method: request.method,
      url: request.url,
      status: outcome.ok ? outcome.status : null,
      contentType: outcome.ok ? outcome.contentType : "",
      ms: outcome.ms,
    });
    const answer = interpret(outcome, this.channel);
    if (answer.kind !== "error") return { url: outcome.url, answer };
    this.error(answer.code, answer.message);
    const fallback = this.options.fallbackUrl;
    if (fallback === undefined || request.purpose === "fallback") return null;
    const params = { ...request.params, ErrorCode: String(answer.code), ErrorUrl: request.url };
    return this.fetch({ url: fallback, method: "POST", params, purpose: "fallback" });
  }

  /** A request whose answer only matters for its status (the call status callback). */
  async notify(url: string, params: Params): Promise<void> {
    const outcome = await sendWebhook({ url, method: "POST", params, authToken: this.options.authToken, timeoutMs: this.options.timeoutMs });
    this.emit({
      event: "request",
      purpose: "status-callback",
      method: "POST",
      url,
      status: outcome.ok ? outcome.status : null,
      contentType: outcome.ok ? outcome.contentType : "",
      ms: outcome.ms,
    });
    const answer = interpret(outcome, this.channel);
    if (answer.kind === "error" && (answer.code === 11200 || answer.code === 11205 || answer.code === 11215)) {
      this.error(15003, answer.message);
    }
  }

  finish(status: string, duration: number | null): SimResult {
    this.emit({ event: "end", status, duration, failed: this.failed });
    return { events: this.events, failed: this.failed, status };
  }
}

/** A verb's method attribute: GET or POST (any case), POST when absent or invalid. */
export function methodOf(session: Session, element: XmlElement): Method {
  const value = element.attributes.method;
  if (value === undefined) return "POST";
  const upper = value.toUpperCase();
  if (upper === "GET" || upper === "POST") return upper;
  session.warn(`<${element.name} method="${value}"> is not GET or POST; Twilio uses POST.`);
  return "POST";
}

/** A URL from a document, resolved against the document's own URL as Twilio resolves it. */
export function resolveUrl(session: Session, relative: string, base: string): string | null {
  try {
    return new URL(relative.trim(), base).toString();
  } catch {
    session.warn(`"${relative}" is not a URL that can be requested.`);
    return null;
  }
}
