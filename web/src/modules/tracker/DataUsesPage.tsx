// /data-uses — 数据使用记录查询: an auditor looks a person up by ID number (the lookup itself is logged); covert reads
// are shown flagged.
import { useState } from 'react';
import { Alert, Input, Space, Tag, Typography } from 'antd';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { checkIdNumber, chinaDate } from '../../../../src/shared/id-number.ts';
import { trackerApi, type AuditedDataUse } from './api.ts';

export default function DataUsesPage() {
  const { t, tx } = useI18n();
  const [idNumber, setIdNumber] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [invalid, setInvalid] = useState(false);
  const fetchPage: PageFetcher<AuditedDataUse> = (cursor, signal, limit) =>
    idNumber ? trackerApi.lookup(idNumber, cursor, limit, signal) : Promise.resolve({ items: [], nextCursor: null });
  const list = useCursorList<AuditedDataUse>(`data-uses|${idNumber ?? ''}`, fetchPage, { choosePageSize: true });

  const search = (value: string) => {
    const check = checkIdNumber(value, { today: chinaDate(new Date()) });
    setInvalid(!check.ok);
    if (check.ok) setIdNumber(check.idNumber);
  };

  const columns: ListColumn<AuditedDataUse>[] = [
    { key: 'at', title: t('tracker.at'), dataIndex: 'at', width: 170, required: true, sort: (u) => u.at, render: (u) => formatDateTime(u.at) },
    {
      key: 'departmentName',
      title: t('tracker.department'),
      dataIndex: 'departmentName',
      width: 200,
      render: (u) => (
        <Space size={4} wrap>
          {u.departmentName ?? '—'}
          {u.covert ? <Tag color="purple">{t('tracker.covert')}</Tag> : null}
        </Space>
      ),
    },
    { key: 'systemName', title: t('tracker.system'), dataIndex: 'systemName', width: 160, render: (u) => u.systemName ?? '—' },
    { key: 'resourceName', title: t('tracker.resource'), dataIndex: 'resourceName', width: 200 },
    { key: 'items', title: t('tracker.items'), width: 220, render: (u) => u.items.map((i) => i.name).join('、'), exportValue: (u) => u.items.map((i) => i.name).join('、') },
    { key: 'purpose', title: t('tracker.purpose'), dataIndex: 'purpose', width: 180, render: (u) => u.purpose ?? '—' },
    { key: 'rows', title: t('tracker.rows'), dataIndex: 'rows', width: 70, render: (u) => u.rows ?? '—' },
    { key: 'via', title: t('tracker.via'), dataIndex: 'via', width: 120, render: (u) => tx(`tracker.via.${u.via}`, u.via) },
    { key: 'actorName', title: t('tracker.actor'), dataIndex: 'actorName', width: 160, defaultHidden: true, render: (u) => u.actorName ?? '—' },
    { key: 'covert', title: t('tracker.covert'), dataIndex: 'covert', width: 90, defaultHidden: true, render: (u) => (u.covert ? t('tracker.covert') : '—'), exportValue: (u) => (u.covert ? 'covert' : '') },
  ];

  return (
    <div className="page">
      <PageHeader title={t('tracker.title')} />
      <Typography.Paragraph type="secondary">{t('tracker.help')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
        <Input.Search
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={search}
          placeholder={t('tracker.idNumber')}
          enterButton={t('tracker.search')}
          maxLength={18}
          allowClear
          style={{ maxWidth: 420 }}
          data-testid="data-uses-id"
          status={invalid ? 'error' : undefined}
        />
        {invalid ? <Alert type="error" showIcon title={t('tracker.invalidId')} /> : null}
      </Space>
      {idNumber ? (
        <ListPage<AuditedDataUse>
          id="data-uses"
          list={list}
          fetchPage={fetchPage}
          columns={columns}
          rowKey="id"
          rowTestId="data-use"
          scrollX={1300}
          emptyText={t('tracker.empty')}
          phoneLead={{ key: 'resourceName', width: 200, primary: (u) => u.resourceName, secondary: (u) => `${formatDateTime(u.at)} · ${u.departmentName ?? ''}`, folds: ['at', 'departmentName'] }}
        />
      ) : null}
    </div>
  );
}
