/**
 * How long okrd waits for clients, in Fastify's and Node's terms (docs/operations.md, "Timeouts"):
 * - a request's headers must arrive within HEADERS_TIMEOUT_SECONDS and the whole request, body included, within
 *   REQUEST_TIMEOUT_SECONDS, or the client gets 408 and the connection is closed (slow clients, bodies that never
 *   finish);
 * - an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_SECONDS (72 s by default: longer than the 60 s
 *   of common load balancers, so the balancer, not okrd, closes a connection it might be about to reuse);
 * - a connection on which no byte moves either way for IDLE_TIMEOUT_SECONDS is closed (a client that stops
 *   reading its answer);
 * - handlers themselves are not cut short: an answer that is abandoned half-way could hide a write that committed.
 */
import type { Config } from '../config.js';

// Node checks the request and headers timeouts on a timer (30 s by default), so a limit could be overrun by up to
// that much; once a second keeps every limit to within a second at the cost of one walk over the open connections.
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

type Timeouts = Pick<Config, 'requestTimeoutMs' | 'headersTimeoutMs' | 'keepAliveTimeoutMs' | 'idleTimeoutMs'>;

/** Fastify's options for the limits above and for shutting down (see src/cli/serve.ts). */
export function fastifyTimeouts(config: Timeouts) {
  return {
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionTimeout: config.idleTimeoutMs,
    // Closing (SIGTERM) ends idle connections at once; busy ones finish their request (answered with
    // `Connection: close`), and the caller destroys what is left at its deadline.
    forceCloseConnections: 'idle' as const,
    // A request arriving on a kept-alive connection while draining is served rather than refused in a foreign format.
    return503OnClosing: false,
  };
}

/** Node's own server options for the same limits (Fastify passes them to http.createServer). */
export function nodeTimeouts(config: Timeouts) {
  return {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  };
}
