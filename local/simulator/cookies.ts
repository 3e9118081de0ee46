// The cookies of one call: Twilio keeps what a webhook sets with Set-Cookie and sends it back on
// the later requests of the same call (and forgets it when the call ends), so session-based apps
// work. Only what that needs: name=value per host and path, Max-Age and Expires to delete.

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
  expires: number;
}

export class CookieJar {
  private cookies: Cookie[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes the Set-Cookie headers of an answer from `url`. */
  store(url: string, setCookies: string[]): void {
    const { hostname, pathname } = new URL(url);
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const cookie: Cookie = {
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        host: hostname,
        path: pathname.slice(0, pathname.lastIndexOf("/")) || "/",
        expires: Infinity,
      };
      for (const attribute of attributes) {
        const [key, ...rest] = attribute.split("=");
        const value = rest.join("=").trim();
        const name = key.trim().toLowerCase();
        if (name === "path" && value.startsWith("/")) cookie.path = value;
        else if (name === "max-age" && /^-?[0-9]+$/.test(value)) cookie.expires = this.now() + Number(value) * 1000;
        else if (name === "expires" && cookie.expires === Infinity && !Number.isNaN(Date.parse(value))) cookie.expires = Date.parse(value);
      }
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.host === cookie.host && c.path === cookie.path));
      if (cookie.expires > this.now()) this.cookies.push(cookie);
    }
  }

  /** The Cookie header for a request to `url`, or undefined when no cookie applies. */
  header(url: string): string | undefined {
    const { hostname, pathname } = new URL(url);
    const now = this.now();
    const matching = this.cookies.filter(
      (c) => c.host === hostname && c.expires > now && (pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`)),
    );
    return matching.length === 0 ? undefined : matching.map((c) => `${c.name}=${c.value}`).join("; ");
  }
}
