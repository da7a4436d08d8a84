// The feeds page's calls over the generated client; shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { QueryOf, ResponseOf } from '../../api/types.ts';

export type SubscriptionPage = ResponseOf<'/api/feeds/subscriptions', 'get'>;
export type Subscription = SubscriptionPage['items'][number];
export type SubscriptionQuery = QueryOf<'/api/feeds/subscriptions'>;
export type GrantOption = ResponseOf<'/api/feeds/grants', 'get'>[number];
export type Created = ResponseOf<'/api/feeds/subscriptions', 'post'>;
export type TestResult = ResponseOf<'/api/feeds/subscriptions/{id}/test', 'post'>;

export const feedsApi = {
  list: (query: SubscriptionQuery, signal?: AbortSignal): Promise<SubscriptionPage> => call(client.GET('/api/feeds/subscriptions', { params: { query: cleanQuery(query) }, signal })),
  grants: (): Promise<GrantOption[]> => call(client.GET('/api/feeds/grants')),
  create: (body: { clientAppId: string; shareId: string; webhookUrl?: string | null; algorithm?: 'hmac-sha256' | 'sm3-hmac' | null }): Promise<Created> =>
    call(client.POST('/api/feeds/subscriptions', { body })),
  pause: (id: string): Promise<Subscription> => call(client.POST('/api/feeds/subscriptions/{id}/pause', { params: { path: { id } } })),
  resume: (id: string): Promise<Subscription> => call(client.POST('/api/feeds/subscriptions/{id}/resume', { params: { path: { id } } })),
  test: (id: string): Promise<TestResult> => call(client.POST('/api/feeds/subscriptions/{id}/test', { params: { path: { id } } })),
  remove: (id: string): Promise<void> => call(client.DELETE('/api/feeds/subscriptions/{id}', { params: { path: { id } } })).then(() => undefined),
};
