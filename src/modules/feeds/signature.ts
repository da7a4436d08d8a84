// Webhook signatures: HMAC (SHA-256 or SM3) over "<unix timestamp>.<body>", so a receiver can check who sent a body
// and refuse a replayed one. verifyWebhookSignature is what a receiver runs (docs/feeds.md).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { WebhookAlgorithm } from './tables.ts';

export const SIGNATURE_HEADER = 'x-govcloud-signature';
export const TIMESTAMP_HEADER = 'x-govcloud-timestamp';

const HASH: Readonly<Record<WebhookAlgorithm, string>> = { 'hmac-sha256': 'sha256', 'sm3-hmac': 'sm3' };

/** A fresh signing secret (256 random bits), shown to the subscriber once. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `<alg>=<hex>`: the HMAC of `<timestamp>.<body>` under the secret. */
export function signWebhook(input: { body: string; timestamp: number; secret: string; algorithm: WebhookAlgorithm }): string {
  const mac = createHmac(HASH[input.algorithm], input.secret).update(`${input.timestamp}.${input.body}`, 'utf8').digest('hex');
  return `${input.algorithm}=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'malformed' | 'algorithm' | 'stale' | 'mismatch' };

/**
 * Checks a delivery as a receiver should: the header names the expected algorithm, the timestamp lies within
 * `toleranceSeconds` of now (either way: replays of old deliveries fail), and the MAC matches (constant-time).
 * `timestamp` and `signature` are the X-GovCloud-Timestamp and X-GovCloud-Signature headers as received; `body` is
 * the raw request body, byte for byte as received (not re-serialised JSON).
 */
export function verifyWebhookSignature(input: {
  body: string | Buffer;
  timestamp: string | number | undefined;
  signature: string | undefined;
  secret: string;
  algorithm: WebhookAlgorithm;
  now?: Date;
  toleranceSeconds?: number;
}): SignatureCheck {
  const { signature, secret, algorithm } = input;
  const tolerance = input.toleranceSeconds ?? 300;
  const stamp = typeof input.timestamp === 'number' ? input.timestamp : /^\d{1,12}$/.test(input.timestamp ?? '') ? Number(input.timestamp) : NaN;
  if (!Number.isSafeInteger(stamp) || typeof signature !== 'string') return { ok: false, reason: 'malformed' };
  const match = /^([a-z0-9-]+)=([0-9a-f]+)$/.exec(signature);
  if (!match) return { ok: false, reason: 'malformed' };
  if (match[1] !== algorithm || !(algorithm in HASH)) return { ok: false, reason: 'algorithm' };
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - stamp) > tolerance) return { ok: false, reason: 'stale' };
  const body = typeof input.body === 'string' ? input.body : input.body.toString('utf8');
  const expected = Buffer.from(signWebhook({ body, timestamp: stamp, secret, algorithm }).slice(algorithm.length + 1), 'hex');
  const given = Buffer.from(match[2]!, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
