// A cap on concurrent sign-in work (argon2 and its queries) per node: beyond it and a short queue, a fast 429.
import { DomainError } from '../../shared/errors.ts';

const busy = (message: string) => new DomainError('auth.busy', 'rate_limited', message, undefined, { retryAfterSeconds: 1 });

/** The client went away while its sign-in waited for a turn: no work is done, and the answer (auth.busy) reaches nobody. */
const abandonedError = () => busy('The client closed the connection before its sign-in had a turn.');

export class SignInGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    /** Sign-ins processed at once. */
    private readonly concurrency: number,
    /** Sign-ins that may wait for a turn; more are refused at once. */
    private readonly queueLength: number,
  ) {}

  /** Throws `auth.busy` (429, Retry-After) when every turn is taken and the queue is full: before reading a request body. */
  assertOpen(): void {
    if (this.running >= this.concurrency && this.waiting.length >= this.queueLength) {
      throw busy('The server is busy signing others in; try again in a moment.');
    }
  }

  /**
   * Runs the work when a turn is free; throws `auth.busy` when the queue is full too. A waiter whose `abandoned` signal
   * fires (its client disconnected) leaves the queue at once and its work never runs, so clients that give up during a
   * storm do not hold queue places or cost password hashes.
   */
  async run<T>(work: () => Promise<T>, abandoned?: AbortSignal): Promise<T> {
    if (abandoned?.aborted) throw abandonedError();
    if (this.running >= this.concurrency) {
      this.assertOpen();
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          abandoned?.removeEventListener('abort', leave);
          resolve();
        };
        const leave = () => {
          const at = this.waiting.indexOf(turn);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(abandonedError());
        };
        this.waiting.push(turn);
        abandoned?.addEventListener('abort', leave, { once: true });
      });
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the turn passes straight on, so `running` stays the same
      else this.running--;
    }
  }
}
