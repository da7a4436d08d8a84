// Sign-in captchas: an SVG image drawn by svg-captcha; only a hash of the answer is stored, so any node can check it.
import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import svgCaptcha from 'svg-captcha';
import type { Db } from './repository.ts';

export const CAPTCHA_TTL_MS = 5 * 60_000;
const CAPTCHA_LENGTH = 4;
/** Upper-case letters and digits without the look-alikes 0/O, 1/I/L. */
const CAPTCHA_CHARS = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

// The package's default export draws a given text; its typings only declare create(), which picks the text with
// Math.random. The text here comes from crypto.randomInt instead.
const drawCaptcha = svgCaptcha as unknown as (text: string, options?: { noise?: number; color?: boolean; width?: number; height?: number }) => string;

const answerHash = (id: string, answer: string): string => createHash('sha256').update(`${id}:${answer.trim().toUpperCase()}`).digest('hex');

export interface Captcha {
  id: string;
  /** The image as SVG markup. */
  svg: string;
}

/** Stores a captcha with the given answer; returns its id. */
export async function storeCaptcha(db: Db, answer: string, now = new Date()): Promise<string> {
  const id = randomUUID();
  await db.insertInto('sign_in_captcha').values({ id, answer_hash: answerHash(id, answer), expires_at: new Date(now.getTime() + CAPTCHA_TTL_MS) }).execute();
  return id;
}

export async function issueCaptcha(db: Db): Promise<Captcha> {
  const answer = Array.from({ length: CAPTCHA_LENGTH }, () => CAPTCHA_CHARS[randomInt(CAPTCHA_CHARS.length)]).join('');
  const id = await storeCaptcha(db, answer);
  return { id, svg: drawCaptcha(answer, { noise: 3, color: true, width: 120, height: 40 }) };
}

/** Whether the answer is right; the captcha is used up either way, and an expired or unknown one is wrong. */
export async function consumeCaptcha(db: Db, id: string, answer: string, now = new Date()): Promise<boolean> {
  const row = await db.deleteFrom('sign_in_captcha').where('id', '=', id).where('expires_at', '>', now).returning('answer_hash').executeTakeFirst();
  return row !== undefined && timingSafeEqual(Buffer.from(row.answer_hash), Buffer.from(answerHash(id, answer)));
}

export async function purgeCaptchas(db: Db, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('sign_in_captcha').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
