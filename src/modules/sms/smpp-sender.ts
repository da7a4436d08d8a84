// SMPP 3.4 client: bind_transmitter once, submit_sm per message (UCS-2), reconnect after the link drops.
import smpp from 'smpp';
import { DATA_CODING_UCS2, SHORT_MESSAGE_OCTETS, encodeUcs2 } from './ucs2.ts';
import { bindSession, unbindSession } from './smpp-link.ts';
import { SmsError, type SmsSender } from './types.ts';

export interface SmppSettings {
  host: string;
  port: number;
  systemId: string;
  password: string;
  /** The sender shown on the handset (a short code or a name the carrier registered). */
  sourceAddr: string;
  /** How long one bind or submit may take before it fails. Default 10 s. */
  timeoutMs?: number;
  /** enquire_link period that keeps an idle link open through NAT and carrier timeouts. Default 30 s. */
  enquireLinkMs?: number;
}

export class SmppSender implements SmsSender {
  private bound: Promise<smpp.Session> | null = null;
  private readonly pending = new Set<(error: Error) => void>();
  private closed = false;

  constructor(private readonly settings: SmppSettings) {}

  async send(to: string, text: string): Promise<{ messageId: string }> {
    if (this.closed) throw new SmsError('sms.closed', 'The SMS sender is shut down.');
    // A link that dropped since the last message is re-bound here; one retry covers a link that died idle.
    try {
      return await this.submit(await this.session(), to, text);
    } catch (error) {
      if (!(error instanceof SmsError) || error.code !== 'sms.link_lost') throw error;
      return this.submit(await this.session(), to, text);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const bound = this.bound;
    this.bound = null;
    const session = await bound?.catch(() => null);
    if (session) await unbindSession(session);
  }

  private session(): Promise<smpp.Session> {
    this.bound ??= this.bind().catch((error: unknown) => {
      this.bound = null;
      throw error;
    });
    return this.bound;
  }

  private bind(): Promise<smpp.Session> {
    return bindSession(this.settings, 'transmitter', { closed: (session) => this.lost(session) });
  }

  /** The link dropped: messages awaiting a response fail, and the next send binds afresh. */
  private lost(session: smpp.Session): void {
    void this.bound?.then((current) => {
      if (current === session) this.bound = null;
    }, () => undefined);
    for (const reject of this.pending) reject(new SmsError('sms.link_lost', 'The connection to the SMSC was lost.'));
    this.pending.clear();
  }

  private submit(session: smpp.Session, to: string, text: string): Promise<{ messageId: string }> {
    const octets = encodeUcs2(text);
    // Beyond one segment the text goes in the message_payload TLV, which SMPP 3.4 allows up to 64 KiB.
    const body = octets.length <= SHORT_MESSAGE_OCTETS ? { short_message: octets } : { message_payload: octets };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new SmsError('sms.timeout', 'The SMSC did not answer the submission in time.')), this.timeoutMs);
      const settle = (error: Error | null, messageId?: string) => {
        clearTimeout(timer);
        this.pending.delete(onLost);
        if (error) reject(error);
        else resolve({ messageId: messageId! });
      };
      const onLost = (error: Error) => settle(error);
      this.pending.add(onLost);
      const written = session.submit_sm(
        { source_addr: this.settings.sourceAddr, destination_addr: to, data_coding: DATA_CODING_UCS2, registered_delivery: 0, ...body },
        (pdu) => {
          if (pdu.command_status !== smpp.ESME_ROK) settle(new SmsError('sms.rejected', `The SMSC rejected the message (status ${pdu.command_status}).`));
          else settle(null, String(pdu.message_id ?? ''));
        },
      );
      if (!written) settle(new SmsError('sms.link_lost', 'The connection to the SMSC was lost.'));
    });
  }

  private get timeoutMs(): number {
    return this.settings.timeoutMs ?? 10_000;
  }
}
