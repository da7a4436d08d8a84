// Reachability probes of extranet nodes (issue 10 §6): a TCP connect to the address an operator configured, with a
// short timeout, a few at a time. No library: node's `net` opens the connection and it is closed at once.
import net from 'node:net';

export interface ProbeTarget {
  host: string;
  port: number;
}

export interface ProbeResult {
  state: 'up' | 'down';
  /** Milliseconds to the connection (or to the failure). */
  latencyMs: number;
  /** Why it is down: the socket error's code (ECONNREFUSED, ETIMEDOUT, …). */
  error: string | null;
}

/** Connects to host:port and closes again; `down` on refusal, an unknown host or no answer within `timeoutMs`. */
export function probeTcp(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port: target.port });
    let settled = false;
    const finish = (state: 'up' | 'down', error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ state, latencyMs: Math.round(performance.now() - started), error });
    };
    const timer = setTimeout(() => finish('down', 'ETIMEDOUT'), timeoutMs);
    socket.once('connect', () => finish('up', null));
    socket.once('error', (error: NodeJS.ErrnoException) => finish('down', (error.code ?? error.message).slice(0, 200)));
  });
}

/** Runs `work` over `items` with at most `limit` at a time, results in the items' order. */
export async function withLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** An IPv4 or IPv6 address or an RFC 1123 hostname; never a URL, a port or a path. */
export function isProbeHost(text: string): boolean {
  return net.isIP(text) !== 0 || HOSTNAME.test(text);
}
