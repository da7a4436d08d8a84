// The machine-room dialog (cloud.manage, D109): adding names the code, the kind and the owner (a region for the data
// centre and a community room, a department for a department room); editing changes the name, address, area and
// status only. Client rules mirror the API's; the server's problem `field` lands on its form field (FormModal).
import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../context.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { FormModal, requiredRule } from '../../components/FormModal.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { cloudApi, type NewRoom, type RoomView } from './api.ts';
import type { zh } from './messages.ts';

type Key = keyof typeof zh;
const KINDS = ['datacenter', 'legacy_department', 'legacy_community'] as const;

interface RoomValues {
  code?: string;
  kind?: NewRoom['kind'];
  regionCode?: string;
  departmentId?: string;
  name: string;
  address?: string;
  areaM2?: number | null;
  status: 'active' | 'retired';
  retiredOn?: Dayjs | null;
}

/** Mount to show; `room` edits that room, none adds one. */
export function RoomForm({ room, onDone, onCancel }: { room?: RoomView; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const editing = room !== undefined;
  const submit = async (v: RoomValues) => {
    const common = {
      name: v.name.trim(),
      address: v.address?.trim() ?? '',
      areaM2: v.areaM2 ?? null,
      status: v.status,
      ...(v.status === 'retired' && v.retiredOn ? { retiredOn: v.retiredOn.format('YYYY-MM-DD') } : {}),
    };
    if (editing) return cloudApi.updateRoom(room.id, common);
    return cloudApi.createRoom({
      code: (v.code ?? '').trim(),
      kind: v.kind!,
      ...(v.kind === 'legacy_department' ? { departmentId: v.departmentId } : { regionCode: v.regionCode }),
      ...common,
    });
  };
  return (
    <FormModal<RoomValues>
      title={t(editing ? 'cloud.room.edit' : 'cloud.room.add')}
      testId="cloud-room-form"
      initialValues={
        room
          ? { name: room.name, address: room.address, areaM2: room.areaM2, status: room.status, retiredOn: room.retiredOn ? dayjs(room.retiredOn) : null }
          : { kind: 'legacy_department', status: 'active' }
      }
      onSubmit={submit}
      onDone={onDone}
      onCancel={onCancel}
      successMessage={t('cloud.saved')}
    >
      {editing ? null : (
        <>
          <Form.Item name="code" label={t('cloud.code')} rules={[requiredRule(t), { pattern: /^[A-Za-z0-9_.-]{2,40}$/, message: t('cloud.room.codeRule') }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="kind" label={t('cloud.kind')} rules={[requiredRule(t)]}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`cloud.kind.${k}` as Key) }))} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a: RoomValues, b: RoomValues) => a.kind !== b.kind}>
            {({ getFieldValue }) =>
              getFieldValue('kind') === 'legacy_department' ? (
                <Form.Item name="departmentId" label={t('cloud.department')} rules={[requiredRule(t)]}>
                  <DepartmentSelect width="100%" />
                </Form.Item>
              ) : (
                <Form.Item name="regionCode" label={t('cloud.region')} rules={[requiredRule(t)]}>
                  <RegionTreeSelect width="100%" />
                </Form.Item>
              )
            }
          </Form.Item>
        </>
      )}
      <Form.Item name="name" label={t('cloud.name')} rules={[requiredRule(t), { whitespace: true, message: t('validation.required') }, { max: 200 }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="address" label={t('cloud.room.address')} rules={[{ max: 500 }]}>
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="areaM2" label={t('cloud.room.area')}>
        <InputNumber min={0} max={1_000_000} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="status" label={t('cloud.state')} rules={[requiredRule(t)]}>
        <Select options={(['active', 'retired'] as const).map((s) => ({ value: s, label: t(`cloud.room.status.${s}` as Key) }))} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a: RoomValues, b: RoomValues) => a.status !== b.status}>
        {({ getFieldValue }) =>
          getFieldValue('status') === 'retired' ? (
            <Form.Item name="retiredOn" label={t('cloud.room.retiredOn')} extra={t('cloud.room.retiredOnHint')}>
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
          ) : null
        }
      </Form.Item>
    </FormModal>
  );
}
