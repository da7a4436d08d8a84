// The department form (create or edit) and the kind colours, shared by the list and the detail page.
import { App as AntApp, Col, Form, Input, Row, Select } from 'antd';
import { api, DEPARTMENT_KINDS, type Department, type DepartmentKind, type DepartmentPatch } from '../../api/index.ts';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { checkRule, FormModal, requiredRule } from '../../components/FormModal.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useI18n } from '../../context.tsx';
import { checkCreditCode, checkDepartmentCode, checkDisplayText } from '../../validation.ts';

export const KIND_COLORS: Record<string, string> = {
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
export function DepartmentFormModal({ department, onCancel, onDone }: { department: Department | null; onCancel: () => void; onDone: (d: Department) => void }) {
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

