// The load generator of the benches (bench/exchange.ts, bench/publicity.ts) in a process of its own, so that it shares
// neither the event loop nor the process (heap, GC, libuv) with the servers it measures: runs autocannon with the
// options in LOAD_OPTIONS (JSON) or, when that is unset, read as JSON from stdin (a thousand requests with their own
// headers are too long for an environment variable), and prints its result as one JSON line on stdout.
import { text } from 'node:stream/consumers';
import autocannon from 'autocannon';

const options = JSON.parse(process.env.LOAD_OPTIONS ?? (await text(process.stdin))) as autocannon.Options;
const result = await autocannon(options);
process.stdout.write(`${JSON.stringify(result)}\n`);
