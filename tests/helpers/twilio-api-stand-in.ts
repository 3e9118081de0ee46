// A loopback stand-in for the calls of Twilio's REST API that denwa makes: make wire finds an
// incoming number by PhoneNumber and updates it; recording/notify creates a Message. It checks
// HTTP Basic auth as Twilio does.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  username: string;
}

export interface TwilioApiStandIn {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Incoming numbers of the account, by PN sid. */
  numbers: Map<string, Record<string, string>>;
  close(): Promise<void>;
}

export async function startTwilioApiStandIn(accountSid: string, credentials: Record<string, string>): Promise<TwilioApiStandIn> {
  const numbers = new Map<string, Record<string, string>>();
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://stand-in");
      const [username, password] = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString("utf8").split(":");
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      requests.push({ method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), form, username });
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (credentials[username] === undefined || credentials[username] !== password) {
        return reply(401, { code: 20003, message: "Authenticate", status: 401 });
      }
      const base = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers`;
      if (req.method === "GET" && url.pathname === `${base}.json`) {
        const wanted = url.searchParams.get("PhoneNumber");
        const list = [...numbers.values()].filter((n) => !wanted || n.phone_number === wanted);
        return reply(200, { incoming_phone_numbers: list, end: list.length - 1, start: 0, page: 0, page_size: 1, next_page_uri: null, previous_page_uri: null, uri: `${base}.json` });
      }
      const match = new RegExp(`^${base}/(PN\\w+)\\.json$`).exec(url.pathname);
      if (req.method === "POST" && match && numbers.has(match[1])) {
        const updated = { ...numbers.get(match[1])! };
        for (const [key, value] of Object.entries(form)) updated[key.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()] = value;
        numbers.set(match[1], updated);
        return reply(200, updated);
      }
      if (req.method === "POST" && url.pathname === `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
        // Twilio answers a created Message with 201 and the resource (docs: Message resource, Create).
        return reply(201, { sid: `SM${String(requests.length).padStart(32, "0")}`, status: "queued", to: form.To, from: form.From, body: form.Body });
      }
      reply(404, { code: 20404, message: "The requested resource was not found", status: 404 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    numbers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
