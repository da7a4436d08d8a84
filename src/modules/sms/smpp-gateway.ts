// SMPP 3.4 adapter of the gateway: one transceiver bind (submissions out, receipts in), kept open and re-bound after
// a drop; at most `window` submit_sm awaiting their response and at most `ratePerSecond` sent; throttled / queue
// full / link lost / no answer are retried with exponential backoff; receipts are acknowledged once stored.
import smpp from 'smpp';
import type { SmsGateway, InboundSms, Receipt, SubmitRequest } from './gateway.ts';
import type { SmppSettings } from './smpp-sender.ts';
import { bindSession, unbindSession } from './smpp-link.ts';
import { ESM_RECEIPT, ESM_UDHI, MESSAGE_STATE } from './tlv.ts';
import { SmsError } from './types.ts';
import { DATA_CODING_UCS2, decodeUcs2 } from './ucs2.ts';

export interface SmppGatewaySettings extends SmppSettings {
  /** Most submit_sm awaiting a response at once (the SMS centre's window). Default 10. */
  window?: number;
  /** Most submit_sm per second. Default 1000. */
  ratePerSecond?: number;
  /** Attempts per segment before a temporary error is given up to the caller. Default 5. */
  maxAttempts?: number;
  /** First backoff; doubled per attempt, with jitter, capped at 5 s. Default 100 ms. */
  backoffMs?: number;
}

const TEMPORARY = new Set([smpp.ESME_RTHROTTLED, smpp.ESME_RMSGQFUL, smpp.ESME_RX_T_APPN, smpp.ESME_RSYSERR]);
const RECEIPT_BATCH = 500;
const RECEIPT_GATHER_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Handlers = Parameters<SmsGateway['listen']>[0];
interface Incoming {
  session: smpp.Session;
  pdu: smpp.PDU;
  receipt?: Receipt;
  inbound?: InboundSms;
}

function textOf(pdu: smpp.PDU): string {
  const field = pdu.message_payload ?? pdu.short_message ?? '';
  const raw = typeof field === 'string' || Buffer.isBuffer(field) ? field : field.message;
  return typeof raw === 'string' ? raw : pdu.data_coding === DATA_CODING_UCS2 ? decodeUcs2(raw) : raw.toString('latin1');
}

/** Reads a delivery receipt from its TLVs, falling back to the customary text (`id:… stat:DELIVRD …`). */
export function parseReceipt(pdu: smpp.PDU): Receipt | null {
  const text = textOf(pdu);
  const smscId = pdu.receipted_message_id ?? /\bid:(\S+)/.exec(text)?.[1];
  if (!smscId) return null;
  const stat = /\bstat:(\w+)/.exec(text)?.[1] ?? (pdu.message_state === MESSAGE_STATE.DELIVERED ? 'DELIVRD' : undefined);
  const delivered = pdu.message_state !== undefined ? pdu.message_state === MESSAGE_STATE.DELIVERED : stat === 'DELIVRD';
  if (!delivered && stat === 'ENROUTE') return null; // an intermediate notice, not the final state
  return { smscId, delivered, error: delivered ? null : (stat ?? `state ${pdu.message_state}`) };
}

export class SmppGateway implements SmsGateway {
  private bound: Promise<smpp.Session> | null = null;
  private readonly pending = new Set<(error: Error) => void>();
  private closed = false;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private nextSlotAt = 0;
  /** Set when the centre answers "throttled": every submission waits until then. */
  private pausedUntil = 0;
  private handlers: Handlers | null = null;
  private incoming: Incoming[] = [];
  private flushing = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(private readonly settings: SmppGatewaySettings) {}

  /** Binds now and stays bound (receipts arrive while idle), re-binding after a drop. */
  listen(handlers: Handlers): void {
    this.handlers = handlers;
    void this.session().catch(() => this.scheduleReconnect());
  }

