// /residents — 人员综合视图: search by ID number, one card per source resource (granted items, masked; or "no grant").
import { useState } from 'react';
import { Alert, Card, Descriptions, Empty, Input, Space, Spin, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { checkIdNumber, chinaDate } from '../../../../src/shared/id-number.ts';
import { residentsApi, type ResidentSource, type ResidentView } from './api.ts';
import './residents.css';

const show = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));

function SourceCard({ source }: { source: ResidentSource }) {
  const { t, tx } = useI18n();
  const granted = source.access === 'granted';
  return (
    <Card
      size="small"
      className="resident-card"
      data-testid="resident-source"
      title={
        <Space size={6} wrap>
          <span>{source.resourceName}</span>
          {source.theme ? <Tag>{tx(`residents.theme.${source.theme}`, source.theme)}</Tag> : null}
        </Space>
      }
      extra={granted ? <Tag color="green">{t('residents.granted')}</Tag> : <Tag>{t('residents.notGranted')}</Tag>}
    >
      <div className="resident-meta">
        {t('residents.provider')}：{source.providerDepartmentName} · {t('residents.lastLoad')}：{formatDateTime(source.lastLoadAt)}
      </div>
      {!granted ? <Alert type="info" showIcon title={t('residents.noGrant')} /> : null}
      {granted && source.records.length === 0 ? <Typography.Text type="secondary">{t('residents.noRecord')}</Typography.Text> : null}
      {source.records.map((record, i) => (
        <div key={i} className="resident-record">
          <Descriptions size="small" column={1} bordered>
            {source.items.map((item) => (
              <Descriptions.Item key={item.code} label={item.name}>
                {show(record.values[item.code])}
              </Descriptions.Item>
            ))}
          </Descriptions>
          <div className="resident-meta">
            {t('residents.updatedAt')}：{formatDateTime(record.updatedAt)}
          </div>
        </div>
      ))}
    </Card>
  );
}

export default function ResidentsPage() {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [view, setView] = useState<ResidentView | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const search = async (value: string) => {
    const check = checkIdNumber(value, { today: chinaDate(new Date()) });
    setInvalid(!check.ok);
    if (!check.ok) return;
    setLoading(true);
    try {
      setView(await residentsApi.view(check.idNumber));
      setError(null);
    } catch (err) {
      setError(err);
      setView(null);
    } finally {
      setLoading(false);
    }
  };

  const granted = view?.sources.filter((s) => s.access === 'granted').length ?? 0;
  return (
    <div className="page residents-page">
      <PageHeader title={t('residents.title')} />
      <Typography.Paragraph type="secondary">{t('residents.help')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
        <Input.Search
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(v) => void search(v)}
          placeholder={t('residents.idNumber')}
          enterButton={t('residents.search')}
          maxLength={18}
          allowClear
          loading={loading}
          style={{ maxWidth: 420 }}
          status={invalid ? 'error' : undefined}
          data-testid="resident-id"
        />
        {invalid ? <Alert type="error" showIcon title={t('residents.invalidId')} /> : null}
      </Space>
      {error ? <ErrorAlert error={error} /> : null}
      {loading && !view ? <Spin /> : null}
      {view ? (
        <>
          <Typography.Text type="secondary">{t('residents.sources', { n: view.sources.length, granted })}</Typography.Text>
          {view.sources.length === 0 ? <Empty /> : null}
          <div className="resident-grid">
            {view.sources.map((s) => (
              <SourceCard key={s.resourceCode} source={s} />
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}
