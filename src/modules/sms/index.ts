// Public face of the SMS module: the service (services.sms), its manifest, the SMPP parts and the in-process SMS centre.
export type { SmsSender } from './types.ts';
export { SmsError } from './types.ts';
export { SmppSender, type SmppSettings } from './smpp-sender.ts';
export { SmppGateway, type SmppGatewaySettings } from './smpp-gateway.ts';
export type { SmsGateway, Receipt, SubmitRequest } from './gateway.ts';
export { LocalSmsc, type LocalSmscOptions, type ReceivedSms } from './local-smsc.ts';
export type { SmsChannel } from './channel.ts';
export { SmsService, DELIVER_TOPIC, DELIVER_MANY_TOPIC, SEND_MANY_MAX, type SendSms, type BulkSms, type QueuedSms } from './service.ts';
export type { BulkSourceRow } from './repository.ts';
export { segmentCount } from './segments.ts';
export { MOBILE } from './numbers.ts';
export { smsModule } from './module.ts';