  async submit(request: SubmitRequest): Promise<{ smscId: string }> {
    const maxAttempts = this.settings.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new SmsError('sms.closed', 'The SMS gateway is shut down.', true);
      try {
        return await this.submitOnce(request);
      } catch (error) {
        if (!(error instanceof SmsError) || !error.temporary || attempt >= maxAttempts) throw error;
        const wait = Math.min(5_000, (this.settings.backoffMs ?? 100) * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        if (error.code === 'sms.throttled') this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
        await sleep(wait);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const bound = this.bound;
    this.bound = null;
    const session = await bound?.catch(() => null);
    if (session) await unbindSession(session);
  }

  /** Waits for a place in the window and a slot in the rate. */
  private async slot(): Promise<void> {
    const window = this.settings.window ?? 10;
    while (this.inFlight >= window) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight += 1;
    const interval = 1000 / (this.settings.ratePerSecond ?? 1000);
    const now = Date.now();
    // a burst of one window is allowed, then the steady rate
    this.nextSlotAt = Math.max(this.nextSlotAt, now - interval * window, this.pausedUntil);
    const at = this.nextSlotAt;
    this.nextSlotAt += interval;
    if (at > now + 1) await sleep(at - now);
  }

  private release(): void {
    this.inFlight -= 1;
    this.waiting.shift()?.();
  }

  private async submitOnce({ to, segment, ref }: SubmitRequest): Promise<{ smscId: string }> {
    await this.slot();
    try {
      const session = await this.session();
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => settle(new SmsError('sms.timeout', 'The SMS centre did not answer the submission in time.', true)), this.settings.timeoutMs ?? 10_000);
        const settle = (error: Error | null, smscId?: string) => {
          clearTimeout(timer);
          this.pending.delete(settle);
          if (error) reject(error);
          else resolve({ smscId: smscId! });
        };
        this.pending.add(settle);
        const written = session.submit_sm(
          {
            source_addr: this.settings.sourceAddr,
            destination_addr: to,
            data_coding: DATA_CODING_UCS2,
            esm_class: segment.udh ? ESM_UDHI : 0,
            registered_delivery: 1,
            short_message: segment.udh ? Buffer.concat([segment.udh, segment.octets]) : segment.octets,
            govcloud_ref: ref,
          },
          (pdu) => {
            const status = pdu.command_status;
            if (status === smpp.ESME_ROK) return settle(null, String(pdu.message_id ?? ''));
            if (status === smpp.ESME_RTHROTTLED) return settle(new SmsError('sms.throttled', 'The SMS centre is throttling us.', true));
            if (TEMPORARY.has(status)) return settle(new SmsError('sms.busy', `The SMS centre cannot take the message now (status ${status}).`, true));
            settle(new SmsError('sms.rejected', `The SMS centre rejected the message (status 0x${status.toString(16)}).`));
          },
        );
        if (!written) settle(new SmsError('sms.link_lost', 'The connection to the SMS centre was lost.', true));
      });
    } finally {
      this.release();
    }
  }

  private session(): Promise<smpp.Session> {
    this.bound ??= this.bind().catch((error: unknown) => {
      this.bound = null;
      throw error instanceof SmsError ? new SmsError(error.code, error.message, true) : error;
    });
    return this.bound;
  }

  private scheduleReconnect(): void {
    if (this.closed || !this.handlers || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.session().catch(() => this.scheduleReconnect());
    }, 500);
    this.reconnectTimer.unref();
  }

  private bind(): Promise<smpp.Session> {
    return bindSession(this.settings, 'transceiver', { closed: (session) => this.lost(session), deliver: (session, pdu) => this.received(session, pdu) });
  }

  /** The link dropped: submissions awaiting a response fail as temporary, and the next one binds afresh. */
  private lost(session: smpp.Session): void {
    void this.bound?.then((current) => {
      if (current === session) this.bound = null;
    }, () => undefined);
    for (const settle of [...this.pending]) settle(new SmsError('sms.link_lost', 'The connection to the SMS centre was lost.', true));
    this.scheduleReconnect();
  }

  /** Receipts and inbound messages are collected briefly and stored in one go, then acknowledged. */
  private received(session: smpp.Session, pdu: smpp.PDU): void {
    const isReceipt = ((pdu.esm_class ?? 0) & 0x3c) === ESM_RECEIPT;
    const receipt = isReceipt ? parseReceipt(pdu) : null;
    if (isReceipt && !receipt) return void session.send(pdu.response());
    this.incoming.push(receipt ? { session, pdu, receipt } : { session, pdu, inbound: { from: pdu.source_addr ?? '', text: textOf(pdu) } });
    if (!this.flushing) {
      this.flushing = true;
      // a short wait gathers the receipts of a burst into one write
      setTimeout(() => void this.flush(), RECEIPT_GATHER_MS);
    }
  }

  private async flush(): Promise<void> {
    while (this.incoming.length > 0) {
      const batch = this.incoming.splice(0, RECEIPT_BATCH);
      let status = smpp.ESME_ROK;
      try {
        if (!this.handlers) throw new Error('no receipt handler');
        const receipts = batch.flatMap((b) => (b.receipt ? [b.receipt] : []));
        const inbound = batch.flatMap((b) => (b.inbound ? [b.inbound] : []));
        if (receipts.length > 0) await this.handlers.receipts(receipts);
        if (inbound.length > 0) await this.handlers.inbound(inbound);
      } catch {
        status = smpp.ESME_RX_T_APPN; // not stored: the centre sends it again
      }
      for (const { session, pdu } of batch) if (!session.socket.destroyed) session.send(pdu.response({ command_status: status }));
    }
    this.flushing = false;
  }
}
