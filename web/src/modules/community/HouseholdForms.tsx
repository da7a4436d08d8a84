// The household page's forms: a new household in a community, and adding a resident of the household's community as
// a member with their relation to the head (the server refuses a second head: community.head_exists).
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Modal, Select, Space } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useI18n } from '../../context.tsx';
import { communityApi, type Household, type Relation, type Resident } from './api.ts';

const RELATIONS: Relation[] = ['head', 'spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'other'];

export function NewHouseholdButton({ community, onCreated }: { community: string | undefined; onCreated: (h: Household) => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ communityCode: string; address?: string }>();
  const save = async () => {
    const v = await form.validateFields();
    try {
      onCreated(await communityApi.createHousehold({ communityCode: v.communityCode, address: v.address ?? '' }));
      setOpen(false);
    } catch (err) {
      void message.error(problem(err));
    }
  };
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => (form.setFieldsValue({ communityCode: community ?? '', address: '' }), setOpen(true))} data-testid="community-household-new">
        {t('cm.newHousehold')}
      </Button>
      <Modal open={open} title={t('cm.newHousehold')} onOk={() => void save()} onCancel={() => setOpen(false)} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="communityCode" label={t('cm.community')} rules={[{ required: true, message: t('cm.pickCommunity') }]}>
            <RegionTreeSelect placeholder={t('cm.community')} />
          </Form.Item>
          <Form.Item name="address" label={t('cm.address')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function AddMemberForm({ household, onAdded }: { household: Household; onAdded: (h: Household) => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [options, setOptions] = useState<Resident[]>([]);
  const [residentId, setResidentId] = useState<string | undefined>();
  const [relation, setRelation] = useState<Relation>(household.members.some((m) => m.relation === 'head') ? 'child' : 'head');
  const search = (q: string) => {
    if (q.trim().length < 1) return;
    communityApi.residents({ q: q.trim(), region: household.communityCode, limit: 20 }).then(
      (r) => setOptions(r.items.filter((x) => x.householdId === null)),
      () => undefined,
    );
  };
  const add = async () => {
    if (!residentId) return;
    try {
      onAdded(await communityApi.addMember(household.id, { residentId, relation }));
      setResidentId(undefined);
    } catch (err) {
      void message.error(problem(err));
    }
  };
  return (
    <Space wrap style={{ marginTop: 12 }} data-testid="community-add-member">
      <Select
        showSearch
        style={{ width: 240, maxWidth: '100%' }}
        placeholder={t('cm.pickResident')}
        filterOption={false}
        onSearch={search}
        value={residentId}
        onChange={setResidentId}
        options={options.map((r) => ({ value: r.id, label: `${r.name} ${r.idNumber}` }))}
      />
      <Select style={{ width: 110 }} value={relation} onChange={setRelation} options={RELATIONS.map((r) => ({ value: r, label: t(`cm.relation.${r}`) }))} />
      <Button icon={<PlusOutlined />} onClick={() => void add()} disabled={!residentId}>
        {t('cm.addMember')}
      </Button>
    </Space>
  );
}
