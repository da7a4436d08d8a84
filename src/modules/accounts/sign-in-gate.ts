// A cap on concurrent sign-in work (argon2 and its queries) per node: beyond it and a short queue, a fast 429.
import { DomainError } from '../../shared/errors.ts';

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
      throw new DomainError('auth.busy', 'rate_limited', 'The server is busy signing others in; try again in a moment.', undefined, { retryAfterSeconds: 1 });
    }
  }

  /** Runs the work when a turn is free; throws `auth.busy` when the queue is full too. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      this.assertOpen();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
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
