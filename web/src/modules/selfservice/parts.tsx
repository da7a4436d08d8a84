// Small shared pieces of the self-service pages: the state tag, the shape of a VM, the decision dialog.
import { useState } from 'react';
import { App as AntApp, Form, Input, Modal, Tag } from 'antd';
import { useI18n } from '../../context.tsx';
import { selfserviceApi, type RequestSummary, type RequestView } from './api.ts';
import type { zh } from './messages.ts';

export type Key = keyof typeof zh;
const STATE_COLORS: Record<RequestSummary['state'], string> = {
  pending_department: 'gold',
  pending_platform: 'orange',
  approved: 'blue',
  rejected: 'default',
  cancelled: 'default',
  provisioning: 'processing',
  done: 'success',
  failed: 'red',
};

export function StateTag({ state }: { state: RequestSummary['state'] }) {
  const { t } = useI18n();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="selfservice-state">
      {t(`selfservice.state.${state}` as Key)}
    </Tag>
  );
}

export const shape = (r: { vcpus: number; memoryMb: number; diskGb: number }) => `${r.vcpus} vCPU / ${Math.round((r.memoryMb / 1024) * 10) / 10} GB / ${r.diskGb} GB`;

/** Approve or reject at the step the request waits on (a rejection needs a note). */
export function DecisionModal({ request, decision, onClose }: { request: RequestSummary; decision: 'approve' | 'reject'; onClose: (changed?: RequestView) => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body = { decision, ...(v.note ? { note: v.note } : {}) };
      const view = request.abilities.includes('approve_department') ? await selfserviceApi.department(request.id, body) : await selfserviceApi.platform(request.id, body);
      void message.success(t('selfservice.saved'));
      onClose(view);
    } catch (err) {
      void message.error(problem(err));
      onClose();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`${t(decision === 'approve' ? 'selfservice.approve' : 'selfservice.reject')} · ${request.requestNo}`} onCancel={() => onClose()} onOk={() => void submit()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'selfservice-decision-ok' } as never}>
      <Form form={form} layout="vertical">
        <Form.Item name="note" label={t('selfservice.note')} rules={[{ required: decision === 'reject', whitespace: true, max: 2000 }]}>
          <Input.TextArea rows={3} data-testid="selfservice-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
