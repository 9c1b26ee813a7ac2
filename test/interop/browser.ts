// Just enough of a browser to drive an authorization server's login and logout pages from Node:
// a cookie jar (per host and path), manual redirects that stop at the app's redirect URI (the
// callback is what the SDK consumes), and HTML forms read and submitted as a person would.

/** A page the browser stopped on, or the app URL it was sent back to. */
export type Stop =
  | { kind: 'page'; url: string; status: number; html: string }
  | { kind: 'app'; url: string };

interface Cookie {
  value: string;
  path: string;
}

export interface Form {
  action: string;
  method: string;
  fields: Record<string, string>;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
  const value = match?.[1] ?? match?.[2];
  return value === undefined ? undefined : decodeEntities(value);
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) =>
      String.fromCharCode(Number.parseInt(code, 16)),
    )
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export class Browser {
  /** host → cookie name → cookie. */
  readonly #jar = new Map<string, Map<string, Cookie>>();
  /** Every URL requested, in order (tests read it to see what a server did). */
  readonly visited: string[] = [];

  constructor(
    /** Navigations to URLs under this prefix are not followed: they are the app's. */
    readonly appPrefix: string,
  ) {}

  #cookieHeader(url: URL): string | undefined {
    const cookies = this.#jar.get(url.host);
    if (!cookies) return undefined;
    const pairs = [...cookies.entries()]
      .filter(([, cookie]) => url.pathname.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  #store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attr of attributes) {
        const [key = '', val = ''] = attr.split('=');
        if (key.toLowerCase() === 'path' && val) path = val;
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const cookies = this.#jar.get(url.host) ?? new Map<string, Cookie>();
      if (expired) cookies.delete(name);
      else cookies.set(name, { value, path });
      this.#jar.set(url.host, cookies);
    }
  }

  /** Loads `url` (GET, or POST with a form body), following redirects until a page or the app. */
  async navigate(url: string | URL, body?: URLSearchParams): Promise<Stop> {
    let target = new URL(url);
    let method = body ? 'POST' : 'GET';
    let payload = body;
    for (let hops = 0; hops < 20; hops++) {
      if (target.href.startsWith(this.appPrefix)) return { kind: 'app', url: target.href };
      this.visited.push(target.href);
      const headers: Record<string, string> = { accept: 'text/html' };
      const cookie = this.#cookieHeader(target);
      if (cookie) headers.cookie = cookie;
      if (payload) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(target, {
        method,
        headers,
        redirect: 'manual',
        ...(payload ? { body: payload } : {}),
      });
      this.#store(target, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        target = new URL(location, target);
        // 301/302/303 after a POST become a GET, as browsers do.
        if (response.status !== 307 && response.status !== 308) {
          method = 'GET';
          payload = undefined;
        }
        continue;
      }
      const html = await response.text();
      // oidc-provider answers some steps with an auto-submitting form_post page.
      const autoPost = /<body[^>]*onload="[^"]*submit\(\)/i.test(html)
        ? readForm(html, target)
        : undefined;
      if (autoPost && response.ok) {
        target = new URL(autoPost.action);
        method = autoPost.method;
        payload = new URLSearchParams(autoPost.fields);
        continue;
      }
      return { kind: 'page', url: target.href, status: response.status, html };
    }
    throw new Error(`too many redirects, last at ${target.href}`);
  }

  /** Fills and submits the page's form (with the submit button `button`, if named). */
  async submit(
    stop: Stop,
    values: Record<string, string> = {},
    button?: { name: string; value: string },
  ): Promise<Stop> {
    if (stop.kind !== 'page') throw new Error(`expected a page, the browser is at ${stop.url}`);
    const form = readForm(stop.html, new URL(stop.url));
    if (!form) throw new Error(`no form on ${stop.url}: ${stop.html.slice(0, 300)}`);
    const fields = { ...form.fields, ...values };
    if (button) fields[button.name] = button.value;
    return this.navigate(form.action, new URLSearchParams(fields));
  }
}

/** The first form of a page: its action (absolute), method and the values of its inputs. */
export function readForm(html: string, base: URL): Form | undefined {
  const match = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!match) return undefined;
  const tag = /<form\b[^>]*>/i.exec(match[0])?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const input of match[1]?.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name) fields[name] = attribute(input, 'value') ?? '';
  }
  return {
    action: new URL(attribute(tag, 'action') ?? base.href, base).href,
    method: (attribute(tag, 'method') ?? 'GET').toUpperCase(),
    fields,
  };
}
