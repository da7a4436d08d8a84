// /calendar — 工作日历: the loaded years and their days, a deadline calculator, and (calendar.manage) the form that
// loads a year's schedule from a JSON or CSV file.
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { isAbortError } from '../../api/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { calendarApi, type CalendarStatus, type CalendarYear, type YearDays } from './api.ts';
import { CALENDAR_CHANGED } from './CoverageBanner.tsx';
import './calendar.css';

function YearDaysCard({ year }: { year: number }) {
  const { t } = useI18n();
  const [data, setData] = useState<YearDays | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    calendarApi.year(year, controller.signal).then(setData, (err: unknown) => {
      if (!isAbortError(err)) setError(err);
    });
    return () => controller.abort();
  }, [year]);
  return (
    <Card size="small" title={t('calendar.days', { year })} data-testid="calendar-year-days">
      <ErrorAlert error={error} />
      <div className="calendar-days">
        {(data?.days ?? []).map((d) => (
          <Tag key={d.date} color={d.kind === 'holiday' ? 'red' : 'blue'}>
            {d.date.slice(5)} {t(d.kind === 'holiday' ? 'calendar.kind.holiday' : 'calendar.kind.workday')} · {d.name}
          </Tag>
        ))}
      </div>
    </Card>
  );
}

function Calculator({ today }: { today: string }) {
  const { t } = useI18n();
  const [result, setResult] = useState<{ date: string; provisional: boolean; n: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const onFinish = async (v: { date: string; n: number }) => {
    setError(null);
    try {
      setResult({ ...(await calendarApi.add(v.date.trim(), v.n)), n: v.n });
    } catch (err) {
      setResult(null);
      setError(err);
    }
  };
  return (
    <Card size="small" title={t('calendar.compute')}>
      <Form layout="inline" initialValues={{ date: today, n: 20 }} onFinish={(v) => void onFinish(v)} className="calendar-compute" data-testid="calendar-compute">
        <Form.Item name="date" label={t('calendar.from')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}>
          <Input placeholder="YYYY-MM-DD" maxLength={10} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="n" label={t('calendar.n')} rules={[{ required: true }]}>
          <InputNumber min={-10000} max={10000} precision={0} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {t('calendar.computeBtn')}
          </Button>
        </Form.Item>
      </Form>
      <ErrorAlert error={error} />
      {result ? (
        <div className="calendar-result" data-testid="calendar-result">
          <Typography.Text strong>{t('calendar.result', { n: result.n, date: result.date })}</Typography.Text>{' '}
          {result.provisional ? (
            <>
              <Tag color="orange">{t('calendar.provisional')}</Tag>
              <Typography.Paragraph type="warning">{t('calendar.provisionalHint')}</Typography.Paragraph>
            </>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

function LoadForm({ onLoaded }: { onLoaded: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ text: string; replace: boolean }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const pick = (file: File | undefined) => {
    if (file) void file.text().then((text) => form.setFieldsValue({ text }));
  };
  const onFinish = async (v: { text: string; replace?: boolean }) => {
    setSaving(true);
    setError(null);
    try {
      const loaded = await calendarApi.loadText(v.text, v.replace === true);
      void message.success(t('calendar.loaded', { year: loaded.year, holidays: loaded.holidays, workdays: loaded.workdays }));
      form.resetFields();
      window.dispatchEvent(new Event(CALENDAR_CHANGED));
      onLoaded();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title={t('calendar.load')}>
      <Typography.Paragraph type="secondary" className="calendar-hint">
        {t('calendar.loadHint')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)} data-testid="calendar-load-form">
        <Form.Item>
          <label className="ant-btn ant-btn-default calendar-file">
            <UploadOutlined /> {t('calendar.file')}
            <input type="file" accept=".json,.csv,application/json,text/csv" hidden onChange={(e) => pick(e.target.files?.[0])} data-testid="calendar-file" />
          </label>
        </Form.Item>
        <Form.Item name="text" label={t('calendar.text')} rules={[{ required: true, message: t('calendar.textRequired') }]}>
          <Input.TextArea rows={6} maxLength={60000} spellCheck={false} className="calendar-text" />
        </Form.Item>
        <Form.Item name="replace" valuePropName="checked">
          <Checkbox>{t('calendar.replace')}</Checkbox>
        </Form.Item>
        <ErrorAlert error={error} />
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('calendar.loadBtn')}
        </Button>
      </Form>
    </Card>
  );
}

export default function CalendarPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState<CalendarStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    const controller = new AbortController();
    calendarApi.status(controller.signal).then(
      (s) => {
        setStatus(s);
        setSelected((cur) => cur ?? s.years.find((y) => y.year === Number(s.today.slice(0, 4)))?.year ?? s.years[s.years.length - 1]?.year ?? null);
      },
      (err: unknown) => {
        if (!isAbortError(err)) setError(err);
      },
    );
    return () => controller.abort();
  }, [tick]);

  const columns: TableColumnsType<CalendarYear> = [
    { title: t('calendar.year'), dataIndex: 'year', width: 80 },
    { title: t('calendar.source'), dataIndex: 'source', render: (s: CalendarYear['source']) => <Tag color={s === 'admin' ? 'green' : 'default'}>{t(s === 'admin' ? 'calendar.source.admin' : 'calendar.source.package')}</Tag> },
    { title: t('calendar.holidays'), dataIndex: 'holidays', width: 90 },
    { title: t('calendar.workdays'), dataIndex: 'workdays', width: 110 },
    { title: t('calendar.loadedAt'), dataIndex: 'loadedAt', render: (v: string) => formatDateTime(v), responsive: ['md'] },
  ];

  return (
    <>
      <PageHeader title={t('calendar.title')} />
      <ErrorAlert error={error} onRetry={reload} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Space direction="vertical" size={16} className="calendar-column">
            <Calculator today={status?.today ?? ''} key={status?.today ?? 'none'} />
            {status?.canManage ? <LoadForm onLoaded={reload} /> : null}
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <Space direction="vertical" size={16} className="calendar-column">
            <Card size="small" title={t('calendar.years')}>
              <Table<CalendarYear>
                size="small"
                rowKey="year"
                columns={columns}
                dataSource={[...(status?.years ?? [])].reverse()}
                loading={!status && !error}
                pagination={{ pageSize: 8, size: 'small' }}
                scroll={{ x: 'max-content' }}
                rowClassName={(r) => (r.year === selected ? 'ant-table-row-selected' : '')}
                onRow={(r) => ({ onClick: () => setSelected(r.year), style: { cursor: 'pointer' } })}
                data-testid="calendar-years"
              />
            </Card>
            {selected !== null ? <YearDaysCard year={selected} key={`${selected}:${tick}`} /> : null}
          </Space>
        </Col>
      </Row>
    </>
  );
}
