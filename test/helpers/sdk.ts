/** The official Node SDK pointed at a listening okrd, and how to read the errors it throws. */
import * as lark from '@larksuiteoapi/node-sdk';
import { DEMO_APP_ID, DEMO_APP_SECRET } from '../../src/demo/demo-tenant.js';
import type { TestApp } from './app.js';

/** A client of the demo app with its own token cache (the SDK's default one is shared by every client in the process) and no log noise. */
export function sdkClient(domain: string, appSecret = DEMO_APP_SECRET, appId = DEMO_APP_ID): lark.Client {
  const store = new Map<unknown, { value: unknown; expire?: number }>();
  const quiet = () => undefined;
  return new lark.Client({
    appId,
    appSecret,
    domain,
    logger: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet },
    cache: {
      set: async (key, value, expire) => (store.set(key, { value, ...(expire ? { expire } : {}) }), true),
      get: async (key) => {
        const hit = store.get(key);
        return hit && (!hit.expire || hit.expire > Date.now()) ? hit.value : undefined;
      },
    },
  });
}

/** The HTTP status and envelope of a call the SDK rejected (it throws the AxiosError on any non-2xx). */
export async function rejection(
  call: Promise<unknown>,
): Promise<{ status: number; data: { code: number; msg: string; error?: any } }> {
  try {
    await call;
  } catch (err) {
    const { response } = err as { response: { status: number; data: { code: number; msg: string } } };
    return { status: response.status, data: response.data };
  }
  throw new Error('the call succeeded');
}

/** Starts `t` listening on a free loopback port for the SDK; resolves to its base URL (the SDK's `domain`). */
export async function listenForSdk(t: TestApp): Promise<string> {
  t.clock.now = Date.now(); // the SDK caches tokens against the real clock
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}
