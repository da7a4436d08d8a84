// The load generator of the benches (bench/exchange.ts, bench/publicity.ts) in a process of its own, so that it shares
// neither the event loop nor the process (heap, GC, libuv) with the servers it measures. Reads its options as JSON
// from LOAD_OPTIONS or, when that is unset, from stdin (a thousand requests with their own headers are too long for
// an environment variable) and prints its result as one JSON line on stdout: autocannon's result, or for
// `{ sequential: … }` the latency of each request made one at a time on one kept-alive connection, in ms with
// fractions (autocannon's histogram counts whole milliseconds, too coarse for a lookup alone).
import http from 'node:http';
import { text } from 'node:stream/consumers';
import autocannon from 'autocannon';

export interface SequentialOptions {
  sequential: { url: string; count: number; requests: { path: string; headers?: Record<string, string> }[] };
}

const options = JSON.parse(process.env.LOAD_OPTIONS ?? (await text(process.stdin))) as autocannon.Options | SequentialOptions;

if ('sequential' in options) {
  const { url, count, requests } = options.sequential;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const request = requests[i % requests.length]!;
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get(new URL(request.path, url), { agent, headers: request.headers ?? {} }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject);
    });
    latencies.push(performance.now() - started);
    statuses.push(status);
  }
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ latencies, non2xx: statuses.filter((s) => s < 200 || s >= 300).length })}\n`);
} else {
  const result = await autocannon(options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
