// A long-lived `virsh` shell per libvirt URI (D92): commands are fed on stdin one at a time, each followed by two
// sentinels (`echo MARK` on stdout, `echo --err MARK` on stderr), so the output and the errors of each command are
// told apart without a TTY. One process per URI keeps the connection open, which `test:///default` needs (its state
// lives only inside one connection) and which spares qemu:/// a connection handshake per call.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';

const STDBUF = '/usr/bin/stdbuf';
const PROMPT = 'virsh # ';

export interface VirshResult {
  ok: boolean;
  /** Standard output of the command, without virsh's prompt and echo. */
  out: string;
  /** Its error lines ("error: …" prefixes removed), empty when it succeeded. */
  err: string;
}

/** Raised when virsh cannot run or does not answer in time: the driver maps it to `unreachable`. */
export class VirshUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VirshUnavailable';
  }
}

interface Pending {
  mark: string;
  /** The command line as sent, to drop virsh's echo of it. */
  cmd: string;
  echoed: boolean;
  lines: string[];
  resolve: (r: VirshResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Quotes one argument for virsh's shell parser (single quotes; a quote itself closes, escapes and reopens). */
export function quoteArg(arg: string): string {
  if (/^[A-Za-z0-9_.,:/=@+-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export class VirshShell {
  private child: ChildProcessWithoutNullStreams | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | null = null;
  private stdout = '';
  private stderr = '';
  private outDone = false;
  private errDone = false;
  private errLines: string[] = [];
  private seq = 0;
  private readonly tag = randomBytes(4).toString('hex');

  constructor(
    readonly uri: string,
    private readonly options: { binary?: string; timeoutMs: number },
  ) {}

  /** Runs one virsh command (arguments quoted here); calls on one shell run one after another. */
  run(args: readonly string[], timeoutMs = this.options.timeoutMs): Promise<VirshResult> {
    const next = this.queue.then(() => this.exec(args, timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the virsh process (the next call starts a new one). */
  close(): void {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null) {
      child.stdin.end('quit\n');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 2000).unref();
    }
  }

  private ensure(): ChildProcessWithoutNullStreams {
    if (this.child && this.child.exitCode === null && !this.child.killed) return this.child;
    // virsh's stdout is block-buffered on a pipe: stdbuf (coreutils) makes it line-buffered so each answer arrives
    const virsh = [this.options.binary ?? 'virsh', '-q', '-c', this.uri];
    const argv = existsSync(STDBUF) ? [STDBUF, '-oL', '-eL', ...virsh] : virsh;
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.stdout = '';
    this.stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr.on('data', (chunk: string) => this.onStderr(chunk));
    const fail = (message: string) => {
      if (this.child === child) this.child = null;
      const p = this.pending;
      if (p) {
        this.pending = null;
        clearTimeout(p.timer);
        p.reject(new VirshUnavailable(message));
      }
    };
    child.on('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ENOENT' ? 'virsh is not installed on this server (Debian: apt-get install libvirt-clients)' : `virsh could not run: ${e.message}`));
    child.on('exit', (code, signal) => fail(code === 127 ? `${this.options.binary ?? 'virsh'} is not installed on this server (Debian: apt-get install libvirt-clients)` : `virsh exited (${signal ?? code}) for ${this.uri}${this.errLines.length ? `: ${this.errLines.join('; ')}` : ''}`));
    child.stdin.on('error', () => undefined);
    // an idle shell does not keep the process alive (a command in flight does, through its timer)
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    this.child = child;
    return child;
  }

  private exec(args: readonly string[], timeoutMs: number): Promise<VirshResult> {
    return new Promise<VirshResult>((resolve, reject) => {
      let child: ChildProcessWithoutNullStreams;
      try {
        child = this.ensure();
      } catch (e) {
        reject(new VirshUnavailable(`virsh could not run: ${(e as Error).message}`));
        return;
      }
      const mark = `__gc_${this.tag}_${++this.seq}__`;
      this.outDone = false;
      this.errDone = false;
      this.errLines = [];
      const timer = setTimeout(() => {
        if (this.pending?.mark !== mark) return;
        this.pending = null;
        // a shell that does not answer is dropped: the next call starts afresh
        if (this.child === child) this.child = null;
        child.kill('SIGKILL');
        reject(new VirshUnavailable(`virsh did not answer within ${timeoutMs} ms (${args[0]} on ${this.uri})`));
      }, timeoutMs);
      const line = args.map(quoteArg).join(' ');
      this.pending = { mark, cmd: line, echoed: false, lines: [], resolve, reject, timer };
      child.stdin.write(`${line}\necho --err ${mark}\necho ${mark}\n`);
    });
  }

  private onStdout(chunk: string): void {
    this.stdout += chunk;
    for (;;) {
      // virsh prints its prompt and echoes each command when stdin is not a terminal; with -q the output of `echo`
      // ends without a newline, straight into the next prompt
      while (this.stdout.startsWith(PROMPT)) this.stdout = this.stdout.slice(PROMPT.length);
      const p = this.pending;
      if (p && this.stdout.startsWith(p.mark)) {
        this.stdout = this.stdout.slice(p.mark.length).replace(/^\n/, '');
        this.outDone = true;
        this.settle();
        continue;
      }
      const nl = this.stdout.indexOf('\n');
      if (nl < 0) return;
      const line = this.stdout.slice(0, nl);
      this.stdout = this.stdout.slice(nl + 1);
      if (!p) continue;
      if (!p.echoed && line === p.cmd) p.echoed = true;
      else if (line !== `echo --err ${p.mark}` && line !== `echo ${p.mark}`) p.lines.push(line);
    }
  }

  private onStderr(chunk: string): void {
    this.stderr += chunk;
    let nl: number;
    while ((nl = this.stderr.indexOf('\n')) >= 0) {
      const line = this.stderr.slice(0, nl).replace(/^error: /, '');
      this.stderr = this.stderr.slice(nl + 1);
      const p = this.pending;
      if (p && line === p.mark) {
        this.errDone = true;
        this.settle();
      } else if (line.trim() !== '') this.errLines.push(line.trim());
    }
  }

  private settle(): void {
    const p = this.pending;
    if (!p || !this.outDone || !this.errDone) return;
    this.pending = null;
    clearTimeout(p.timer);
    const lines = p.lines;
    const err = this.errLines.join('\n');
    p.resolve({ ok: err === '', out: lines.join('\n').trim(), err });
  }
}
