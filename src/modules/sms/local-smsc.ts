// An SMS centre in-process (the SMPP server side of the same package): tests talk to it over loopback, and the demo
// uses it when no carrier is configured, keeping what each number received so the flow can be followed. Like a
// carrier's it reassembles concatenated messages, sends delivery receipts to transceiver/receiver binds (kept until
// one is bound and acknowledges them), can answer "throttled", and accepts a segment whose idempotency key
// (the govcloud_ref parameter) it has seen once only.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { parseConcatUdh } from './segments.ts';
import { ESM_RECEIPT, ESM_UDHI, MESSAGE_STATE } from './tlv.ts';
import { DATA_CODING_UCS2, decodeUcs2, encodeUcs2 } from './ucs2.ts';

export interface ReceivedSms {
  messageId: string;
  from: string;
  to: string;
  text: string;
  at: Date;
  /** How many segments it came in. */
  segments: number;
}

export interface LocalSmscOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** When set, binds with another system id or password are refused. */
  systemId?: string;
  password?: string;
  /** Called for every accepted (reassembled) message (the demo prints it). */
  onMessage?: (message: ReceivedSms) => void;
  /** The final state reported for a number (default DELIVRD for every number). */
  receiptFor?: (to: string) => 'DELIVRD' | 'UNDELIV';
  /** Answer each submit_sm this late (lets tests see how many a client keeps in flight). */
  responseDelayMs?: number;
}

export interface SmscStats {
  /** submit_sm PDUs received, including refused and repeated ones. */
  submits: number;
  /** Segments accepted once each. */
  accepted: number;
  /** Segments sent again under an idempotency key already accepted (answered with the first message id). */
  duplicates: number;
  /** Most submit_sm awaiting their response at one time. */
  maxInFlight: number;
}

interface PendingReceipt {
  smscId: string;
  to: string;
  from: string;
  stat: 'DELIVRD' | 'UNDELIV';
  sending: smpp.Session | null;
}

const KEPT_PER_NUMBER = 50;
/** Idempotency keys remembered (the oldest are forgotten first): bounds a long-running demo's memory. */
const KEYS_KEPT = 200_000;

function payloadOf(pdu: smpp.PDU): { udh: Buffer | null; text: string } {
  const field = pdu.message_payload ?? pdu.short_message ?? '';
  const udh = typeof field === 'object' && !Buffer.isBuffer(field) && 'udh' in field ? (field as { udh?: Buffer[] }).udh : undefined;
  const raw = typeof field === 'string' || Buffer.isBuffer(field) ? field : field.message;
  const text = typeof raw === 'string' ? raw : pdu.data_coding === DATA_CODING_UCS2 ? decodeUcs2(raw) : raw.toString('latin1');
  return { udh: udh?.[0] ? Buffer.concat([Buffer.from([udh[0].length]), ...udh]) : null, text };
}

const receiptDate = (at: Date) => at.toISOString().replace(/\D/g, '').slice(2, 12);

export class LocalSmsc {
  private readonly inbox = new Map<string, ReceivedSms[]>();
  private readonly waiters = new Set<(message: ReceivedSms) => void>();
  private readonly refs = new Map<string, string>();
  private readonly parts = new Map<string, { texts: string[]; got: number; firstId: string }>();
  private readonly receivers = new Set<smpp.Session>();
  private readonly receipts = new Set<PendingReceipt>();
  private readonly refusals: number[] = [];
  /** Ids are unique per instance, so a restarted demo's receipts never match an older message's segment. */
  private readonly idPrefix = `L${randomBytes(3).toString('hex')}`;
  private sequence = 0;
  private inFlight = 0;
  readonly stats: SmscStats = { submits: 0, accepted: 0, duplicates: 0, maxInFlight: 0 };

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

