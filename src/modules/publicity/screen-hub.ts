// The big screen's live feed on one node (D81): while at least one screen is connected, the node re-reads the figures
// every pollMs (a handful of index-served queries) and pushes them to every connected screen when they changed. Each
// node polls for itself, so a change committed through any node reaches the screens of all nodes within one period,
// with no cross-node channel; 200 screens on a node cost one read per period, not 200.
import type { ServerResponse } from 'node:http';

export interface HubOptions {
  pollMs: number;
  maxStreams: number;
  /** Comment lines keep proxies from closing an idle stream. */
  heartbeatMs?: number;
  onError?: (error: unknown) => void;
}

export class ScreenHub<T extends object> {
  private readonly streams = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private last: string | undefined;
  private version = 0;
  private reading: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly options: HubOptions,
  ) {}

  get connected(): number {
    return this.streams.size;
  }

  /** Whether another stream may be opened on this node. */
  hasRoom(): boolean {
    return this.streams.size < this.options.maxStreams;
  }

  /** Takes over a response as an event stream: the current figures at once, then each change. */
  async add(res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    this.streams.add(res);
    res.on('close', () => this.remove(res));
    this.startTimers();
    if (this.last === undefined) await this.refresh();
    else res.write(this.frame(this.last));
  }

  /** A change is known to have happened (an outbox event on this node): read now rather than at the next period. */
  changed(): void {
    if (this.streams.size > 0) void this.refresh();
  }

  /** Ends every stream (the server is closing) and stops polling. */
  close(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
    this.stopTimers();
  }

  private remove(res: ServerResponse): void {
    this.streams.delete(res);
    if (this.streams.size === 0) this.stopTimers();
  }

  private startTimers(): void {
    this.timer ??= setInterval(() => void this.refresh(), this.options.pollMs);
    this.heartbeat ??= setInterval(() => this.broadcast(': ping\n\n'), this.options.heartbeatMs ?? 15_000);
  }

  private stopTimers(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    this.timer = this.heartbeat = undefined;
    this.last = undefined;
  }

  /** One read at a time; a request during a read runs once more after it, so no change is missed. */
  private refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        try {
          const json = JSON.stringify(await this.load());
          if (json !== this.last) {
            this.last = json;
            this.version++;
            this.broadcast(this.frame(json));
          }
        } catch (error) {
          this.options.onError?.(error);
        }
      } while (this.again);
    })().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private frame(json: string): string {
    return `id: ${this.version}\nevent: snapshot\ndata: ${json}\n\n`;
  }

  private broadcast(text: string): void {
    for (const res of this.streams) res.write(text);
  }
}
