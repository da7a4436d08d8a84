// Telling the requester: an in-app message (inbox) and, when their account has a phone, an SMS — on each decision in
// the deciding transaction, and when the hypervisor settles an action (cloud.vm_action_settled, at least once: the
// inbox key makes a repeat a no-op, and the SMS goes only with the first delivery).
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { InboxService } from '../inbox/index.ts';
import type { SmsService } from '../sms/index.ts';

type Trx = Transaction<Database>;
interface RequestRef {
  id: string;
  request_no: string;
  kind: string;
  name: string;
  requested_by: string;
}

/** The hypervisor module's `cloud.vm_action_settled` payload. */
export const VM_ACTION_SETTLED_TOPIC = 'cloud.vm_action_settled';
export interface SettledMessage {
  vmId: string;
  action: string;
  requestId?: string | null;
  outcome: 'succeeded' | 'failed';
  error?: string | null;
  actorId?: string | null;
}

const KIND_ZH: Record<string, string> = { create: '云主机申请', resize: '规格变更申请', decommission: '退役申请' };
const ACTION_ZH: Record<string, string> = { provision: '开通', start: '开机', stop: '关机', suspend: '挂起', resume: '恢复', resize: '变更规格', snapshot: '快照', decommission: '退役' };
const OUTCOME_ZH: Record<string, string> = { approved: '已批准，正在开通', rejected: '已被驳回', failed: '未能执行' };

export class Notifier {
  constructor(
    private readonly inbox: InboxService,
    private readonly sms: SmsService | undefined,
  ) {}

  private async tell(trx: Trx, userId: string, key: string, title: string, body: string, link: string): Promise<void> {
    const stored = await this.inbox.send(trx, { to: userId, module: 'selfservice', kind: key.split(':')[0]!, title, body, link, key });
    if (stored === 0 || !this.sms) return;
    const user = await trx.selectFrom('app_user').select('phone').where('id', '=', userId).executeTakeFirst();
    if (user?.phone) await this.sms.send(trx, { to: user.phone, text: `【政务云】${title}，请登录平台查看。`, purpose: 'cloud.request' });
  }

  /** A decision on the request (rejected, approved and under way, or failed with its reason). */
  async decided(trx: Trx, r: RequestRef, outcome: 'approved' | 'rejected' | 'failed', note: string): Promise<void> {
    const title = `${KIND_ZH[r.kind] ?? '申请'} ${r.request_no}「${r.name}」${OUTCOME_ZH[outcome]}`;
    await this.tell(trx, r.requested_by, `selfservice.decision:${r.id}:${outcome}`, title, note ? `意见：${note}` : '', `/cloud/requests/${r.id}`);
  }

  /** The hypervisor settled an action on a VM: tell whoever asked for it. */
  async settled(trx: Trx, s: SettledMessage, messageKey: string): Promise<void> {
    const vm = await trx.selectFrom('cloud_vm').select(['id', 'name', 'created_by']).where('id', '=', s.vmId).executeTakeFirst();
    if (!vm) return;
    const request = s.requestId ? await trx.selectFrom('cloud_vm_request').select(['id', 'request_no', 'requested_by']).where('id', '=', s.requestId).executeTakeFirst() : undefined;
    const to = request?.requested_by ?? s.actorId ?? vm.created_by;
    if (!to) return;
    const verb = ACTION_ZH[s.action] ?? s.action;
    const title = `云主机「${vm.name}」${verb}${s.outcome === 'succeeded' ? '成功' : '失败'}`;
    const key = `selfservice.settled:${messageKey}`;
    await this.tell(trx, to, key, title, s.error ? `原因：${s.error}` : request ? `申请编号 ${request.request_no}` : '', request ? `/cloud/requests/${request.id}` : `/cloud/requests?vm=${s.vmId}`);
  }
}
