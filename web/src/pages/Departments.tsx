// /departments — cursor-paginated department table with text search and a region filter; create and edit for
// holders of departments.manage.
import { useState } from 'react';
import { App as AntApp, Button, Card, Col, Form, Input, Row, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { api, DEPARTMENT_KINDS, type Department, type DepartmentKind, type DepartmentPatch } from '../api/index.ts';
import { CursorPager, useCursorList } from '../components/cursor.tsx';
import { DepartmentSelect } from '../components/DepartmentSelect.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { checkRule, FormModal, requiredRule } from '../components/FormModal.tsx';
import { RegionTreeSelect } from '../components/RegionTreeSelect.tsx';
import { useAuth, useI18n } from '../context.tsx';
import { formatDateTime } from '../format.ts';
import { PageHeader, usePhoneLayout } from '../Layout.tsx';
import { phoneColumns } from '../components/phoneColumns.tsx';
import { checkCreditCode, checkDepartmentCode, checkDisplayText } from '../validation.ts';

const KIND_COLORS: Record<string, string> = {
  party: 'red',
  government: 'blue',
  people_congress: 'volcano',
  cppcc: 'orange',
  court: 'purple',
  procuratorate: 'magenta',
  mass_org: 'gold',
  public_institution: 'cyan',
  enterprise: 'green',
  media: 'geekblue',
};

interface DepartmentFormValues {
  code: string;
  name: string;
  shortName?: string;
  kind: DepartmentKind;
  regionCode: string;
  parentId?: string | null;
  creditCode?: string;
}

/** Credit codes are upper case; spaces typed or pasted in are dropped. */
const normaliseCreditCode = (value: unknown): string => (typeof value === 'string' ? value.toUpperCase().replace(/\s+/g, '') : '');

/** Create (department === null) or edit one department. */
function DepartmentFormModal({ department, onCancel, onDone }: { department: Department | null; onCancel: () => void; onDone: (d: Department) => void }) {
  const { t, tx } = useI18n();
  const { message } = AntApp.useApp();
  const editing = department !== null;

  const submit = async (v: DepartmentFormValues): Promise<Department> => {
    const name = v.name.trim();
    const shortName = v.shortName?.trim() || null;
    const creditCode = normaliseCreditCode(v.creditCode) || null;
    const parentId = v.parentId ?? null;
    if (!department) {
      return api.createDepartment({ code: v.code.trim(), name, shortName, kind: v.kind, regionCode: v.regionCode, parentId, creditCode });
    }
    const patch: DepartmentPatch = {};
    if (name !== department.name) patch.name = name;
    if (shortName !== department.shortName) patch.shortName = shortName;
    if (v.kind !== department.kind) patch.kind = v.kind;
    if (parentId !== department.parentId) patch.parentId = parentId;
    if (creditCode !== department.creditCode) patch.creditCode = creditCode;
    if (Object.keys(patch).length === 0) {
      void message.info(t('common.noChanges'));
      return department;
    }
    const updated = await api.updateDepartment(department.id, patch);
    void message.success(t('departments.saved', { name: updated.name }));
    return updated;
  };

  return (
    <FormModal<DepartmentFormValues, Department>
      testId="department-form"
      title={editing ? t('departments.editTitle', { name: department.name }) : t('departments.create')}
      okText={editing ? t('common.save') : t('common.create')}
      width={680}
      initialValues={
        department
          ? {
              code: department.code,
              name: department.name,
              shortName: department.shortName ?? '',
              kind: department.kind as DepartmentKind,
              parentId: department.parentId,
              creditCode: department.creditCode ?? '',
            }
          : { kind: 'government' }
      }
      onSubmit={submit}
      onDone={onDone}
      onCancel={onCancel}
      successMessage={editing ? undefined : (d) => t('departments.created', { name: d.name })}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="code"
            label={t('departments.code')}
            required={!editing}
            rules={editing ? [] : [checkRule(t, checkDepartmentCode, { required: true })]}
            extra={editing ? t('departments.codeFixed') : t('departments.codeHint')}
          >
            <Input disabled={editing} maxLength={32} autoComplete="off" className="mono" placeholder="6505-FGW" />
          </Form.Item>
        </Col>
        <Col span={12}>
          {editing ? (
            <Form.Item label={t('departments.region')} extra={t('departments.regionFixed')}>
              <Input disabled value={`${department.regionName}（${department.regionCode}）`} />
            </Form.Item>
          ) : (
            <Form.Item name="regionCode" label={t('departments.region')} rules={[requiredRule(t)]}>
              <RegionTreeSelect width="100%" placeholder={t('departments.regionPick')} />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Form.Item name="name" label={t('departments.name')} required rules={[checkRule(t, (s) => checkDisplayText(s, 100), { required: true })]}>
        <Input maxLength={100} showCount placeholder={t('departments.namePlaceholder')} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="shortName" label={t('departments.shortName')} rules={[checkRule(t, (s) => checkDisplayText(s, 50))]}>
            <Input maxLength={50} placeholder={t('departments.shortNamePlaceholder')} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="kind" label={t('departments.kind')} rules={[requiredRule(t)]}>
            <Select<DepartmentKind> options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: tx(`kind.${k}`, k) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="parentId" label={t('departments.parent')} extra={t('departments.parentHint')}>
        <DepartmentSelect width="100%" placeholder={t('departments.parentPick')} excludeId={department?.id} />
      </Form.Item>
      <Form.Item
        name="creditCode"
        label={t('departments.creditCode')}
        normalize={normaliseCreditCode}
        rules={[checkRule(t, checkCreditCode)]}
        extra={t('departments.creditCodeHint')}
      >
        <Input maxLength={18} showCount className="mono" autoComplete="off" placeholder="11650500XXXXXXXXXX" />
      </Form.Item>
    </FormModal>
  );
}

export default function DepartmentsPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const canManage = can('departments.manage');
  const phone = usePhoneLayout();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [regionCode, setRegionCode] = useState<string | undefined>(undefined);
  // null: closed; 'new': create; a department: edit it.
  const [editing, setEditing] = useState<Department | 'new' | null>(null);

  const query = { q: q || undefined, regionCode };
  const list = useCursorList<Department>(JSON.stringify(query), (cursor, signal, limit) => api.departments({ ...query, cursor, limit }, signal), { choosePageSize: true });

  const onSaved = (d: Department) => {
    const created = editing === 'new';
    setEditing(null);
    if (created) {
      // Show the new department: the list is in directory order, so it may be on any page.
      setInput(d.code);
      setRegionCode(undefined);
      if (q === d.code && regionCode === undefined) list.reload();
      else setQ(d.code);
    } else {
      list.reload();
    }
  };

  const columns: TableColumnsType<Department> = [
    { title: t('departments.code'), dataIndex: 'code', key: 'code', width: 150, className: 'mono' },
    {
      title: t('departments.name'),
      dataIndex: 'name',
      key: 'name',
      ellipsis: { showTitle: false },
      render: (name: string) => (
        <Tooltip title={name} placement="topLeft">
          {name}
        </Tooltip>
      ),
    },
    { title: t('departments.shortName'), dataIndex: 'shortName', key: 'shortName', width: 140, render: (v: string | null) => v ?? '—' },
    {
      title: t('departments.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 110,
      render: (v: string) => <Tag color={KIND_COLORS[v]}>{tx(`kind.${v}`, v)}</Tag>,
    },
    {
      title: t('departments.region'),
      key: 'region',
      width: 200,
      render: (_: unknown, d: Department) => (
        <span>
          {d.regionName} <span className="muted-mono">{d.regionCode}</span>
        </span>
      ),
    },
    { title: t('departments.creditCode'), dataIndex: 'creditCode', key: 'creditCode', width: 190, className: 'mono', render: (v: string | null) => v ?? '—' },
    { title: t('departments.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_: unknown, d: Department) => (
        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(d)} aria-label={`${t('common.edit')} ${d.code}`}>
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <div className="page">
      <PageHeader
        title={t('departments.title')}
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="department-create">
              {t('departments.create')}
            </Button>
          ) : null
        }
      />
      <Card size="small" className="page-card">
        <div className="filter-bar">
          <Space wrap>
            <Input.Search
              allowClear
              style={{ width: 280 }}
              placeholder={t('departments.searchPlaceholder')}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onSearch={(v) => setQ(v.trim())}
              enterButton={t('common.search')}
              data-testid="department-search"
            />
            <RegionTreeSelect value={regionCode} onChange={setRegionCode} placeholder={t('departments.regionFilter')} width={260} />
          </Space>
        </div>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<Department>
          size="small"
          rowKey="id"
          columns={phoneColumns(columns, phone, {
            key: 'name',
            title: t('departments.name'),
            width: 190,
            primary: (d) => d.name,
            secondary: (d) => d.code,
            folds: ['code'],
          })}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: phone ? 1000 : canManage ? 1200 : 1100 }}
          data-testid="department-table"
        />
        <CursorPager list={list} />
      </Card>
      {editing !== null ? (
        <DepartmentFormModal department={editing === 'new' ? null : editing} onCancel={() => setEditing(null)} onDone={onSaved} />
      ) : null}
    </div>
  );
}
