// What a call and a message exchange have in common: fetching documents the way Twilio does
// (error codes, then the fallback URL once, cookies kept for the whole exchange), counting steps
// so a loop cannot run forever, and collecting the events.
import type { LookupFunction } from "node:net";
import { CookieJar } from "./cookies";
import { interpret, TWILIO_ERRORS, type Channel, type Interpretation, type TwilioErrorCode } from "./errors";
import { sendWebhook, type Method, type WebhookOutcome } from "./http";
import type { Params } from "./params";
import type { Purpose, SimEvent } from "./transcript";
import type { XmlElement } from "./twiml";

export const DEFAULT_MAX_STEPS = 100;

export interface SessionOptions {
  authToken?: string;
  fallbackUrl?: string;
  /** How the fallback URL is requested, as configured on the number: POST by default. */
  fallbackMethod?: Method;
  /** Added to (or replacing) the parameters of every request, like `twilio webhook:invoke -d`. */
  params?: Params;
  maxSteps?: number;
  /** Per-request deadline; Twilio's is 15 s, tests shorten it. */
  timeoutMs?: number;
  /** Called with every event as it happens, e.g. to print a live transcript. */
  onEvent?: (e: SimEvent) => void;
  /** Name resolution for the requests; tests pass a fake. */
  lookup?: LookupFunction;
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
  /** Everything that happened, in order: the transcript as data. */
  events: SimEvent[];
  /** What the caller heard (Say text, Play URLs) or the replies sent back, in order. */
  heard: string[];
  /** True when any request ended in a Twilio error (the CLI then exits non-zero). */
  failed: boolean;
  status: string;
}

export class Session {
  readonly events: SimEvent[] = [];
  failed = false;
  private steps = 0;
  private readonly visits = new Map<string, number>();
  private readonly cookies = new CookieJar();

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
    const outcome = await this.send(request);
    const answer = interpret(outcome, this.channel);
    if (answer.kind !== "error") return { url: outcome.url, answer };
    this.error(answer.code, answer.message);
    const fallback = this.options.fallbackUrl;
    if (fallback === undefined || request.purpose === "fallback") return null;
    const params = { ...request.params, ErrorCode: String(answer.code), ErrorUrl: request.url };
    return this.fetch({ url: fallback, method: this.options.fallbackMethod ?? "POST", params, purpose: "fallback" });
  }

  /**
   * A callback whose answer only matters for its HTTP status (status callbacks, recording and
   * transcription callbacks). A failed call status callback is Twilio's 15003; any other failed
   * callback is logged with its HTTP error code.
   */
  async notify(request: Fetch): Promise<void> {
    const outcome = await this.send(request);
    const answer = interpret(outcome, this.channel);
    if (answer.kind !== "error" || !String(answer.code).startsWith("112")) return;
    this.error(request.purpose === "status-callback" ? 15003 : answer.code, answer.message);
  }

  finish(status: string, duration: number | null): SimResult {
    this.emit({ event: "end", status, duration, failed: this.failed });
    const heard = this.events.flatMap((e) =>
      e.event === "say" ? [e.text] : e.event === "play" ? [e.digits || e.url] : e.event === "message" ? [e.body] : [],
    );
    return { events: this.events, heard, failed: this.failed, status };
  }

  private async send(request: Fetch): Promise<WebhookOutcome> {
    const { authToken, timeoutMs, lookup } = this.options;
    const params = { ...request.params, ...this.options.params };
    const outcome = await sendWebhook({ ...request, params, authToken, timeoutMs, lookup, cookies: this.cookies });
    this.emit({
      event: "request",
      purpose: request.purpose,
      method: request.method,
      url: request.url,
      status: outcome.ok ? outcome.status : null,
      contentType: outcome.ok ? outcome.contentType : "",
      ms: outcome.ms,
    });
    return outcome;
  }
}

/** A verb's method attribute (or another, e.g. recordingStatusCallbackMethod): GET or POST (any case), POST when absent or invalid. */
export function methodOf(session: Session, element: XmlElement, attribute = "method"): Method {
  const value = element.attributes[attribute];
  if (value === undefined) return "POST";
  const upper = value.toUpperCase();
  if (upper === "GET" || upper === "POST") return upper;
  session.warn(`<${element.name} ${attribute}="${value}"> is not GET or POST; Twilio uses POST.`);
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
