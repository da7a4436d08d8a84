// What a service needs to know about the request it serves, without knowing about HTTP.
import { SYSTEM_ACTOR, type Actor } from './access.ts';

export interface RequestContext {
  actor: Actor | undefined;
  clientAddr: string | null;
  /** Our own id for the request (never the client's), returned in x-request-id and kept in the audit trail. */
  requestId: string | null;
  /** A well-formed x-request-id the client sent, kept beside ours for tracing across systems (logs only). */
  clientRequestId?: string;
  /** Set once the request has written its audit record, so the HTTP layer does not add a generic one. */
  audited: boolean;
}

export function systemContext(): RequestContext {
  return { actor: undefined, clientAddr: null, requestId: null, audited: false };
}

/** The platform itself at work (CLI, demo seed, test factories): services authorise it and audit it as 'system'. */
export function systemActorContext(): RequestContext {
  return { actor: SYSTEM_ACTOR, clientAddr: null, requestId: null, audited: false };
}
