// Progress display for long CLI operations: a bar on a terminal, a few plain lines otherwise.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progress(label: string): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label.padEnd(28)} {bar} {percentage}% | {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.setTotal(total);
        bar.update(done);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastPercent = -1;
  return {
    update(done, total) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 4) * 25;
      if (percent !== lastPercent) {
        lastPercent = percent;
        process.stderr.write(`${label}: ${done}/${total} (${percent}%)\n`);
      }
    },
    stop() {},
  };
}
