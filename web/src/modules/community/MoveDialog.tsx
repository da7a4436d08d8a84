// 迁移: move a resident to another community of the jurisdiction. The dialog shows the residence history; the server
// closes the current interval on the move date and opens one in the target, so past dates still count the old one.
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, DatePicker, Form, Input, Modal, Timeline, Typography } from 'antd';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useI18n } from '../../context.tsx';
import { communityApi, type Resident } from './api.ts';

type History = Awaited<ReturnType<typeof communityApi.residences>>['items'];

export function MoveDialog({ resident, onClose, onMoved }: { resident: Resident | null; onClose: () => void; onMoved: (r: Resident) => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ communityCode: string; on?: { format: (f: string) => string }; address?: string; reason?: string }>();
  const [history, setHistory] = useState<History>([]);
  useEffect(() => {
    if (!resident) return;
    form.resetFields();
    const ctrl = new AbortController();
    communityApi.residences(resident.id, ctrl.signal).then(
      (r) => setHistory(r.items),
      () => setHistory([]),
    );
    return () => ctrl.abort();
  }, [resident, form]);

  const save = async () => {
    if (!resident) return;
    const v = await form.validateFields();
    try {
      const moved = await communityApi.move(resident.id, {
        version: resident.version,
        communityCode: v.communityCode,
        ...(v.on ? { on: v.on.format('YYYY-MM-DD') } : {}),
        ...(v.address ? { address: v.address } : {}),
        ...(v.reason ? { reason: v.reason } : {}),
      });
      void message.success(t('cm.moved'));
      onMoved(moved);
    } catch (err) {
      void message.error(problem(err));
    }
  };

  return (
    <Modal open={resident !== null} title={resident ? `${t('cm.move')} · ${resident.name}` : ''} onOk={() => void save()} onCancel={onClose} destroyOnHidden>
      <Alert type="info" showIcon message={t('cm.moveHint')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" data-testid="community-move-form">
        <Form.Item name="communityCode" label={t('cm.moveTo')} rules={[{ required: true, message: t('cm.pickCommunity') }]}>
          <RegionTreeSelect placeholder={t('cm.moveTo')} />
        </Form.Item>
        <Form.Item name="on" label={t('cm.moveOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="address" label={t('cm.address')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="reason" label={t('cm.moveReason')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
      </Form>
      <Typography.Text strong>{t('cm.history')}</Typography.Text>
      <Timeline
        style={{ marginTop: 8 }}
        items={history.map((h) => ({ color: h.validTo ? 'gray' : 'green', children: `${h.communityName}：${h.validFrom} — ${h.validTo ?? ''}` }))}
      />
    </Modal>
  );
}
