// Calls of the SMS routes (/api/sms/…) over the generated client; the shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type SmsHistory = ResponseOf<'/api/sms/messages', 'get'>;
export type SmsMessage = SmsHistory['items'][number];
export type SmsStatus = SmsMessage['status'];
export type SmsTemplate = ResponseOf<'/api/sms/templates', 'get'>[number];
export type SmsOptOut = ResponseOf<'/api/sms/opt-outs', 'get'>[number];
export type InboxEntry = ResponseOf<'/api/sms/local-inbox', 'get'>[number];

/** In the order the history shows them (the type checks the list covers every status the API sends). */
export const SMS_STATUSES = ['queued', 'sent', 'delivered', 'failed', 'opted_out'] as const satisfies readonly SmsStatus[];

export const smsApi = {
  history: (query: QueryOf<'/api/sms/messages'>, signal?: AbortSignal) => call(client.GET('/api/sms/messages', { params: { query: cleanQuery(query) }, signal })),
  send: (body: BodyOf<'/api/sms/messages', 'post'>) => call(client.POST('/api/sms/messages', { body })),
  templates: () => call(client.GET('/api/sms/templates')),
  saveTemplate: (code: string, body: BodyOf<'/api/sms/templates/{code}', 'put'>) => call(client.PUT('/api/sms/templates/{code}', { params: { path: { code } }, body })),
  deleteTemplate: (code: string) => call(client.DELETE('/api/sms/templates/{code}', { params: { path: { code } } })),
  optOuts: () => call(client.GET('/api/sms/opt-outs')),
  optOut: (body: BodyOf<'/api/sms/opt-outs', 'post'>) => call(client.POST('/api/sms/opt-outs', { body })),
  optIn: (number: string) => call(client.DELETE('/api/sms/opt-outs/{number}', { params: { path: { number } } })),
  inbox: () => call(client.GET('/api/sms/local-inbox')),
};

/** The {placeholders} of a template body, in order of first use (the server checks them again on save). */
export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!))];
}
