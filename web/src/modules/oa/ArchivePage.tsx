// /oa/archive — 归档: read-only search over the documents I sent or received (all in my scope with oa.archive).
import { useState } from 'react';
import { DatePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { oaApi } from './api.ts';
import { DocumentsTable } from './DocumentsTable.tsx';

export default function ArchivePage() {
  const { t } = useI18n();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const from = range?.[0]?.format('YYYY-MM-DD');
  const to = range?.[1]?.format('YYYY-MM-DD');
  return (
    <div className="page">
      <PageHeader title={t('oa.archive.title')} />
      <DocumentsTable
        id="oa-archive"
        base="/oa/archive"
        filterKey={`${from}|${to}`}
        fetch={(q, cursor, limit, signal) => oaApi.archive_({ q, cursor, limit, from, to }, signal)}
        filters={<DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} placeholder={[t('oa.from'), t('oa.to')]} data-testid="oa-archive-range" />}
      />
    </div>
  );
}
