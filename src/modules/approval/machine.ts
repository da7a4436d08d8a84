// A case's state machine: which action is allowed in which state, and the state it leads to. The service checks each
// request against it under the case's row lock; a refused one is 409 approval.invalid_transition naming from/to.
import { conflict, DomainError } from '../../shared/errors.ts';
import type { CaseState, Step } from './kinds.ts';

export const ACTIONS = [
  'accept',
  'reject',
  'review',
  'pause',
  'resume',
  'resubmit',
  'request_extension',
  'approve_extension',
  'refuse_extension',
  'decide',
  'conclude',
  'deliver',
  'withdraw',
] as const;
export type CaseAction = (typeof ACTIONS)[number];

const RUNNING = ['accepted', 'reviewing', 'decided'] as const satisfies readonly CaseState[];

/** State(s) an action may start from → the state it leads to (null: the state stays). */
const RULES: Record<CaseAction, { from: readonly CaseState[]; to: CaseState | null }> = {
  accept: { from: ['submitted'], to: 'accepted' },
  reject: { from: ['submitted'], to: 'rejected' },
  review: { from: ['accepted'], to: 'reviewing' },
  pause: { from: RUNNING, to: null },
  resume: { from: RUNNING, to: null },
  resubmit: { from: RUNNING, to: null },
  request_extension: { from: RUNNING, to: null },
  approve_extension: { from: RUNNING, to: null },
  refuse_extension: { from: RUNNING, to: null },
  decide: { from: ['reviewing'], to: 'decided' },
  conclude: { from: ['decided'], to: 'concluded' },
  deliver: { from: ['concluded'], to: 'delivered' },
  withdraw: { from: ['submitted', 'accepted', 'reviewing'], to: 'withdrawn' },
};

/** The state the step leads to from `from`, or 409 approval.invalid_transition naming both. */
export function transition(from: CaseState, action: CaseAction): CaseState {
  const rule = RULES[action];
  if (!rule.from.includes(from)) {
    const to = rule.to ?? from;
    throw invalidTransition(from, to, action);
  }
  return rule.to ?? from;
}

/** Actions allowed in a state (the console offers these; the server still checks each). */
export function actionsFrom(state: CaseState): CaseAction[] {
  return ACTIONS.filter((a) => RULES[a].from.includes(state));
}

/** What an action does to the procedure's steps, in order: start a step (its clock runs), complete one. */
export const STEP_MOVES: Partial<Record<CaseAction, readonly (readonly ['start' | 'complete', Step])[]>> = {
  accept: [['complete', 'accept']],
  reject: [['complete', 'accept']],
  review: [['start', 'review']],
  decide: [['complete', 'review'], ['start', 'decide'], ['complete', 'decide']],
  conclude: [['start', 'conclude'], ['complete', 'conclude'], ['start', 'deliver']],
  deliver: [['complete', 'deliver']],
};

export const staleCase = (expected: number, actual: number) =>
  new DomainError('approval.stale', 'conflict', `The case is at version ${actual}, not ${expected}: someone changed it meanwhile.`, 'version', { version: actual });

/** The request field a refused step of the machine is reported on. */
export const STEP_FIELD = 'action';

export const extensionOnce = () => conflict('approval.extension_once', 'A case may be extended once.', STEP_FIELD);

/** 409 naming the state, where it would lead and what was asked. */
export function invalidTransition(from: CaseState, to: CaseState, asked: CaseAction): DomainError {
  const details = { from, to, action: asked };
  const message = `A case in state ${from} cannot ${asked.replace('_', ' ')} (to ${to}).`;
  return new DomainError('approval.invalid_transition', 'conflict', message, STEP_FIELD, details);
}