  /** Every number that received something, with its messages (newest number first). */
  inboxes(): { number: string; messages: ReceivedSms[] }[] {
    return [...this.inbox.entries()]
      .map(([number, messages]) => ({ number, messages: [...messages] }))
      .sort((a, b) => b.messages.at(-1)!.at.getTime() - a.messages.at(-1)!.at.getTime());
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

  /** The next `count` submit_sm are answered with `status` (e.g. ESME_RTHROTTLED) and not accepted. */
  refuseNext(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.refusals.push(status);
  }

  /** A handset's reply (e.g. "TD") passed to a bound receiver; resolves with the receiver's answer status. */
  reply(from: string, to: string, text: string): Promise<number> {
    const session = [...this.receivers][0];
    if (!session) return Promise.reject(new Error('No receiver is bound.'));
    return new Promise((resolve) => {
      session.deliver_sm({ source_addr: from, destination_addr: to, esm_class: 0, data_coding: DATA_CODING_UCS2, short_message: encodeUcs2(text) }, (resp) => resolve(resp.command_status));
    });
  }

  /** Receipts not yet acknowledged by a client. */
  get pendingReceipts(): number {
    return this.receipts.size;
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
    session.on('close', () => {
      this.receivers.delete(session);
      for (const r of this.receipts) if (r.sending === session) r.sending = null;
    });
    const bind = (receives: boolean) => (pdu: smpp.PDU) => {
      const { systemId, password } = this.options;
      if ((systemId !== undefined && pdu.system_id !== systemId) || (password !== undefined && pdu.password !== password)) {
        session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
        session.close();
        return;
      }
      bound = true;
      session.send(pdu.response({ system_id: 'govcloud-local' }));
      if (receives) {
        this.receivers.add(session);
        this.pumpReceipts();
      }
    };
    session.on('bind_transmitter', bind(false));
    session.on('bind_transceiver', bind(true));
    session.on('bind_receiver', bind(true));
    session.on('submit_sm', (pdu: smpp.PDU) => {
      if (!bound) return void session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
      this.stats.submits += 1;
      this.inFlight += 1;
      this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
      const answer = (fields: Record<string, unknown>) => {
        const send = () => {
          this.inFlight -= 1;
          if (!session.socket.destroyed) session.send(pdu.response(fields));
        };
        if (this.options.responseDelayMs) setTimeout(send, this.options.responseDelayMs);
        else send();
      };
      const refusal = this.refusals.shift();
      if (refusal !== undefined) return answer({ command_status: refusal });
      const to = pdu.destination_addr ?? '';
      if (!/^\+?\d{5,20}$/.test(to)) return answer({ command_status: smpp.ESME_RINVDSTADR });
      const ref = pdu.govcloud_ref;
      const seen = ref ? this.refs.get(ref) : undefined;
      if (seen !== undefined) {
        this.stats.duplicates += 1;
        return answer({ message_id: seen });
      }
      const smscId = `${this.idPrefix}${(++this.sequence).toString(36).padStart(6, '0')}`;
      if (ref) {
        this.refs.set(ref, smscId);
        if (this.refs.size > KEYS_KEPT) this.refs.delete(this.refs.keys().next().value!);
      }
      this.stats.accepted += 1;
      answer({ message_id: smscId });
      this.accept(pdu, smscId);
      if ((pdu.registered_delivery ?? 0) & 1) {
        this.receipts.add({ smscId, to, from: pdu.source_addr ?? '', stat: this.options.receiptFor?.(to) ?? 'DELIVRD', sending: null });
        this.pumpReceipts();
      }
    });
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
  }

  /** Keeps a segment; once every segment of a message is in, the message is delivered to the number's inbox. */
  private accept(pdu: smpp.PDU, smscId: string): void {
    const to = pdu.destination_addr ?? '';
    const from = pdu.source_addr ?? '';
    const { udh, text } = payloadOf(pdu);
    const concat = udh && (pdu.esm_class ?? 0) & ESM_UDHI ? parseConcatUdh(udh) : null;
    if (!concat || concat.total <= 1) return this.deliver({ messageId: smscId, from, to, text, at: new Date(), segments: 1 });
    const key = `${from}>${to}#${concat.reference}/${concat.total}`;
    const entry = this.parts.get(key) ?? { texts: new Array<string>(concat.total).fill(''), got: 0, firstId: smscId };
    if (entry.texts[concat.seq - 1] === '') entry.got += 1;
    entry.texts[concat.seq - 1] = text;
    if (concat.seq === 1) entry.firstId = smscId;
    this.parts.set(key, entry);
    if (entry.got < concat.total) return;
    this.parts.delete(key);
    this.deliver({ messageId: entry.firstId, from, to, text: entry.texts.join(''), at: new Date(), segments: concat.total });
  }

  private deliver(message: ReceivedSms): void {
    const kept = this.inbox.get(message.to) ?? [];
    kept.push(message);
    this.inbox.set(message.to, kept.slice(-KEPT_PER_NUMBER));
    this.options.onMessage?.(message);
    for (const waiter of [...this.waiters]) waiter(message);
  }

  /** Sends every unsent receipt to a bound receiver; one that is refused or whose link drops is sent again. */
  private pumpReceipts(): void {
    const session = [...this.receivers][0];
    if (!session) return;
    for (const receipt of this.receipts) {
      if (receipt.sending) continue;
      receipt.sending = session;
      const now = new Date();
      const delivered = receipt.stat === 'DELIVRD';
      session.deliver_sm(
        {
          source_addr: receipt.to,
          destination_addr: receipt.from,
          esm_class: ESM_RECEIPT,
          short_message: `id:${receipt.smscId} sub:001 dlvrd:${delivered ? '001' : '000'} submit date:${receiptDate(now)} done date:${receiptDate(now)} stat:${receipt.stat} err:${delivered ? '000' : '001'} text:`,
          receipted_message_id: receipt.smscId,
          message_state: delivered ? MESSAGE_STATE.DELIVERED : MESSAGE_STATE.UNDELIVERABLE,
        },
        (resp) => {
          if (resp.command_status === smpp.ESME_ROK) {
            this.receipts.delete(receipt);
            return;
          }
          receipt.sending = null;
          setTimeout(() => this.pumpReceipts(), 200).unref();
        },
      );
    }
  }
}
