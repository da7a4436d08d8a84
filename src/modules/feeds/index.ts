// Public face of the feeds module: change-feed subscriptions (pull and signed webhooks) and the receiver's check.
export { feedsModule } from './module.ts';
export { FeedsService, COMMITTED_TOPIC, DELIVER_TOPIC, type CommittedEvent, type Subscription } from './service.ts';
export { verifyWebhookSignature, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, type SignatureCheck } from './signature.ts';
export type { WebhookAlgorithm, SubscriptionStatus } from './tables.ts';
