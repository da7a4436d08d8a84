// Pure quality arithmetic: freshness against the update cycle, scores of a resource and of a department (D60).
import type { UpdateCycle } from '../catalogue/index.ts';

/** Days a resource may go without a committed load before it is overdue, by its update cycle (实时 counts as daily). */
export const CYCLE_DAYS: Readonly<Record<UpdateCycle, number>> = {
  daily: 1,
  weekly: 7,
  monthly: 31,
  quarterly: 92,
  half_yearly: 183,
  yearly: 366,
  realtime: 1,
};

const DAY_MS = 86_400_000;

export interface Freshness {
  lastLoadAt: string | null;
  cycleDays: number;
  /** Whole and fractional days since the last committed load; null when never loaded. */
  ageDays: number | null;
  /** When the next load is due (last load + cycle); null when never loaded. */
  dueAt: string | null;
  /** Past due, or never loaded; a resource served by an upstream system is never overdue (it is live). */
  overdue: boolean;
  live: boolean;
}

export function freshness(cycle: UpdateCycle, lastLoadAt: Date | null, now: Date, live: boolean): Freshness {
  const cycleDays = CYCLE_DAYS[cycle];
  if (live) return { lastLoadAt: lastLoadAt?.toISOString() ?? null, cycleDays, ageDays: null, dueAt: null, overdue: false, live };
  if (lastLoadAt === null) return { lastLoadAt: null, cycleDays, ageDays: null, dueAt: null, overdue: true, live };
  const ageDays = Math.max(0, (now.getTime() - lastLoadAt.getTime()) / DAY_MS);
  return {
    lastLoadAt: lastLoadAt.toISOString(),
    cycleDays,
    ageDays: Math.round(ageDays * 100) / 100,
    dueAt: new Date(lastLoadAt.getTime() + cycleDays * DAY_MS).toISOString(),
    overdue: ageDays > cycleDays,
    live,
  };
}

/** Weights of a resource's quality score (0–100): completeness, acceptance (1 − rejection rate), freshness. */
export const RESOURCE_WEIGHTS = { completeness: 0.5, acceptance: 0.25, freshness: 0.25 } as const;

/** A resource's score; a resource without rows or loads scores 0 on the figures it lacks. */
export function resourceScore(input: { completeness: number | null; rejectionRate: number | null; overdue: boolean }): number {
  const w = RESOURCE_WEIGHTS;
  const raw = w.completeness * (input.completeness ?? 0) + w.acceptance * (1 - (input.rejectionRate ?? 0)) + w.freshness * (input.overdue ? 0 : 1);
  return round1(100 * raw);
}

/**
 * Weights of a department's ranking score (0–100), which feeds the e-government assessment (D60):
 * published resources (relative to the most any ranked department published), requests answered on time (of those
 * answered or overdue), mean quality score of its resources, share of its resources loaded on time.
 */
export const DEPARTMENT_WEIGHTS = { published: 0.2, onTime: 0.4, quality: 0.25, freshness: 0.15 } as const;

export interface DepartmentFigures {
  published: number;
  onTime: number;
  late: number;
  overdue: number;
  /** Mean resource score (0–100) of the department's resources; null without resources. */
  quality: number | null;
  /** Share (0–1) of its resources not overdue; null without resources. */
  freshRate: number | null;
}

/** On-time rate: answered on time ÷ (answered + overdue unanswered); 1 when nothing has fallen due. */
export function onTimeRate(f: Pick<DepartmentFigures, 'onTime' | 'late' | 'overdue'>): number {
  const due = f.onTime + f.late + f.overdue;
  return due === 0 ? 1 : f.onTime / due;
}

export function departmentScore(f: DepartmentFigures, maxPublished: number): number {
  const w = DEPARTMENT_WEIGHTS;
  const published = maxPublished === 0 ? 0 : Math.min(1, f.published / maxPublished);
  const raw = w.published * published + w.onTime * onTimeRate(f) + w.quality * ((f.quality ?? 0) / 100) + w.freshness * (f.freshRate ?? 0);
  return round1(100 * raw);
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
