import { describe, expect, it } from 'vitest';
import { SignInGate } from './sign-in-gate.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('SignInGate', () => {
  it('runs at most `concurrency` at once, queues up to the limit and refuses beyond it with auth.busy', async () => {
    const gate = new SignInGate(1, 1);
    const first = deferred();
    const running = gate.run(() => first.promise);
    const queued = gate.run(async () => 'second');
    await expect(gate.run(async () => 'third')).rejects.toMatchObject({ code: 'auth.busy' });
    first.resolve();
    await running;
    await expect(queued).resolves.toBe('second');
  });

  it('drops a waiter whose client went away: its place frees at once and its work never runs', async () => {
    const gate = new SignInGate(1, 1);
    const first = deferred();
    const running = gate.run(() => first.promise);
    const gone = new AbortController();
    let ran = false;
    const abandoned = gate.run(async () => {
      ran = true;
    }, gone.signal);
    expect(() => gate.assertOpen()).toThrow(); // the one queue place is taken
    gone.abort();
    await expect(abandoned).rejects.toMatchObject({ code: 'auth.busy' });
    expect(() => gate.assertOpen()).not.toThrow(); // and free again
    const next = gate.run(async () => 'next');
    first.resolve();
    await running;
    await expect(next).resolves.toBe('next');
    expect(ran).toBe(false);
  });

  it('refuses at once when the client is already gone', async () => {
    const gate = new SignInGate(2, 2);
    const gone = new AbortController();
    gone.abort();
    await expect(gate.run(async () => 'x', gone.signal)).rejects.toMatchObject({ code: 'auth.busy' });
  });
});
