// The demo inbox: what each phone number received at the built-in SMS centre, so a flow (sign-in code, notice)
// can be followed end to end without a carrier. With a carrier's SMS centre configured the server answers 404.
import { Alert, Button, Card, Col, Empty, List, Row, Space, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { isApiError } from '../../api/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { smsApi } from './api.ts';
import { useSmsT } from './useSmsT.ts';
import { useFetch } from '../../components/useFetch.ts';

export function Inbox() {
  const t = useSmsT();
  const { data: rows, loading, error, reload: load } = useFetch('sms.inbox', smsApi.inbox);
  if (isApiError(error) && error.code === 'sms.no_local_smsc') return <Alert type="info" showIcon message={t('inbox.carrier')} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="sms-inbox">
      <Space wrap>
        <Typography.Text type="secondary">{t('inbox.help')}</Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={load} loading={loading}>
          {t('inbox.refresh')}
        </Button>
      </Space>
      {error ? <ErrorAlert error={error} onRetry={load} /> : null}
      {rows && rows.length === 0 ? <Empty description={t('inbox.none')} /> : null}
      <Row gutter={[16, 16]}>
        {(rows ?? []).map((entry) => (
          <Col key={entry.number} xs={24} md={12} xl={8}>
            <Card size="small" title={<span className="mono">{entry.number}</span>} extra={t('total', { n: entry.messages.length })}>
              <List
                size="small"
                dataSource={[...entry.messages].reverse()}
                renderItem={(m) => (
                  <List.Item key={m.messageId}>
                    <Space direction="vertical" size={0} style={{ width: '100%' }}>
                      <Typography.Text style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{m.text}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(m.at)} · {m.from}
                        {m.segments > 1 ? ` · ${m.segments} ${t('segments')}` : ''}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
