// A resource's quality figures (completeness per item, rejection rate, freshness), for the catalogue detail page.
import { Alert, Descriptions, Progress, Space, Spin, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { qualityApi, type ResourceQuality as Figures } from './api.ts';
import { useFetch } from '../../components/useFetch.ts';

const percent = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

export function FreshnessTag({ freshness }: { freshness: Figures['freshness'] }) {
  const { t } = useI18n();
  if (freshness.live) return <Tag color="blue">{t('quality.live')}</Tag>;
  if (freshness.lastLoadAt === null) return <Tag color="red">{t('quality.never')}</Tag>;
  return freshness.overdue ? <Tag color="red">{t('quality.stale')}</Tag> : <Tag color="green">{t('quality.fresh')}</Tag>;
}

export function ResourceQualityView({ figures }: { figures: Figures }) {
  const { t, tx } = useI18n();
  const rate = percent(figures.rejection.rate);
  return (
    <div className="resource-quality" data-testid="resource-quality">
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered>
        <Descriptions.Item label={t('quality.score')}>
          <Typography.Text strong>{figures.score}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('quality.completeness')}>
          {figures.completeness.overall === null ? '—' : <Progress percent={percent(figures.completeness.overall)!} size="small" style={{ minWidth: 120 }} />}
        </Descriptions.Item>
        <Descriptions.Item label={t('quality.rejection')}>
          {rate === null ? '—' : `${rate}%`}
          <div className="quality-note">{t('quality.rejectionDetail', { loads: figures.rejection.loads, total: figures.rejection.totalRows, rejected: figures.rejection.rejectedRows })}</div>
        </Descriptions.Item>
        <Descriptions.Item label={t('quality.freshness')}>
          <Space size={4} wrap>
            <FreshnessTag freshness={figures.freshness} />
            <span>{tx(`quality.cycle.${figures.updateCycle}`, figures.updateCycle)}</span>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('quality.lastLoad')}>{formatDateTime(figures.freshness.lastLoadAt)}</Descriptions.Item>
        <Descriptions.Item label={t('quality.dueAt')}>{formatDateTime(figures.freshness.dueAt)}</Descriptions.Item>
        <Descriptions.Item label={t('quality.rows')}>{figures.rows.toLocaleString()}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('quality.items')} <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>{figures.completeness.source === 'load_stats' ? t('quality.fromStats') : t('quality.fromRows')}</Typography.Text>
      </Typography.Title>
      <div className="quality-items">
        {figures.completeness.items.map((item) => (
          <div key={item.code} className="quality-item">
            <span className="quality-item-name" title={item.code}>
              {item.name}
            </span>
            {item.ratio === null ? <span>—</span> : <Progress percent={percent(item.ratio)!} size="small" status={item.ratio < 0.9 ? 'exception' : 'normal'} />}
          </div>
        ))}
      </div>
    </div>
  );
}

/** Mount with the resource code: `<ResourceQuality code="…" />`. */
export default function ResourceQuality({ code }: { code: string }) {
  const { t } = useI18n();
  const { data, loading, error, reload } = useFetch(`quality|${code}`, (signal) => qualityApi.resource(code, signal));
  if (error) return <ErrorAlert error={error} onRetry={reload} />;
  if (loading && !data) return <Spin />;
  if (!data) return <Alert type="info" title={t('quality.empty')} />;
  return <ResourceQualityView figures={data} />;
}

export { ResourceQuality };
