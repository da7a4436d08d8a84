// Drill-down from a warning: the case it is about (its record, the timeline from the approval ledger, its warnings)
// and the audit trail of the case and the warning. A warning on a supervised matter shows the warning and its trail.
import { useEffect, useState } from 'react';
import { Descriptions, Divider, Drawer, Space, Spin, Table, Timeline, Typography } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { supervisionApi, type Ledger, type Warning } from './api.ts';
import { AuditTrail, LevelTag, WarningStateTag, useRuleLabel } from './parts.tsx';

export function CaseDrawer({ warning, onClose }: { warning: Warning | null; onClose: () => void }) {
  const { t, tx } = useI18n();
  const ruleLabel = useRuleLabel();
  const [ledger, setLedger] = useState<Ledger | null>(null);
  const [error, setError] = useState<unknown>(null);
  const caseId = warning?.subjectKind === 'case' ? warning.subjectId : null;

  useEffect(() => {
    setLedger(null);
    setError(null);
    if (!caseId) return;
    const controller = new AbortController();
    supervisionApi
      .ledger(caseId, controller.signal)
      .then(setLedger)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      });
    return () => controller.abort();
  }, [caseId]);

  const c = ledger?.case;
  return (
    <Drawer open={warning !== null} onClose={onClose} title={caseId ? t('supervision.case.title') : t('supervision.warning.title')} width="min(640px, 100vw)" data-testid="supervision-drawer">
      {warning && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <LevelTag level={warning.level} />
            <WarningStateTag state={warning.state} />
            <Typography.Text>{ruleLabel(warning.rule)}</Typography.Text>
            <Typography.Text type="secondary">{warning.firedOn}</Typography.Text>
          </Space>
          <Typography.Paragraph>{warning.summary}</Typography.Paragraph>
          {error ? <ErrorAlert error={error} /> : null}
          {caseId && !c && !error ? <Spin /> : null}
          {c && ledger && (
            <>
              <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered items={[
                { key: 'no', label: t('supervision.case.caseNo'), children: c.caseNo },
                { key: 'item', label: t('supervision.case.item'), children: c.itemName },
                { key: 'dept', label: t('supervision.case.department'), children: c.departmentName },
                { key: 'state', label: t('supervision.case.state'), children: tx(`approval.state.${c.state}`, c.state) },
                { key: 'applied', label: t('supervision.case.appliedOn'), children: c.appliedOn },
                { key: 'accepted', label: t('supervision.case.acceptedOn'), children: c.acceptedOn ?? '—' },
                { key: 'statutory', label: t('supervision.case.statutoryDue'), children: c.statutoryDue ?? '—' },
                { key: 'promised', label: t('supervision.case.promisedDue'), children: c.promisedDue ?? '—' },
                ...(c.concludedOn ? [{ key: 'concluded', label: t('supervision.case.concludedOn'), children: c.concludedOn }] : []),
                ...(c.pausedSince ? [{ key: 'paused', label: t('supervision.case.pausedSince'), children: c.pausedSince }] : []),
              ]} />
              <Divider titlePlacement="start">{t('supervision.case.timeline')}</Divider>
              <Timeline
                data-testid="supervision-timeline"
                items={ledger.events.map((e) => ({
                  children: (
                    <div>
                      <strong>{tx(`approval.action.${e.action}`, tx(`approval.state.${e.toState}`, e.action))}</strong> <Typography.Text type="secondary">{e.onDate} · {formatDateTime(e.at)}</Typography.Text>
                      {e.note ? <div>{e.note}</div> : null}
                    </div>
                  ),
                }))}
              />
              <Divider titlePlacement="start">{t('supervision.case.warnings')}</Divider>
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={ledger.warnings}
                scroll={{ x: 480 }}
                columns={[
                  { key: 'on', title: t('supervision.col.firedOn'), width: 110, render: (_, w) => w.firedOn },
                  { key: 'level', title: t('supervision.col.level'), width: 80, render: (_, w) => <LevelTag level={w.level} /> },
                  { key: 'rule', title: t('supervision.col.rule'), render: (_, w) => ruleLabel(w.rule) },
                  { key: 'state', title: t('supervision.col.state'), width: 110, render: (_, w) => <WarningStateTag state={w.state} /> },
                ]}
              />
            </>
          )}
          <Divider titlePlacement="start">{t('supervision.audit.title')}</Divider>
          <AuditTrail objectIds={caseId ? [caseId, warning.id] : [warning.id]} />
        </>
      )}
    </Drawer>
  );
}
