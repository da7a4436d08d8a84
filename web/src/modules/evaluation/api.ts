// The evaluation pages' calls over the generated client; the shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type Rating = ResponseOf<'/api/evaluation/ratings/{id}', 'get'>;
export type RatingQuery = QueryOf<'/api/evaluation/ratings'>;
export type Complaint = ResponseOf<'/api/evaluation/complaints/{id}', 'get'>;
export type ComplaintQuery = QueryOf<'/api/evaluation/complaints'>;
export type NewComplaint = BodyOf<'/api/evaluation/complaints', 'post'>;
export type Score = ResponseOf<'/api/evaluation/scores', 'get'>['items'][number];
export type TrendPoint = ResponseOf<'/api/evaluation/scores/trend/{id}', 'get'>['items'][number];
export type PublicRank = ResponseOf<'/api/public/ranking', 'get'>['items'][number];
export type CitizenCase = ResponseOf<'/api/citizen/cases/{caseId}/rating', 'get'>;
export type Grade = Score['grade'];

const id = (value: string) => ({ params: { path: { id: value } } });

export const evaluationApi = {
  ratings: (query: RatingQuery, signal?: AbortSignal) => call(client.GET('/api/evaluation/ratings', { params: { query: cleanQuery(query) }, signal })),
  followUp: (ratingId: string, body: BodyOf<'/api/evaluation/ratings/{id}/follow-up', 'post'>) => call(client.POST('/api/evaluation/ratings/{id}/follow-up', { ...id(ratingId), body })),
  complaints: (query: ComplaintQuery, signal?: AbortSignal) => call(client.GET('/api/evaluation/complaints', { params: { query: cleanQuery(query) }, signal })),
  fileComplaint: (body: NewComplaint) => call(client.POST('/api/evaluation/complaints', { body })),
  decide: (complaintId: string, body: BodyOf<'/api/evaluation/complaints/{id}/decide', 'post'>) => call(client.POST('/api/evaluation/complaints/{id}/decide', { ...id(complaintId), body })),
  result: (complaintId: string, result: string) => call(client.POST('/api/evaluation/complaints/{id}/result', { ...id(complaintId), body: { result } })),
  close: (complaintId: string) => call(client.POST('/api/evaluation/complaints/{id}/close', id(complaintId))),
  complaintDepartments: (signal?: AbortSignal) => call(client.GET('/api/evaluation/complaint-departments', { signal })),
  months: (signal?: AbortSignal) => call(client.GET('/api/evaluation/months', { signal })),
  scores: (query: QueryOf<'/api/evaluation/scores'>, signal?: AbortSignal) => call(client.GET('/api/evaluation/scores', { params: { query: { ...cleanQuery(query), month: query.month } }, signal })),
  trend: (departmentId: string, signal?: AbortSignal) => call(client.GET('/api/evaluation/scores/trend/{id}', { ...id(departmentId), signal })),
  compute: (month: string) => call(client.POST('/api/evaluation/scores/compute', { body: { month } })),
  publish: (month: string) => call(client.POST('/api/evaluation/scores/publish', { body: { month } })),
  publicRanking: (query: QueryOf<'/api/public/ranking'>, signal?: AbortSignal) => call(client.GET('/api/public/ranking', { params: { query: cleanQuery(query) }, signal })),
  // the citizen portal
  citizenCase: (caseId: string, signal?: AbortSignal) => call(client.GET('/api/citizen/cases/{caseId}/rating', { params: { path: { caseId } }, signal })),
  rate: (caseId: string, body: BodyOf<'/api/citizen/cases/{caseId}/rating', 'post'>) => call(client.POST('/api/citizen/cases/{caseId}/rating', { params: { path: { caseId } }, body })),
  myComplaints: (signal?: AbortSignal) => call(client.GET('/api/citizen/complaints', { params: { query: { limit: 100 } }, signal })),
  fileMyComplaint: (body: BodyOf<'/api/citizen/complaints', 'post'>) => call(client.POST('/api/citizen/complaints', { body })),
  citizenDepartments: (signal?: AbortSignal) => call(client.GET('/api/citizen/complaint-departments', { signal })),
};

/** Hami's counties (the region table's level-2 codes under 6505), for the ranking's county filter. */
export const COUNTIES = [
  { code: '650502', zh: '伊州区', en: 'Yizhou District' },
  { code: '650521', zh: '巴里坤哈萨克自治县', en: 'Barkol Kazakh Autonomous County' },
  { code: '650522', zh: '伊吾县', en: 'Yiwu County' },
] as const;
