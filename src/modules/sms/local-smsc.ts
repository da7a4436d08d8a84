// An SMS centre in-process (the SMPP server side of the same package): tests talk to it over loopback, and the demo
// uses it when no carrier is configured, keeping what each number received so the sign-in flow can be followed.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { DATA_CODING_UCS2, decodeUcs2 } from './ucs2.ts';

export interface ReceivedSms {
  messageId: string;
  from: string;
  to: string;
  text: string;
  at: Date;
}

export interface LocalSmscOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** When set, binds with another system id or password are refused. */
  systemId?: string;
  password?: string;
  /** Called for every accepted message (the demo prints it). */
  onMessage?: (message: ReceivedSms) => void;
}

const KEPT_PER_NUMBER = 50;

function payloadOf(pdu: smpp.PDU): Buffer | string {
  const field = pdu.message_payload ?? pdu.short_message ?? '';
  return typeof field === 'string' || Buffer.isBuffer(field) ? field : field.message;
}

export class LocalSmsc {
  private readonly inbox = new Map<string, ReceivedSms[]>();
  private readonly waiters = new Set<(message: ReceivedSms) => void>();
  private sequence = 0;

  private readonly server: smpp.Server;

  private constructor(private readonly options: LocalSmscOptions) {
    this.server = smpp.createServer((session) => this.serve(session));
  }

  static async start(options: LocalSmscOptions = {}): Promise<LocalSmsc> {
    const smsc = new LocalSmsc(options);
    smsc.server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    await once(smsc.server, 'listening');
    return smsc;
  }

  get host(): string {
    return (this.server.address() as AddressInfo).address;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Messages a number received, oldest first (the last 50). */
  received(to: string): ReceivedSms[] {
    return [...(this.inbox.get(to) ?? [])];
  }

  /** The next message to `to` that arrives from now on. */
  next(to: string, timeoutMs = 5_000): Promise<ReceivedSms> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`No SMS to ${to} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (message: ReceivedSms) => {
        if (message.to !== to) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(message);
      };
      this.waiters.add(waiter);
    });
  }

  /** Cuts every client connection, as a carrier restart would. */
  dropConnections(): void {
    for (const session of [...this.server.sessions]) session.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(session: smpp.Session): void {
    let bound = false;
    session.on('error', () => session.destroy());
    session.on('bind_transmitter', (pdu: smpp.PDU) => {
      const { systemId, password } = this.options;
      if ((systemId !== undefined && pdu.system_id !== systemId) || (password !== undefined && pdu.password !== password)) {
        session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
        session.close();
        return;
      }
      bound = true;
      session.send(pdu.response({ system_id: 'govcloud-local' }));
    });
    session.on('submit_sm', (pdu: smpp.PDU) => {
      if (!bound) return void session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
      const to = pdu.destination_addr ?? '';
      if (!/^\+?\d{5,20}$/.test(to)) return void session.send(pdu.response({ command_status: smpp.ESME_RINVDSTADR }));
      const payload = payloadOf(pdu);
      const text = typeof payload === 'string' ? payload : pdu.data_coding === DATA_CODING_UCS2 ? decodeUcs2(payload) : payload.toString('latin1');
      const message: ReceivedSms = { messageId: `L${(++this.sequence).toString().padStart(8, '0')}`, from: pdu.source_addr ?? '', to, text, at: new Date() };
      const kept = this.inbox.get(to) ?? [];
      kept.push(message);
      this.inbox.set(to, kept.slice(-KEPT_PER_NUMBER));
      session.send(pdu.response({ message_id: message.messageId }));
      this.options.onMessage?.(message);
      for (const waiter of [...this.waiters]) waiter(message);
    });
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
  }
}
