// Per-request latency in microseconds (performance.now), for figures where autocannon's whole-millisecond
// histogram would print 0.

export interface LatencyStats {
  count: number;
  /** µs */
  p50: number;
  /** µs */
  p99: number;
}

export function latencyStats(samplesUs: number[]): LatencyStats {
  if (samplesUs.length === 0) return { count: 0, p50: Number.NaN, p99: Number.NaN };
  const sorted = [...samplesUs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99) };
}

/** Times one call in µs. */
export async function timeUs(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) * 1000;
}

async function get(url: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
}

/** `connections` clients requesting `url` back to back for `durationMs`, each request timed. */
export async function measureLatency(opts: { url: string; headers?: Record<string, string>; connections: number; durationMs: number }): Promise<LatencyStats> {
  const samples: number[] = [];
  const warmUntil = performance.now() + 500;
  const until = warmUntil + opts.durationMs;
  await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      while (performance.now() < until) {
        const us = await timeUs(() => get(opts.url, opts.headers ?? {}));
        if (performance.now() > warmUntil) samples.push(us);
      }
    }),
  );
  return latencyStats(samples);
}

/** Requests `url` one at a time, `intervalMs` apart, while `running()`; returns each latency in µs. */
export async function sampleWhile(url: string, running: () => boolean, intervalMs: number): Promise<number[]> {
  const samples: number[] = [];
  while (running()) {
    samples.push(await timeUs(() => get(url, {})));
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return samples;
}

export function formatValue(value: number, unit: string): string {
  if (Number.isNaN(value)) return 'n/a';
  if (unit === 'µs') return `${Math.round(value).toLocaleString('en')} µs`;
  if (unit === 'ms') return `${Math.round(value).toLocaleString('en')} ms`;
  if (unit === 'req/s') return `${Math.round(value).toLocaleString('en')} req/s`;
  return `${Math.round(value).toLocaleString('en')}${unit ? ` ${unit}` : ''}`;
}
