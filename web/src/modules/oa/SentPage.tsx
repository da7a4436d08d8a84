// /oa/sent — 发文: my department's documents, drafts included, and the button to draft a new one.
import { useState } from 'react';
import { Button, Select } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { oaApi, type ListedDocument } from './api.ts';
import { DocumentsTable } from './DocumentsTable.tsx';

const STATUSES: ListedDocument['status'][] = ['draft', 'sent', 'withdrawn', 'archived'];

export default function SentPage() {
  const { t, tx } = useI18n();
  const [status, setStatus] = useState<ListedDocument['status'] | 'all'>('all');
  return (
    <div className="page">
      <PageHeader
        title={t('oa.sent.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/oa/sent/new')} data-testid="oa-compose">
            {t('oa.compose')}
          </Button>
        }
      />
      <DocumentsTable
        id="oa-sent"
        base="/oa/sent"
        filterKey={status}
        fetch={(q, cursor, limit, signal) => oaApi.sent({ q, cursor, limit, status: status === 'all' ? undefined : status }, signal)}
        filters={
          <Select<ListedDocument['status'] | 'all'>
            value={status}
            onChange={setStatus}
            style={{ width: 140 }}
            options={[{ value: 'all', label: t('oa.all') }, ...STATUSES.map((s) => ({ value: s, label: tx(`oa.status.${s}`, s) }))]}
            data-testid="oa-sent-status"
          />
        }
      />
    </div>
  );
}
