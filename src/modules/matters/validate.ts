// Checks of a kind's data beyond its schema: dates in order and not in the future, milestone numbers unique.
import { invalid } from '../../shared/errors.ts';
import type { MatterKind } from './kinds.ts';
import type { KindData } from './schema.ts';

type Dates = Record<string, string | null | undefined>;

/** Each named date, when given, is on or after the one before it that is given; a later one needs the earlier. */
function inOrder(data: Dates, chain: readonly string[], needEarlier: boolean): void {
  let prev: string | undefined;
  for (const field of chain) {
    const value = data[field];
    if (value) {
      if (prev !== undefined && value < data[prev]!) throw invalid('matters.date_order', `data/${field}`, `${field} (${value}) lies before ${prev} (${data[prev]}).`);
      prev = field;
    } else if (needEarlier) {
      const later = chain.slice(chain.indexOf(field) + 1).find((f) => data[f]);
      if (later) throw invalid('matters.date_order', `data/${field}`, `${later} is given without ${field}.`);
    }
  }
}

function notFuture(data: Dates, fields: readonly string[], today: string): void {
  for (const field of fields) {
    const value = data[field];
    if (value && value > today) throw invalid('matters.future_date', `data/${field}`, `${field} (${value}) lies after today (${today}).`);
  }
}

export function checkKindData<K extends MatterKind>(kind: K, data: KindData[K], today: string): void {
  const d = data as unknown as Dates;
  switch (kind) {
    case 'penalty':
      inOrder(d, ['filedOn', 'hearingNotifiedOn'], false);
      inOrder(d, ['filedOn', 'decidedOn'], false);
      notFuture(d, ['filedOn', 'hearingNotifiedOn', 'decidedOn'], today);
      return;
    case 'enforcement':
      inOrder(d, ['filedOn', 'investigatedOn', 'decidedOn', 'closedOn'], true);
      notFuture(d, ['filedOn', 'investigatedOn', 'decidedOn', 'closedOn'], today);
      return;
    case 'trading':
      inOrder(d, ['noticeOn', 'bidOpenOn', 'awardPublishedOn', 'publicityEndOn'], true);
      notFuture(d, ['noticeOn', 'awardPublishedOn'], today);
      return;
    case 'project': {
      const p = data as KindData['project'];
      const seen = new Set<number>();
      p.milestones.forEach((m, i) => {
        if (seen.has(m.seq)) throw invalid('matters.duplicate_milestone', `data/milestones/${i}/seq`, `Milestone ${m.seq} appears twice.`);
        seen.add(m.seq);
        if (m.completedOn && m.completedOn > today) throw invalid('matters.future_date', `data/milestones/${i}/completedOn`, `completedOn (${m.completedOn}) lies after today.`);
        if (m.completedOn && m.completedOn < p.startOn) throw invalid('matters.date_order', `data/milestones/${i}/completedOn`, `completedOn (${m.completedOn}) lies before the start (${p.startOn}).`);
      });
      return;
    }
    case 'village':
      return;
  }
}

/** The row's started_on: 立案 (penalty, enforcement), the tender notice, the schedule's first day, the project's start. */
export function startedOn<K extends MatterKind>(kind: K, data: KindData[K]): string {
  switch (kind) {
    case 'penalty':
    case 'enforcement':
      return (data as KindData['penalty']).filedOn;
    case 'trading':
      return (data as KindData['trading']).noticeOn;
    case 'village':
      return `${(data as KindData['village']).since}-01`;
    default:
      return (data as KindData['project']).startOn;
  }
}
