// Public face of the SMS module: the sender contract, the SMPP 3.4 client and the in-process SMS centre.
export type { SmsSender } from './types.ts';
export { SmsError } from './types.ts';
export { SmppSender, type SmppSettings } from './smpp-sender.ts';
export { LocalSmsc, type LocalSmscOptions, type ReceivedSms } from './local-smsc.ts';
