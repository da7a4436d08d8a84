// /supervision/orders (and /supervision/orders/:id, the link of the to-do items and notices) — 督办 orders: open,
// overdue answer, rectified/closed; one order in a drawer with the department's answer form and the supervisor's
// decision, each shown only when the server lists it among the order's abilities, and the order's audit trail.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Descriptions, Divider, Drawer, Segmented, Space, Spin, Table, Tag } from 'antd';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { navigate, useParams } from '../../router.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { supervisionApi, type Order, type OrderAbility, type OrderQuery } from './api.ts';
import { AuditTrail, OrderStateTag, TextModal, type Key } from './parts.tsx';
import './supervision.css';

type View = NonNullable<OrderQuery['view']> | 'all';

export default function OrdersPage() {
  const { id } = useParams<'id'>();
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [view, setView] = useState<View>('open');
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setOrders(null);
    supervisionApi
      .orders({ view: view === 'all' ? undefined : view, limit: 200 }, controller.signal)
      .then(setOrders)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) void message.error(problem(err));
      });
    return () => controller.abort();
  }, [view, reload, message, problem]);

  return (
    <div className="page">
      <PageHeader title={t('supervision.orders.title')} />
      <Segmented<View>
        style={{ marginBottom: 12 }}
        value={view}
        onChange={setView}
        options={(['open', 'overdue', 'closed', 'all'] as const).map((v) => ({ value: v, label: t(`supervision.orders.view.${v}` as Key) }))}
        data-testid="supervision-orders-view"
      />
      <Table<Order>
        rowKey="id"
        size="small"
        loading={orders === null}
        dataSource={orders ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        scroll={{ x: 1150 }}
        locale={{ emptyText: t('supervision.orders.empty') }}
        data-testid="supervision-orders"
        columns={[
          { key: 'no', title: t('supervision.order.no'), width: 170, fixed: 'left', render: (_, o) => <a onClick={() => navigate(`/supervision/orders/${o.id}`)} data-testid={`supervision-order-${o.orderNo}`}>{o.orderNo}</a> },
          { key: 'subject', title: t('supervision.order.subject'), width: 300, ellipsis: true, render: (_, o) => o.summary ?? o.content },
          { key: 'dept', title: t('supervision.order.department'), width: 180, ellipsis: true, render: (_, o) => o.departmentName },
          { key: 'issued', title: t('supervision.order.issuedOn'), width: 110, render: (_, o) => o.issuedOn },
          { key: 'by', title: t('supervision.order.respondBy'), width: 150, render: (_, o) => <Space size={4}>{o.respondBy}{o.overdue && <Tag color="red">{t('supervision.order.overdue')}</Tag>}</Space> },
          { key: 'state', title: t('supervision.order.state'), width: 120, render: (_, o) => <OrderStateTag state={o.state} /> },
          {
            key: 'actions',
            title: t('supervision.col.actions'),
            width: 110,
            fixed: 'right',
            render: (_, o) =>
              o.abilities[0] ? (
                <Button size="small" type="primary" onClick={() => navigate(`/supervision/orders/${o.id}`)}>
                  {t(`supervision.action.${o.abilities[0]}` as Key)}
                </Button>
              ) : null,
          },
        ]}
      />
      <OrderDrawer id={id ?? null} onChanged={() => setReload((n) => n + 1)} />
    </div>
  );
}

function OrderDrawer({ id, onChanged }: { id: string | null; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [acting, setActing] = useState<OrderAbility | null>(null);

  useEffect(() => {
    setOrder(null);
    setError(null);
    if (!id) return;
    const controller = new AbortController();
    supervisionApi
      .order(id, controller.signal)
      .then(setOrder)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      });
    return () => controller.abort();
  }, [id]);

  const act = async (ability: OrderAbility, text: string | null) => {
    if (!order) return;
    const next = ability === 'respond' ? await supervisionApi.respond(order.id, text ?? '') : await supervisionApi.decide(order.id, { decision: ability, note: text });
    setOrder(next);
    onChanged();
    void message.success(t('supervision.saved'));
  };

  return (
    <Drawer open={id !== null} onClose={() => navigate('/supervision/orders')} title={order ? `${t('supervision.order.title')} ${order.orderNo}` : t('supervision.order.title')} width="min(600px, 100vw)" data-testid="supervision-order-drawer">
      {error ? <ErrorAlert error={error} /> : null}
      {!order && !error ? <Spin /> : null}
      {order && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <OrderStateTag state={order.state} />
            {order.overdue && <Tag color="red">{t('supervision.order.overdue')}</Tag>}
          </Space>
          <Descriptions
            size="small"
            column={1}
            bordered
            className="sv-detail"
            items={[
              { key: 'subject', label: t('supervision.order.subject'), children: order.summary ?? '—' },
              { key: 'dept', label: t('supervision.order.department'), children: order.departmentName },
              { key: 'content', label: t('supervision.order.content'), children: order.content },
              { key: 'issued', label: t('supervision.order.issuedOn'), children: order.issuedOn },
              { key: 'by', label: t('supervision.order.respondBy'), children: order.respondBy },
              { key: 'response', label: t('supervision.order.response'), children: <span data-testid="supervision-order-response">{order.response ?? '—'}</span> },
              { key: 'note', label: t('supervision.order.decisionNote'), children: order.decisionNote ?? '—' },
            ]}
          />
          {order.abilities.length > 0 && (
            <Space wrap style={{ marginTop: 12 }} data-testid="supervision-order-actions">
              {order.abilities.map((a, i) => (
                <Button key={a} type={i === 0 ? 'primary' : 'default'} danger={a === 'reopen'} onClick={() => setActing(a)} data-testid={`supervision-order-${a}`}>
                  {t(`supervision.action.${a}` as Key)}
                </Button>
              ))}
            </Space>
          )}
          <Divider titlePlacement="start">{t('supervision.audit.title')}</Divider>
          <AuditTrail key={`${order.id}:${order.version}`} objectIds={[order.id]} />
        </>
      )}
      {acting && order && (
        <TextModal
          title={`${t(`supervision.action.${acting}` as Key)} · ${order.orderNo}`}
          label={acting === 'respond' ? t('supervision.order.responseLabel') : t('supervision.order.noteLabel')}
          required={acting === 'respond' || acting === 'reopen'}
          requiredMessage={acting === 'reopen' ? t('supervision.order.noteRequired') : undefined}
          testId={`supervision-${acting}-text`}
          onSubmit={(text) => act(acting, text)}
          onClose={() => setActing(null)}
        />
      )}
    </Drawer>
  );
}
