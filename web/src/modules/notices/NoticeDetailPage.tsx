// /notices/:id — one notice: its status, counts per status (refreshed while it is being sent), its text and the
// recipients it did not reach, with reasons (masked).
import { useEffect } from 'react';
import { Card, Col, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFetch } from '../../components/useFetch.ts';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { Link, useParams } from '../../router.tsx';
import { noticesApi, type NoticeDetail } from './api.ts';
import { CountTags, STATUS_COLORS } from './History.tsx';
import { useNoticesT } from './useNoticesT.ts';

type Failure = NoticeDetail['failures'][number];

export default function NoticeDetailPage() {
  const t = useNoticesT();
  const phone = usePhoneLayout();
  const { id = '' } = useParams<'id'>();
  const notice = useFetch(`notice-${id}`, (signal) => noticesApi.detail(id, signal));
  const { reload } = notice;
  const sending = notice.data?.status === 'sending';
  useEffect(() => {
    if (!sending) return;
    const timer = setInterval(reload, 3000);
    return () => clearInterval(timer);
  }, [sending, reload]);
  const n = notice.data;
  return (
    <div data-testid="notice-detail">
      <PageHeader title={n?.title ?? t('title')} extra={<Link to="/notices">{t('detail.back')}</Link>} />
      {notice.error ? <ErrorAlert error={notice.error} onRetry={reload} /> : null}
      {n ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <Card size="small">
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('col.status')}>
                  <Tag color={STATUS_COLORS[n.status]}>{t(`status.${n.status}`)}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('col.region')}>
                  <span className="mono">{n.regionCode}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('col.channels')}>{n.channels.map((c) => t(`channel.${c}`)).join(' / ')}</Descriptions.Item>
                <Descriptions.Item label={t('col.sentAt')}>{n.sentAt ? formatDateTime(n.sentAt) : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('detail.text')}>
                  <Typography.Text>{n.text}</Typography.Text>
                </Descriptions.Item>
              </Descriptions>
              <CountTags counts={n.counts} />
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card size="small" title={t('detail.failures')}>
              <Table<Failure>
                size="small"
                rowKey={(f) => `${f.name}|${f.phone ?? ''}|${f.reason}|${f.at ?? ''}`}
                dataSource={n.failures}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                scroll={{ x: phone ? 480 : undefined }}
                columns={[
                  { key: 'name', title: t('common.name'), dataIndex: 'name', width: 100 },
                  { key: 'phone', title: t('common.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
                  {
                    key: 'reason',
                    title: t('detail.reason'),
                    render: (_v, f) => (
                      <Space size={4}>
                        <Tag color={f.reason === 'failed' ? 'error' : 'warning'}>{t(`reason.${f.reason}`)}</Tag>
                        {f.error ? <Typography.Text type="secondary">{f.error}</Typography.Text> : null}
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      ) : null}
    </div>
  );
}
