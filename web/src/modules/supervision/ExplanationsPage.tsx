// /supervision/explanations — 说明理由: the department's open yellow and red cards it may explain (the 'explain'
// ability), and the explanations filed, with accept / reject for the supervisor (the 'decide' ability). Rejecting needs
// a reason; accepting closes the card.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Segmented, Space, Table, Tag } from 'antd';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { supervisionApi, type Explanation, type Warning } from './api.ts';
import { CaseDrawer } from './CaseDrawer.tsx';
import { LevelTag, TextModal, type Key } from './parts.tsx';

type State = Explanation['state'] | 'all';
const STATE_COLORS: Record<Explanation['state'], string> = { pending: 'processing', accepted: 'success', rejected: 'error' };

export default function ExplanationsPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [state, setState] = useState<State>('pending');
  const [cards, setCards] = useState<Warning[]>([]);
  const [reload, setReload] = useState(0);
  const [explaining, setExplaining] = useState<Warning | null>(null);
  const [deciding, setDeciding] = useState<{ row: Explanation; accept: boolean } | null>(null);
  const [open, setOpen] = useState<Warning | null>(null);

  // the explanations a page at a time (newest first), with the total of the state chosen
  const query = { state: state === 'all' ? undefined : state };
  const fetchPage: PageFetcher<Explanation> = (cursor, signal, limit) => supervisionApi.explanations({ ...query, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<Explanation>(JSON.stringify(query), fetchPage, { choosePageSize: true });
  const { reload: reloadList } = list;
  useEffect(() => {
    if (reload > 0) reloadList();
  }, [reload, reloadList]);

  const columns: ListColumn<Explanation>[] = [
    { key: 'at', title: t('supervision.explanation.filedAt'), width: 160, render: (e) => formatDateTime(e.filedAt), exportValue: (e) => e.filedAt },
    { key: 'level', title: t('supervision.col.level'), width: 80, render: (e) => (e.level ? <LevelTag level={e.level} /> : null), exportValue: (e) => e.level ?? '' },
    { key: 'summary', title: t('supervision.col.summary'), width: 260, ellipsis: true, required: true, render: (e) => e.summary, exportValue: (e) => e.summary ?? '' },
    { key: 'dept', title: t('supervision.col.department'), width: 160, ellipsis: true, render: (e) => e.departmentName, exportValue: (e) => e.departmentName ?? '' },
    { key: 'text', title: t('supervision.explanation.text'), width: 260, render: (e) => e.text, exportValue: (e) => e.text },
    { key: 'state', title: t('supervision.col.state'), width: 90, render: (e) => <Tag color={STATE_COLORS[e.state]}>{t(`supervision.explanation.state.${e.state}` as Key)}</Tag>, exportValue: (e) => t(`supervision.explanation.state.${e.state}` as Key) },
    { key: 'reason', title: t('supervision.explanation.reason'), width: 160, render: (e) => e.decisionReason ?? '—', exportValue: (e) => e.decisionReason ?? '' },
    {
      key: 'actions',
      title: t('supervision.col.actions'),
      width: 170,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (e) =>
        e.abilities.includes('decide') ? (
          <Space size={4}>
            <Button size="small" type="primary" onClick={() => setDeciding({ row: e, accept: true })} data-testid="supervision-explanation-accept">
              {t('supervision.action.accept')}
            </Button>
            <Button size="small" danger onClick={() => setDeciding({ row: e, accept: false })} data-testid="supervision-explanation-reject">
              {t('supervision.action.reject')}
            </Button>
          </Space>
        ) : null,
    },
  ];

  // the cards this caller may explain: open yellow and red ones of its own department (the server says which)
  useEffect(() => {
    const controller = new AbortController();
    Promise.all((['yellow', 'red'] as const).map((level) => supervisionApi.warnings({ level, state: 'open', limit: 200 }, controller.signal)))
      .then((lists) => setCards(lists.flat().filter((w) => w.abilities.includes('explain'))))
      .catch(() => undefined);
    return () => controller.abort();
  }, [reload]);

  return (
    <div className="page">
      <PageHeader title={t('supervision.explanations.title')} />
      {cards.length > 0 && (
        <Card size="small" title={t('supervision.explanations.toFile')} style={{ marginBottom: 12 }}>
          <Table<Warning>
            rowKey="id"
            size="small"
            dataSource={cards}
            pagination={{ pageSize: 5, showSizeChanger: false }}
            scroll={{ x: 620 }}
            data-testid="supervision-cards"
            columns={[
              { key: 'on', title: t('supervision.col.firedOn'), width: 110, render: (_, w) => w.firedOn },
              { key: 'level', title: t('supervision.col.level'), width: 80, render: (_, w) => <LevelTag level={w.level} /> },
              { key: 'summary', title: t('supervision.col.summary'), width: 300, render: (_, w) => <a onClick={() => setOpen(w)}>{w.summary}</a> },
              {
                key: 'actions',
                title: t('supervision.col.actions'),
                width: 110,
                fixed: 'right',
                render: (_, w) => (
                  <Button size="small" type="primary" onClick={() => setExplaining(w)} data-testid="supervision-explain-button">
                    {t('supervision.action.explain')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      )}
      <ListPage<Explanation>
        id="supervision-explanations"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1250}
        emptyText={t('supervision.explanations.empty')}
        filters={<Segmented<State> value={state} onChange={setState} options={(['pending', 'accepted', 'rejected', 'all'] as const).map((s) => ({ value: s, label: t(`supervision.explanation.state.${s}` as Key) }))} />}
      />
      <CaseDrawer warning={open} onClose={() => setOpen(null)} />
      {explaining && (
        <TextModal
          title={`${t('supervision.action.explain')} · ${explaining.summary}`}
          label={t('supervision.explanation.textLabel')}
          placeholder={t('supervision.explanation.textPlaceholder')}
          required
          testId="supervision-explain-text"
          onSubmit={async (text) => {
            await supervisionApi.explain(explaining.id, text ?? '');
            void message.success(t('supervision.explanation.filed'));
            setReload((n) => n + 1);
          }}
          onClose={() => setExplaining(null)}
        />
      )}
      {deciding && (
        <TextModal
          title={`${t(deciding.accept ? 'supervision.action.accept' : 'supervision.action.reject')} · ${deciding.row.summary ?? ''}`}
          label={t('supervision.explanation.reason')}
          required={!deciding.accept}
          requiredMessage={t('supervision.explanation.reasonRequired')}
          testId="supervision-decide-text"
          onSubmit={async (reason) => {
            await supervisionApi.decideExplanation(deciding.row.id, { accept: deciding.accept, reason });
            void message.success(t('supervision.saved'));
            setReload((n) => n + 1);
          }}
          onClose={() => setDeciding(null)}
        />
      )}
    </div>
  );
}
