/** A browser over inject for the HTML sign-in pages: keeps cookies, posts forms, reads the CSRF token of the last page. */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.js';

export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(
    private readonly t: TestApp,
    private readonly address = '10.0.0.1',
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.t.app.inject({ method: 'GET', url, headers: this.header(), remoteAddress: this.address }),
    );
  }

  async post(url: string, form: Record<string, string>, withCsrf = true): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ ...(withCsrf ? { _csrf: this.csrf } : {}), ...form });
    return this.keep(
      await this.t.app.inject({
        method: 'POST',
        url,
        headers: { ...this.header(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
        remoteAddress: this.address,
      }),
    );
  }

  /** A JSON POST with the browser's cookies (as a page's fetch() sends it), `headers` added. */
  async postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.t.app.inject({
        method: 'POST',
        url,
        headers: { ...this.header(), 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(body),
        remoteAddress: this.address,
      }),
    );
  }

  private header(): Record<string, string> {
    const c = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return c ? { cookie: c } : {};
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string }[]) {
      if (c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
    return res;
  }
}
