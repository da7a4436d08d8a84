// The contract every SMS channel meets, and its error.

/** Sends one text message to one mobile number. */
export interface SmsSender {
  send(to: string, text: string): Promise<{ messageId: string }>;
}

/** A message could not be handed to the SMS centre; `code` is stable (`sms.unreachable`, `sms.rejected`, …). */
export class SmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Worth trying again later (throttled, queue full, link lost, no answer); otherwise the SMS centre refused it. */
    readonly temporary = false,
  ) {
    super(message);
    this.name = 'SmsError';
  }
}
