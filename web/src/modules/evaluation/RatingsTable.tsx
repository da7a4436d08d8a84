// The ratings list the 好差评 and 差评回访 pages share: filters (level, bad only, follow-up state, month), the
// follow-up state derived by the server, and the follow-up form for a bad rating awaiting it.
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Radio, Rate, Select, Space, Switch, Tag } from 'antd';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { describeError, formatDateTime } from '../../format.ts';
import { evaluationApi, type Rating, type RatingQuery } from './api.ts';
import { MonthPicker } from './parts.tsx';

type FollowUpFilter = NonNullable<RatingQuery['followUp']> | 'all';

export function FollowUpTag({ rating }: { rating: Rating }) {
  const { t } = useI18n();
  const f = rating.followUp;
  if (!f) return <span className="muted">{t('evaluation.followUp.none')}</span>;
  if (f.doneAt) return <Tag color={f.overdue ? 'orange' : 'green'}>{t(f.overdue ? 'evaluation.followUp.doneLate' : 'evaluation.followUp.done')}</Tag>;
  return <Tag color={f.overdue ? 'red' : 'gold'}>{t(f.overdue ? 'evaluation.followUp.overdue' : 'evaluation.followUp.pending', { due: f.due })}</Tag>;
}

export function RatingsTable(props: { id: string; badOnly?: boolean; initialFollowUp?: FollowUpFilter }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [level, setLevel] = useState<number | 'all'>('all');
  const [bad, setBad] = useState(props.badOnly ?? false);
  const [followUp, setFollowUp] = useState<FollowUpFilter>(props.initialFollowUp ?? 'all');
  const [month, setMonth] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState<Rating | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ contacted: boolean; result: string; satisfied: 'yes' | 'no' | 'unknown' }>();
  const query: RatingQuery = { level: level === 'all' ? undefined : level, bad: bad || undefined, followUp: followUp === 'all' ? undefined : followUp, month };
  const fetchPage: PageFetcher<Rating> = (cursor, signal, limit) => evaluationApi.ratings({ ...query, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<Rating>(JSON.stringify(query), fetchPage, { choosePageSize: true });
  const mayFollowUp = can('evaluation.follow_up');

  const columns: ListColumn<Rating>[] = [
    { key: 'caseNo', title: t('evaluation.caseNo'), width: 190, required: true, render: (r) => r.caseNo, exportValue: (r) => r.caseNo },
    { key: 'level', title: t('evaluation.level'), width: 170, render: (r) => <Rate disabled value={r.level} style={{ fontSize: 14 }} />, exportValue: (r) => r.level, sort: (r) => r.level },
    { key: 'comment', title: t('evaluation.comment'), width: 240, ellipsis: true, render: (r) => r.comment || '—', exportValue: (r) => r.comment },
    { key: 'tags', title: t('evaluation.tags'), width: 160, render: (r) => r.tags.map((tag) => <Tag key={tag}>{tag}</Tag>), exportValue: (r) => r.tags.join('、') },
    { key: 'item', title: t('evaluation.item'), width: 200, ellipsis: true, render: (r) => r.itemName, exportValue: (r) => r.itemName },
    { key: 'department', title: t('evaluation.department'), width: 200, ellipsis: true, render: (r) => r.department.name, exportValue: (r) => r.department.name },
    { key: 'applicant', title: t('evaluation.applicant'), width: 90, render: (r) => r.applicantName, exportValue: (r) => r.applicantName },
    { key: 'channel', title: t('evaluation.channel'), width: 80, render: (r) => t(`evaluation.channel.${r.channel}`), exportValue: (r) => t(`evaluation.channel.${r.channel}`) },
    { key: 'ratedAt', title: t('evaluation.ratedAt'), width: 160, render: (r) => formatDateTime(r.ratedAt), exportValue: (r) => r.ratedAt, sort: (r) => r.ratedAt },
    { key: 'followUp', title: t('evaluation.followUp'), width: 190, render: (r) => <FollowUpTag rating={r} />, exportValue: (r) => (r.followUp ? (r.followUp.result ?? r.followUp.due) : '') },
    {
      key: 'actions',
      title: '',
      width: 80,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (r) =>
        mayFollowUp && r.followUp && !r.followUp.doneAt ? (
          <Button size="small" type="link" onClick={() => (form.resetFields(), setEditing(r))} data-testid={`follow-up-${r.caseNo}`}>
            {t('evaluation.followUp.action')}
          </Button>
        ) : null,
    },
  ];

  const save = async () => {
    if (!editing) return;
    const v = await form.validateFields();
    setSaving(true);
    try {
      await evaluationApi.followUp(editing.id, { contacted: v.contacted ?? false, result: v.result, satisfied: v.satisfied === 'unknown' ? null : v.satisfied === 'yes' });
      void message.success(t('evaluation.followUp.saved'));
      setEditing(null);
      list.reload();
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <ListPage<Rating>
        id={props.id}
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1700}
        phoneLead={{ key: 'caseNo', width: 190, primary: (r) => `${'★'.repeat(r.level)} ${r.department.name}`, secondary: (r) => `${r.caseNo} ${r.itemName}`, folds: ['level', 'department', 'item'] }}
        filters={
          <Space wrap>
            <Select<number | 'all'>
              value={level}
              onChange={setLevel}
              style={{ width: 130 }}
              data-testid={`${props.id}-level`}
              options={[{ value: 'all', label: t('evaluation.filter.all') }, ...[5, 4, 3, 2, 1].map((n) => ({ value: n, label: t(`evaluation.level.${n}` as 'evaluation.level.1') }))]}
            />
            <Select<FollowUpFilter>
              value={followUp}
              onChange={setFollowUp}
              style={{ width: 140 }}
              data-testid={`${props.id}-follow-up`}
              options={(['all', 'pending', 'overdue', 'done'] as const).map((v) => ({ value: v, label: t(`evaluation.filter.${v}`) }))}
            />
            <Space size={4}>
              <Switch size="small" checked={bad} onChange={setBad} data-testid={`${props.id}-bad`} />
              {t('evaluation.filter.bad')}
            </Space>
            <MonthPicker value={month} onChange={setMonth} allowClear />
          </Space>
        }
      />
      <Modal open={editing !== null} title={`${t('evaluation.followUp.action')} ${editing?.caseNo ?? ''}`} onCancel={() => setEditing(null)} onOk={() => void save()} confirmLoading={saving} okButtonProps={{ 'data-testid': 'follow-up-save' }} destroyOnHidden>
        {editing && (
          <Form form={form} layout="vertical" initialValues={{ contacted: true, satisfied: 'unknown' }}>
            <p>
              <Rate disabled value={editing.level} style={{ fontSize: 14 }} /> {editing.comment}
            </p>
            <Form.Item name="contacted" label={t('evaluation.followUp.contacted')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="result" label={t('evaluation.followUp.result')} rules={[{ required: true, whitespace: true, max: 1000 }]}>
              <Input.TextArea rows={3} maxLength={1000} data-testid="follow-up-result" />
            </Form.Item>
            <Form.Item name="satisfied" label={t('evaluation.followUp.satisfied')}>
              <Radio.Group
                options={[
                  { value: 'yes', label: t('evaluation.yes') },
                  { value: 'no', label: t('evaluation.no') },
                  { value: 'unknown', label: t('evaluation.unknown') },
                ]}
              />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
