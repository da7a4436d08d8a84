// The load generator of bench/exchange.ts in a process of its own, so that it shares neither the event loop nor the
// process (heap, GC, libuv) with the servers it measures: runs autocannon with the options in LOAD_OPTIONS (JSON)
// and prints its result as one JSON line on stdout.
import autocannon from 'autocannon';

const options = JSON.parse(process.env.LOAD_OPTIONS ?? '{}') as autocannon.Options;
const result = await autocannon(options);
process.stdout.write(`${JSON.stringify(result)}\n`);
