// /cloud/catalogue — 规格与镜像: the flavours and images requests choose from. A platform operator (cloud.manage)
// deletes one after a confirmation; one still used by a VM or an open request is refused (409 cloud.in_use, D109) and
// the catalogue's message says so; a deleted one leaves the list.
import { App as AntApp, Button, Card, Popconfirm, Table, Tag } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useAuth, useI18n } from '../../context.tsx';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFetch } from '../../components/useFetch.ts';
import { cloudApi, type FlavourView, type ImageView } from './api.ts';

function DeleteButton({ label, testId, onDelete }: { label: string; testId: string; onDelete: () => Promise<void> }) {
  const { t } = useI18n();
  const phone = usePhoneLayout();
  return (
    <Popconfirm title={t('cloud.catalogue.confirmDelete', { name: label })} okText={t('cloud.catalogue.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={onDelete}>
      <Button size="small" danger icon={<DeleteOutlined />} aria-label={`${t('cloud.catalogue.delete')} ${label}`} data-testid={testId}>
        {phone ? null : t('cloud.catalogue.delete')}
      </Button>
    </Popconfirm>
  );
}

export default function CataloguePage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const manage = useAuth().can('cloud.manage');
  const flavours = useFetch('flavours', (signal) => cloudApi.flavours(signal));
  const images = useFetch('images', (signal) => cloudApi.images(signal));
  /** Deletes and reloads; a refusal (in use) is shown in the catalogue's words and the row stays. */
  const remove = async (run: () => Promise<unknown>, reload: () => void) => {
    try {
      await run();
      void message.success(t('cloud.catalogue.deleted'));
    } catch (err) {
      void message.error(problem(err));
    } finally {
      reload();
    }
  };
  const active = (on: boolean) => <Tag color={on ? 'green' : 'default'}>{t(on ? 'cloud.catalogue.active' : 'cloud.catalogue.inactive')}</Tag>;
  return (
    <div className="page" data-testid="cloud-catalogue">
      <PageHeader title={t('cloud.catalogue.title')} />
      {flavours.error ? <ErrorAlert error={flavours.error} /> : null}
      <Card size="small" title={t('cloud.catalogue.flavours')} style={{ marginBottom: 12 }}>
        <Table<FlavourView>
          rowKey="code"
          size="small"
          data-testid="catalogue-flavours"
          loading={flavours.loading && !flavours.data}
          dataSource={flavours.data?.items ?? []}
          pagination={false}
          scroll={{ x: 560 }}
          columns={[
            { key: 'code', title: t('cloud.code'), width: 140, render: (_, f) => f.code },
            { key: 'name', title: t('cloud.name'), width: 160, render: (_, f) => f.name },
            { key: 'shape', title: t('cloud.shape'), width: 140, render: (_, f) => `${f.vcpus} vCPU / ${f.memoryMb / 1024} GB` },
            { key: 'active', title: t('cloud.state'), width: 80, render: (_, f) => active(f.active) },
            ...(manage
              ? [{ key: 'actions', title: '', width: 90, render: (_: unknown, f: FlavourView) => <DeleteButton label={f.name} testId={`catalogue-delete-flavour-${f.code}`} onDelete={() => remove(() => cloudApi.deleteFlavour(f.code), flavours.reload)} /> }]
              : []),
          ]}
        />
      </Card>
      {images.error ? <ErrorAlert error={images.error} /> : null}
      <Card size="small" title={t('cloud.catalogue.images')}>
        <Table<ImageView>
          rowKey="code"
          size="small"
          data-testid="catalogue-images"
          loading={images.loading && !images.data}
          dataSource={images.data?.items ?? []}
          pagination={false}
          scroll={{ x: 600 }}
          columns={[
            { key: 'code', title: t('cloud.code'), width: 140, render: (_, i) => i.code },
            { key: 'name', title: t('cloud.name'), width: 160, render: (_, i) => i.name },
            { key: 'os', title: t('cloud.catalogue.os'), width: 120, render: (_, i) => i.os },
            { key: 'minDisk', title: t('cloud.catalogue.minDisk'), width: 100, render: (_, i) => `${i.minDiskGb} GB` },
            { key: 'active', title: t('cloud.state'), width: 80, render: (_, i) => active(i.active) },
            ...(manage
              ? [{ key: 'actions', title: '', width: 90, render: (_: unknown, i: ImageView) => <DeleteButton label={i.name} testId={`catalogue-delete-image-${i.code}`} onDelete={() => remove(() => cloudApi.deleteImage(i.code), images.reload)} /> }]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
