// The gateway contract the SMS service sends through. The SMPP 3.4 adapter (smpp-gateway.ts) is the one in use; an
// HTTP API of a cloud SMS provider would be another implementation of the same three methods.
import type { Segment } from './segments.ts';

export interface SubmitRequest {
  to: string;
  segment: Segment;
  /** Idempotency key of this segment, `<message id>:<seq>`: the same on every retry. */
  ref: string;
}

/** A delivery receipt: the SMS centre's final word on one segment. */
export interface Receipt {
  smscId: string;
  delivered: boolean;
  /** The receipt's stat (UNDELIV, EXPIRED, REJECTD …) when not delivered. */
  error: string | null;
}

/** A message a handset sent to our number (e.g. "TD" to unsubscribe). */
export interface InboundSms {
  from: string;
  text: string;
}

export interface SmsGateway {
  /**
   * Hands one segment to the SMS centre and returns the centre's id for it. Temporary trouble (throttled, queue
   * full, link lost) is retried inside with backoff; what remains throws an SmsError whose `temporary` says whether
   * a later attempt may succeed.
   */
  submit(request: SubmitRequest): Promise<{ smscId: string }>;
  /**
   * Where receipts and inbound messages go. The gateway acknowledges them to the SMS centre only once the returned
   * promise resolves, so one that was not stored is sent again by the centre.
   */
  listen(handlers: { receipts(receipts: Receipt[]): Promise<void>; inbound(messages: InboundSms[]): Promise<void> }): void;
  close(): Promise<void>;
}
