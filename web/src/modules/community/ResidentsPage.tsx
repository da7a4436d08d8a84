// /community/residents — 居民: the registry in the caller's jurisdiction by the one resident filter (region, name or
// ID fragment, sex, age, ethnic group, key-group labels, confirmed facts); register and edit with the server's own
// ID-number check in the browser. Rows open the integrated profile (/community/residents/:id).
import { useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Lang } from '../../i18n.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { Link } from '../../router.tsx';
import { checkIdNumber, chinaDate, isCnMobile } from '../../../../src/shared/id-number.ts';
import { ETHNICITIES } from '../../../../src/modules/community/ethnicities.ts';
import { FACTS, RESIDENCE_STATUSES } from '../../../../src/modules/community/kinds.ts';
import { MoveDialog } from './MoveDialog.tsx';
import { communityApi, residentPath, type Label, type NewResident, type Resident, type ResidentQuery } from './api.ts';

const ethnicityName = (code: string, lang: Lang) => {
  const e = ETHNICITIES.find((x) => x.code === code);
  return e ? (lang === 'en-US' ? e.en : e.zh) : code;
};

type Filters = Omit<ResidentQuery, 'cursor' | 'limit'>;

interface FormValues {
  idNumber: string;
  name: string;
  ethnicity: string;
  phone?: string;
  communityCode?: string;
  address?: string;
  residenceStatus: NewResident['residenceStatus'];
  movedInOn?: dayjs.Dayjs;
}

