// /metering — 计量计费: a month's usage per department (allocated against used, ECharts bars), the chargeback per
// department and business system with totals and the XLSX export, the tariff in force and, for managers, its editor.
import { useMemo, useState } from 'react';
import { App as AntApp, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Row, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { BarChart } from 'echarts/charts';
import * as echarts from 'echarts/core';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { EChart } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { saveBlob } from '../../components/list/exportRows.ts';
import { useFetch } from '../../components/useFetch.ts';
import { useAuth, useI18n } from '../../context.tsx';
import { describeError } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { meteringApi, type Chargeback, type Tariffs } from './api.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent]);

type ChargeRow = Chargeback['rows'][number];
type Tariff = Tariffs['current'];

const yuan = (v: number) => v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const amount = (v: number) => v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
/** Used storage in GB-hours, or in MiB-hours below one GB-hour: a sparse volume's few MiB must not show as 0 (D121). */
const storageUsed = (gbHours: number) => (gbHours >= 1 ? `${amount(gbHours)} GB·h` : `${(gbHours * 1024).toLocaleString('zh-CN', { maximumFractionDigits: 3 })} MiB·h`);

function TariffCard({ tariffs, onSaved }: { tariffs: Tariffs; onSaved: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm();
  const current = tariffs.current;
  const manage = can('metering.tariffs.manage');
  const save = async (values: { effectiveMonth: Dayjs; vcpuHour: number; memoryGbHour: number; storageGbHour: number; stoppedDiscount: number; note?: string }) => {
    setSaving(true);
    try {
      const month = values.effectiveMonth.format('YYYY-MM');
      await meteringApi.setTariff({ effectiveMonth: month, vcpuHour: values.vcpuHour, memoryGbHour: values.memoryGbHour, storageGbHour: values.storageGbHour, stoppedDiscount: values.stoppedDiscount, note: values.note ?? '' });
      void message.success(t('metering.tariff.saved', { month }));
      onSaved();
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title={t('metering.tariff.current', { month: current.effectiveMonth })} data-testid="metering-tariff">
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
        <Descriptions.Item label={t('metering.tariff.vcpuHour')}>{current.vcpuHour}</Descriptions.Item>
        <Descriptions.Item label={t('metering.tariff.memoryGbHour')}>{current.memoryGbHour}</Descriptions.Item>
        <Descriptions.Item label={t('metering.tariff.storageGbHour')}>{current.storageGbHour}</Descriptions.Item>
        <Descriptions.Item label={t('metering.tariff.stoppedDiscount')}>{`${Math.round(current.stoppedDiscount * 100)}%`}</Descriptions.Item>
      </Descriptions>
      {manage ? (
        <>
          <Typography.Title level={5}>{t('metering.tariff.edit')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('metering.tariff.pastHint')}</Typography.Paragraph>
          <Form
            form={form}
            layout="vertical"
            onFinish={(v) => void save(v)}
            initialValues={{ effectiveMonth: dayjs().add(1, 'month').startOf('month'), vcpuHour: current.vcpuHour, memoryGbHour: current.memoryGbHour, storageGbHour: current.storageGbHour, stoppedDiscount: current.stoppedDiscount }}
          >
            <Row gutter={12}>
              <Col xs={24} sm={12} lg={4}>
                <Form.Item name="effectiveMonth" label={t('metering.tariff.effectiveMonth')} rules={[{ required: true }]}>
                  <DatePicker picker="month" style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'month')} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={4}>
                <Form.Item name="vcpuHour" label={t('metering.tariff.vcpuHour')} rules={[{ required: true }]}>
                  <InputNumber min={0} step={0.01} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={4}>
                <Form.Item name="memoryGbHour" label={t('metering.tariff.memoryGbHour')} rules={[{ required: true }]}>
                  <InputNumber min={0} step={0.01} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={4}>
                <Form.Item name="storageGbHour" label={t('metering.tariff.storageGbHour')} rules={[{ required: true }]}>
                  <InputNumber min={0} step={0.0001} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={4}>
                <Form.Item name="stoppedDiscount" label={t('metering.tariff.stoppedDiscount')} rules={[{ required: true }]}>
                  <InputNumber min={0} max={1} step={0.05} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={4}>
                <Form.Item name="note" label={t('metering.tariff.note')}>
                  <Input maxLength={500} />
                </Form.Item>
              </Col>
            </Row>
            <Button type="primary" htmlType="submit" loading={saving}>
              {t('metering.tariff.save')}
            </Button>
          </Form>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('metering.tariff.history')}
          </Typography.Title>
          <Table<Tariff>
            size="small"
            rowKey="id"
            pagination={{ pageSize: 5, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            dataSource={tariffs.history}
            columns={[
              { title: t('metering.tariff.effectiveMonth'), dataIndex: 'effectiveMonth', key: 'm' },
              { title: t('metering.tariff.vcpuHour'), dataIndex: 'vcpuHour', key: 'v', align: 'right' },
              { title: t('metering.tariff.memoryGbHour'), dataIndex: 'memoryGbHour', key: 'mem', align: 'right' },
              { title: t('metering.tariff.storageGbHour'), dataIndex: 'storageGbHour', key: 's', align: 'right' },
              { title: t('metering.tariff.stoppedDiscount'), dataIndex: 'stoppedDiscount', key: 'd', align: 'right', render: (v: number) => `${Math.round(v * 100)}%` },
              { title: t('metering.tariff.note'), dataIndex: 'note', key: 'n' },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}

export default function MeteringPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  const [exporting, setExporting] = useState(false);
  const m = month.format('YYYY-MM');
  const usage = useFetch(`usage:${m}`, (signal) => meteringApi.usage(m, signal));
  const charge = useFetch(`charge:${m}`, (signal) => meteringApi.chargeback(m, signal));
  const tariffs = useFetch('tariffs', (signal) => meteringApi.tariffs(signal));

  const chartOption = useMemo(() => {
    const rows = usage.data?.rows ?? [];
    const names = rows.map((r) => r.departmentName);
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 30 : 0, width: 110, overflow: 'truncate' } },
      yAxis: { type: 'value' },
      series: [
        { name: t('metering.chart.vcpuAllocated'), type: 'bar', data: rows.map((r) => r.vcpuHours), itemStyle: { color: '#1677ff' } },
        { name: t('metering.chart.vcpuUsed'), type: 'bar', data: rows.map((r) => r.vcpuHoursUsed), itemStyle: { color: '#69b1ff' } },
        { name: t('metering.chart.memAllocated'), type: 'bar', data: rows.map((r) => r.memoryGbHours), itemStyle: { color: '#389e0d' } },
        { name: t('metering.chart.memUsed'), type: 'bar', data: rows.map((r) => r.memoryGbHoursUsed), itemStyle: { color: '#95de64' } },
      ],
    };
  }, [usage.data, t]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await meteringApi.exportXlsx(m);
      saveBlob(blob, filename);
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setExporting(false);
    }
  };

  const report = charge.data;
  const percent = (v: number | null) => (v === null ? t('metering.unknown') : `${v}%`);
  return (
    <>
      <PageHeader
        title={t('metering.title')}
        extra={
          <Space wrap>
            <DatePicker picker="month" aria-label={t('metering.month')} allowClear={false} value={month} onChange={(d) => d && setMonth(d.startOf('month'))} disabledDate={(d) => d.isAfter(dayjs(), 'month')} />
            <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()} loading={exporting} disabled={!report || report.rows.length === 0} data-testid="metering-export">
              {t('metering.export')}
            </Button>
          </Space>
        }
      />
      {usage.error ? <ErrorAlert error={usage.error} /> : null}
      {charge.error ? <ErrorAlert error={charge.error} /> : null}
      <Row gutter={[12, 12]}>
        <Col xs={24}>
          <Card size="small" title={t('metering.usage')}>
            {usage.data && usage.data.rows.length > 0 ? (
              <>
                <EChart option={chartOption} height={320} label={t('metering.usage')} testId="metering-chart" />
                <Table
                  size="small"
                  rowKey="departmentId"
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  dataSource={usage.data.rows}
                  columns={[
                    { title: t('metering.department'), dataIndex: 'departmentName', key: 'd', fixed: 'left' },
                    { title: t('metering.vms'), dataIndex: 'vms', key: 'vms', align: 'right' },
                    { title: t('metering.chart.vcpuAllocated'), dataIndex: 'vcpuHours', key: 'v', align: 'right', render: amount },
                    { title: t('metering.chart.memAllocated'), dataIndex: 'memoryGbHours', key: 'mem', align: 'right', render: amount },
                    { title: t('metering.storage'), dataIndex: 'storageGbHours', key: 's', align: 'right', render: amount },
                    { title: t('metering.storageUsed'), dataIndex: 'storageGbHoursUsed', key: 'su', align: 'right', render: (v: number | null) => (v === null ? t('metering.unknown') : <span data-testid="metering-storage-used">{storageUsed(v)}</span>) },
                    { title: t('metering.utilisation'), dataIndex: 'cpuUtilisation', key: 'cu', align: 'right', render: percent },
                    { title: t('metering.memUtilisation'), dataIndex: 'memoryUtilisation', key: 'mu', align: 'right', render: percent },
                    { title: t('metering.storageUtilisation'), dataIndex: 'storageUtilisation', key: 'gu', align: 'right', render: percent },
                  ]}
                />
              </>
            ) : (
              <Empty description={t('metering.empty')} />
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={report ? `${t('metering.chargeback')} · ${report.month}` : t('metering.chargeback')} extra={report ? <Typography.Text strong data-testid="metering-total">{`${t('metering.totalYuan')} ${yuan(report.totalYuan)}`}</Typography.Text> : null}>
            <Table<ChargeRow>
              size="small"
              rowKey={(r) => `${r.departmentId}:${r.businessSystemId ?? ''}`}
              loading={charge.loading}
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={report?.rows ?? []}
              data-testid="metering-chargeback"
              columns={[
                { title: t('metering.department'), dataIndex: 'departmentName', key: 'd', fixed: 'left' },
                { title: t('metering.system'), dataIndex: 'businessSystemName', key: 'b', render: (v: string | null) => v ?? t('metering.noSystem') },
                { title: t('metering.vms'), dataIndex: 'vms', key: 'vms', align: 'right' },
                { title: t('metering.vcpuRunning'), dataIndex: 'vcpuHoursRunning', key: 'vr', align: 'right', render: amount },
                { title: t('metering.vcpuStopped'), dataIndex: 'vcpuHoursStopped', key: 'vs', align: 'right', render: amount },
                { title: t('metering.memRunning'), dataIndex: 'memoryGbHoursRunning', key: 'mr', align: 'right', render: amount },
                { title: t('metering.memStopped'), dataIndex: 'memoryGbHoursStopped', key: 'ms', align: 'right', render: amount },
                { title: t('metering.storage'), dataIndex: 'storageGbHours', key: 's', align: 'right', render: amount },
                { title: t('metering.runningYuan'), dataIndex: 'runningYuan', key: 'ry', align: 'right', render: yuan },
                { title: t('metering.stoppedYuan'), dataIndex: 'stoppedYuan', key: 'sy', align: 'right', render: yuan },
                { title: t('metering.storageYuan'), dataIndex: 'storageYuan', key: 'gy', align: 'right', render: yuan },
                { title: t('metering.totalYuan'), dataIndex: 'totalYuan', key: 'ty', align: 'right', render: (v: number) => <strong>{yuan(v)}</strong> },
              ]}
              summary={() =>
                report && report.rows.length > 0 ? (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <strong>{t('metering.total')}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} colSpan={10} />
                    <Table.Summary.Cell index={11} align="right">
                      <strong data-testid="metering-summary-total">{yuan(report.totalYuan)}</strong>
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                ) : null
              }
            />
          </Card>
        </Col>
        <Col xs={24}>{tariffs.data ? <TariffCard tariffs={tariffs.data} onSaved={tariffs.reload} /> : tariffs.error ? <ErrorAlert error={tariffs.error} /> : null}</Col>
      </Row>
    </>
  );
}
