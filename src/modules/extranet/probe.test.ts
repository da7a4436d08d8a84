// Probes on loopback only: a server this test starts (up), a port it closed again (down), IPv6 loopback where there
// is one, the concurrency limit, and what counts as a probe host.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isProbeHost, probeTcp, withLimit } from './probe.ts';

async function listening(): Promise<net.Server> {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('probeTcp', () => {
  it('finds a listening loopback port up, with its latency', async () => {
    const server = await listening();
    const result = await probeTcp({ host: '127.0.0.1', port: portOf(server) }, 1000);
    await close(server);
    expect(result.state).toBe('up');
    expect(result.error).toBeNull();
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(1000);
  });

  it('finds a closed loopback port down (refused)', async () => {
    const server = await listening();
    const port = portOf(server);
    await close(server);
    const result = await probeTcp({ host: '127.0.0.1', port }, 1000);
    expect(result).toMatchObject({ state: 'down', error: 'ECONNREFUSED' });
  });

  it('probes IPv6 loopback when the machine has it', async () => {
    const server = net.createServer((socket) => socket.end());
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, '::1', () => resolve(true));
    });
    if (!ok) return; // no ::1 here: nothing to probe
    const result = await probeTcp({ host: '::1', port: portOf(server) }, 1000);
    await close(server);
    expect(result.state).toBe('up');
  });

  it('keeps at most the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await withLimit(Array.from({ length: 40 }, (_, i) => i), 5, async (i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return i * 2;
    });
    expect(most).toBe(5);
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
  });
});

describe('isProbeHost', () => {
  it('takes addresses and hostnames', () => {
    for (const host of ['127.0.0.1', '::1', '10.65.5.1', 'fe80::1', 'core.hami.gov', 'node-1']) expect(isProbeHost(host), host).toBe(true);
  });
  it('refuses URLs, ports, paths, spaces and empty text', () => {
    for (const host of ['http://10.0.0.1', '10.0.0.1:80', 'core/x', 'a b', '', '-bad.host', 'x'.repeat(254), 'a..b']) expect(isProbeHost(host), host).toBe(false);
  });
});
