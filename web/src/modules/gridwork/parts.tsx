// Pieces shared by the grid-work pages: the photo picker (phone camera), the location button, the incident status
// tag and the incident drawer (details, photos, history).
import { useEffect, useState } from 'react';
import { Button, Descriptions, Drawer, Image, Space, Tag, Timeline, Typography } from 'antd';
import { CameraOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { usePhoneLayout } from '../../Layout.tsx';
import { gridworkApi, type Incident, type IncidentDetail, type Photo, type PhotoOwner } from './api.ts';

const STATUS_COLOR: Record<Incident['status'], string> = { reported: 'blue', dispatched: 'gold', returned: 'volcano', concluded: 'green' };

export function IncidentStatusTag({ row }: { row: Pick<Incident, 'status' | 'overdue'> }) {
  const { t, tx } = useI18n();
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLOR[row.status]} data-testid="incident-status">
        {tx(`gridwork.status.${row.status}`, row.status)}
      </Tag>
      {row.overdue && <Tag color="red">{t('gridwork.incident.overdue')}</Tag>}
    </Space>
  );
}

export function Deadline({ row }: { row: Pick<Incident, 'deadline' | 'deadlineProvisional' | 'overdue'> }) {
  const { t } = useI18n();
  if (!row.deadline) return <>—</>;
  return (
    <Typography.Text type={row.overdue ? 'danger' : undefined}>
      {row.deadline}
      {row.deadlineProvisional ? `（${t('gridwork.incident.provisional')}）` : ''}
    </Typography.Text>
  );
}

/** Photos from the phone's camera (or its gallery); the caller uploads them once the record exists. */
export function PhotoPicker({ files, onChange }: { files: File[]; onChange: (files: File[]) => void }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <label className="ant-btn ant-btn-default" style={{ display: 'inline-flex', alignItems: 'center', gap: 6, cursor: 'pointer', width: 'fit-content' }}>
        <CameraOutlined />
        {t('gridwork.photos.add')}
        <input
          type="file"
          accept="image/*"
          capture="environment"
          multiple
          style={{ display: 'none' }}
          data-testid="photo-input"
          onChange={(e) => {
            onChange([...files, ...Array.from(e.target.files ?? [])].slice(0, 9));
            e.target.value = '';
          }}
        />
      </label>
      <Typography.Text type="secondary">{t('gridwork.photos.hint')}</Typography.Text>
      {files.length > 0 && (
        <Space wrap>
          {files.map((f, i) => (
            <Tag key={`${f.name}-${i}`} closable onClose={() => onChange(files.filter((_, j) => j !== i))}>
              {f.name || `photo-${i + 1}`}
            </Tag>
          ))}
        </Space>
      )}
    </Space>
  );
}

export interface Position {
  latitude: number;
  longitude: number;
}

export function LocationButton({ value, onChange }: { value: Position | null; onChange: (p: Position | null) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const take = () => {
    if (!('geolocation' in navigator)) return setFailed(true);
    setBusy(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setBusy(false);
        setFailed(false);
        onChange({ latitude: Number(p.coords.latitude.toFixed(6)), longitude: Number(p.coords.longitude.toFixed(6)) });
      },
      () => {
        setBusy(false);
        setFailed(true);
      },
      { timeout: 10_000, maximumAge: 60_000 },
    );
  };
  return (
    <Space wrap>
      <Button icon={<EnvironmentOutlined />} loading={busy} onClick={take}>
        {t('gridwork.location.take')}
      </Button>
      <Typography.Text type={failed ? 'danger' : 'secondary'}>
        {value ? `${value.latitude}, ${value.longitude}` : failed ? t('gridwork.location.failed') : t('gridwork.location.none')}
      </Typography.Text>
    </Space>
  );
}

/** Uploads the photos one by one; returns the messages of those that failed (the record stands without them). */
export async function uploadPhotos(ownerKind: PhotoOwner, ownerId: string, files: File[], describe: (err: unknown) => string, t: ReturnType<typeof useI18n>['t']): Promise<string[]> {
  const failures: string[] = [];
  for (const file of files) {
    try {
      await gridworkApi.upload(ownerKind, ownerId, file);
    } catch (err) {
      failures.push(t('gridwork.photos.failed', { name: file.name, reason: describe(err) }));
    }
  }
  return failures;
}

export function Photos({ ownerKind, ownerId }: { ownerKind: PhotoOwner; ownerId: string }) {
  const [photos, setPhotos] = useState<Photo[]>([]);
  useEffect(() => {
    const ac = new AbortController();
    gridworkApi
      .photos(ownerKind, ownerId, ac.signal)
      .then((r) => setPhotos(r.items))
      .catch(() => setPhotos([]));
    return () => ac.abort();
  }, [ownerKind, ownerId]);
  if (photos.length === 0) return <>—</>;
  return (
    <Image.PreviewGroup>
      <Space wrap>
        {photos.map((p) => (
          <Image key={p.id} width={88} height={88} style={{ objectFit: 'cover' }} src={`/api/files/${p.id}/content`} alt={p.name} />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

export function IncidentDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, tx } = useI18n();
  const phone = usePhoneLayout();
  const [detail, setDetail] = useState<IncidentDetail | null>(null);
  useEffect(() => {
    setDetail(null);
    if (!id) return;
    const ac = new AbortController();
    gridworkApi
      .incident(id, ac.signal)
      .then(setDetail)
      .catch(() => undefined);
    return () => ac.abort();
  }, [id]);
  return (
    <Drawer open={id !== null} onClose={onClose} width={phone ? '100%' : 560} title={detail ? `${t('gridwork.incident.detail')} ${detail.number}` : t('gridwork.incident.detail')} destroyOnHidden>
      {detail && (
        <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="incident-detail">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('gridwork.incident.category')}>{tx(`gridwork.category.${detail.category}`, detail.category)}</Descriptions.Item>
            <Descriptions.Item label={t('gridwork.incident.status')}>
              <IncidentStatusTag row={detail} />
            </Descriptions.Item>
            <Descriptions.Item label={t('gridwork.incident.description')}>{detail.description}</Descriptions.Item>
            <Descriptions.Item label={t('gridwork.incident.address')}>
              {detail.community.name} · {detail.address}
              {detail.latitude !== null ? ` (${detail.latitude}, ${detail.longitude})` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('gridwork.incident.department')}>{detail.department?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('gridwork.incident.deadline')}>
              <Deadline row={detail} />
            </Descriptions.Item>
            {detail.conclusion && <Descriptions.Item label={t('gridwork.incident.conclusion')}>{detail.conclusion}</Descriptions.Item>}
            {detail.returnReason && <Descriptions.Item label={t('gridwork.incident.returnReason')}>{detail.returnReason}</Descriptions.Item>}
            <Descriptions.Item label={t('gridwork.photos')}>
              <Photos ownerKind="gridwork.incident" ownerId={detail.id} />
            </Descriptions.Item>
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('gridwork.incident.history')}</Typography.Title>
            <Timeline
              items={detail.events.map((e) => ({
                children: (
                  <>
                    <div>
                      {tx(`gridwork.action.${e.action}`, e.action)} · {formatDateTime(e.at)}
                    </div>
                    <Typography.Text type="secondary">
                      {[e.actorName, e.departmentName, e.note].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  </>
                ),
              }))}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