export default function ResidentsPage() {
  const { t, tx, problem, lang } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [labels, setLabels] = useState<Label[]>([]);
  const [editing, setEditing] = useState<Resident | 'new' | null>(null);
  const [moving, setMoving] = useState<Resident | null>(null);
  const [form] = Form.useForm<FormValues>();
  const idText = Form.useWatch('idNumber', form);
  const manage = can('community.manage');

  useEffect(() => {
    const ctrl = new AbortController();
    communityApi.labels(ctrl.signal).then((r) => setLabels(r.items), () => undefined);
    return () => ctrl.abort();
  }, []);

  const key = JSON.stringify(filters);
  const fetchPage: PageFetcher<Resident> = (cursor, signal, limit) => communityApi.residents({ ...filters, ...(cursor ? { cursor } : {}), limit }, signal);
  const list = useCursorList<Resident>(key, fetchPage);
  const set = (patch: Partial<Filters>) => setFilters((f) => Object.fromEntries(Object.entries({ ...f, ...patch }).filter(([, v]) => v !== undefined && v !== '')) as Filters);

  const derived = useMemo(() => {
    if (!idText || idText.length < 18) return null;
    return checkIdNumber(idText, { today: chinaDate(new Date()) });
  }, [idText]);

  const open = (r: Resident | 'new') => {
    setEditing(r);
    form.resetFields();
    if (r !== 'new') form.setFieldsValue({ idNumber: r.idNumber, name: r.name, ethnicity: r.ethnicity, phone: r.phone ?? undefined, address: r.address, residenceStatus: r.residenceStatus });
    else form.setFieldsValue({ ethnicity: '01', residenceStatus: 'registered' });
  };

  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === 'new') {
        await communityApi.register({
          idNumber: v.idNumber.trim(),
          name: v.name.trim(),
          ethnicity: v.ethnicity,
          phone: v.phone || null,
          communityCode: v.communityCode ?? '',
          address: v.address ?? '',
          residenceStatus: v.residenceStatus,
          ...(v.movedInOn ? { movedInOn: v.movedInOn.format('YYYY-MM-DD') } : {}),
        });
      } else if (editing) {
        await communityApi.edit(editing.id, { version: editing.version, name: v.name.trim(), ethnicity: v.ethnicity, phone: v.phone || null, address: v.address ?? '', residenceStatus: v.residenceStatus });
      }
      void message.success(t('cm.saved'));
      setEditing(null);
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };

  const columns: ListColumn<Resident>[] = [
    { key: 'name', title: t('cm.name'), width: 150, required: true, render: (r) => <Link to={residentPath(r.id)}>{r.name}</Link>, exportValue: (r) => r.name, sort: (r) => r.name },
    { key: 'idNumber', title: t('cm.idNumber'), width: 190, render: (r) => <span className="mono">{r.idNumber}</span>, exportValue: (r) => r.idNumber },
    { key: 'sex', title: t('cm.sex'), width: 60, render: (r) => t(`cm.sex.${r.sex}`), exportValue: (r) => r.sex },
    { key: 'age', title: t('cm.age'), width: 70, dataIndex: 'age', sort: (r) => r.age },
    { key: 'ethnicity', title: t('cm.ethnicity'), width: 100, render: (r) => ethnicityName(r.ethnicity, lang), exportValue: (r) => ethnicityName(r.ethnicity, lang) },
    { key: 'phone', title: t('cm.phone'), width: 130, render: (r) => <span className="mono">{r.phone ?? '—'}</span>, exportValue: (r) => r.phone ?? '' },
    { key: 'community', title: t('cm.community'), width: 160, dataIndex: 'communityName' },
    { key: 'address', title: t('cm.address'), ellipsis: true, dataIndex: 'address', defaultHidden: true },
    { key: 'residence', title: t('cm.residenceStatus'), width: 90, render: (r) => t(`cm.residence.${r.residenceStatus}`), exportValue: (r) => r.residenceStatus },
    {
      key: 'labels',
      title: t('cm.labels'),
      width: 180,
      render: (r) =>
        r.labels.map((code) => {
          const l = labels.find((x) => x.code === code);
          return (
            <Tag key={code} color={l?.color}>
              {l ? (lang === 'en-US' ? l.nameEn : l.name) : code}
            </Tag>
          );
        }),
      exportValue: (r) => r.labels.join(' '),
    },
    ...(manage
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 130,
            fixed: 'right' as const,
            required: true,
            exportValue: false as const,
            render: (r: Resident) =>
              r.status === 'active' ? (
                <>
                  <Button type="link" size="small" onClick={() => open(r)}>
                    {t('cm.edit')}
                  </Button>
                  <Button type="link" size="small" onClick={() => setMoving(r)} data-testid="community-move">
                    {t('cm.moveShort')}
                  </Button>
                </>
              ) : (
                <Tag>{t(`cm.status.${r.status}`)}</Tag>
              ),
          },
        ]
      : []),
  ];

  const idHelp = derived ? (derived.ok ? t('cm.idDerived', { sex: t(`cm.sex.${derived.sex === 'male' ? 'M' : 'F'}`), birth: derived.birthDate }) : t(`cm.idInvalid.${derived.problem}`)) : undefined;

  return (
    <div className="page" data-testid="community-residents-page">
      <PageHeader
        title={t('cm.residents.title')}
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="resident-register">
              {t('cm.register')}
            </Button>
          ) : null
        }
      />
      <ListPage<Resident>
        id="community-resident"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1300}
        phoneLead={{ key: 'lead', width: 200, primary: (r) => <Link to={residentPath(r.id)}>{r.name}</Link>, secondary: (r) => `${t(`cm.sex.${r.sex}`)} · ${r.age} · ${r.communityName}`, folds: ['name', 'sex', 'age', 'community'] }}
        filters={
          <Row gutter={[8, 8]} style={{ width: '100%' }}>
            <Col xs={24} sm={12} lg={6}>
              <Input.Search allowClear placeholder={t('cm.search')} onSearch={(q) => set({ q: q.trim() || undefined })} data-testid="resident-search" />
            </Col>
            <Col xs={24} sm={12} lg={5}>
              <RegionTreeSelect width="100%" placeholder={t('cm.region')} value={filters.region} onChange={(region) => set({ region })} />
            </Col>
            <Col xs={12} sm={6} lg={2}>
              <Select allowClear style={{ width: '100%' }} placeholder={t('cm.sex')} value={filters.sex} onChange={(sex) => set({ sex })} options={(['M', 'F'] as const).map((s) => ({ value: s, label: t(`cm.sex.${s}`) }))} />
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <InputNumber style={{ width: '100%' }} min={0} max={150} placeholder={t('cm.ageMin')} value={filters.ageMin} onChange={(v) => set({ ageMin: v ?? undefined })} />
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <InputNumber style={{ width: '100%' }} min={0} max={150} placeholder={t('cm.ageMax')} value={filters.ageMax} onChange={(v) => set({ ageMax: v ?? undefined })} />
            </Col>
            <Col xs={12} sm={6} lg={5}>
              <Select
                mode="multiple"
                allowClear
                maxTagCount="responsive"
                style={{ width: '100%' }}
                placeholder={t('cm.ethnicity')}
                value={filters.ethnicity ? filters.ethnicity.split(',') : []}
                onChange={(v: string[]) => set({ ethnicity: v.join(',') || undefined })}
                options={ETHNICITIES.map((e) => ({ value: e.code, label: lang === 'en-US' ? e.en : e.zh }))}
                optionFilterProp="label"
              />
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Select
                mode="multiple"
                allowClear
                maxTagCount="responsive"
                style={{ width: '100%' }}
                placeholder={t('cm.labels')}
                value={filters.labels ? filters.labels.split(',') : []}
                onChange={(v: string[]) => set({ labels: v.join(',') || undefined })}
                options={labels.map((l) => ({ value: l.code, label: lang === 'en-US' ? l.nameEn : l.name }))}
              />
            </Col>
            <Col xs={12} sm={6} lg={5}>
              <Select
                mode="multiple"
                allowClear
                maxTagCount="responsive"
                style={{ width: '100%' }}
                placeholder={t('cm.facts')}
                value={filters.hasFacts ? filters.hasFacts.split(',') : []}
                onChange={(v: string[]) => set({ hasFacts: v.join(',') || undefined })}
                options={FACTS.map((f) => ({ value: f, label: t(`cm.fact.${f}`) }))}
              />
            </Col>
            <Col xs={12} sm={6} lg={5}>
              <Select
                mode="multiple"
                allowClear
                maxTagCount="responsive"
                style={{ width: '100%' }}
                placeholder={t('cm.lacks')}
                value={filters.lacksFacts ? filters.lacksFacts.split(',') : []}
                onChange={(v: string[]) => set({ lacksFacts: v.join(',') || undefined })}
                options={FACTS.map((f) => ({ value: f, label: t(`cm.fact.${f}`) }))}
              />
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Select
                allowClear
                style={{ width: '100%' }}
                placeholder={t('cm.residenceStatus')}
                value={filters.residenceStatus}
                onChange={(residenceStatus?: string) => set({ residenceStatus })}
                options={RESIDENCE_STATUSES.map((s) => ({ value: s, label: t(`cm.residence.${s}`) }))}
              />
            </Col>
          </Row>
        }
      />
      <Modal open={editing !== null} title={editing === 'new' ? t('cm.register') : t('cm.edit')} onOk={() => void save()} onCancel={() => setEditing(null)} okText={t('cm.saved')} destroyOnHidden width={640}>
        <Form form={form} layout="vertical">
          <Form.Item
            name="idNumber"
            label={t('cm.idNumber')}
            help={editing === 'new' ? idHelp : undefined}
            validateStatus={editing === 'new' && derived && !derived.ok ? 'error' : undefined}
            rules={[
              { required: true },
              {
                validator: async (_r, value?: string) => {
                  if (editing !== 'new' || !value) return;
                  const check = checkIdNumber(value, { today: chinaDate(new Date()) });
                  if (!check.ok) throw new Error(t(`cm.idInvalid.${check.problem}`));
                },
              },
            ]}
          >
            <Input className="mono" maxLength={18} disabled={editing !== 'new'} data-testid="resident-id-number" />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="name" label={t('cm.name')} rules={[{ required: true, whitespace: true }]}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="ethnicity" label={t('cm.ethnicity')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" options={ETHNICITIES.map((e) => ({ value: e.code, label: lang === 'en-US' ? e.en : e.zh }))} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="phone"
                label={t('cm.phone')}
                rules={[{ validator: async (_r, value?: string) => void (value && !value.includes('*') && !isCnMobile(value) ? Promise.reject(new Error(tx('community.invalid_phone', '手机号码格式不正确'))) : undefined) }]}
              >
                <Input className="mono" maxLength={11} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="residenceStatus" label={t('cm.residenceStatus')} rules={[{ required: true }]}>
                <Select options={RESIDENCE_STATUSES.map((s) => ({ value: s, label: t(`cm.residence.${s}`) }))} />
              </Form.Item>
            </Col>
            {editing === 'new' ? (
              <>
                <Col xs={24} sm={12}>
                  <Form.Item name="communityCode" label={t('cm.community')} rules={[{ required: true, message: t('cm.pickCommunity') }]}>
                    <RegionTreeSelect width="100%" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name="movedInOn" label={t('cm.movedInOn')}>
                    <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
                  </Form.Item>
                </Col>
              </>
            ) : null}
            <Col span={24}>
              <Form.Item name="address" label={t('cm.address')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
          </Row>
          {editing !== 'new' && editing?.masked ? <Typography.Text type="secondary">{t('cm.masked')}</Typography.Text> : null}
        </Form>
      </Modal>
      <MoveDialog resident={moving} onClose={() => setMoving(null)} onMoved={() => (setMoving(null), list.reload())} />
    </div>
  );
}
