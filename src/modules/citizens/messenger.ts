// How a one-time code reaches the citizen's phone: the one place that knows the SMS channel.
// Today the code goes straight to the SmsSender (ModuleDeps.sms) after the code row is committed; when the SMS
// service (services.sms.send(trx, …) through the outbox) is on main, this function queues it in the same transaction
// instead, and nothing else in the module changes.
import { DomainError } from '../../shared/errors.ts';
import type { SmsSender } from '../sms/index.ts';

export type CodeMessenger = (to: string, text: string) => Promise<{ messageId: string }>;

export function smsCodeMessenger(sms: SmsSender | undefined): CodeMessenger {
  return async (to, text) => {
    if (!sms) throw new DomainError('sms.unavailable', 'unavailable', 'No SMS channel is configured, so no code can be sent.');
    return sms.send(to, text);
  };
}
