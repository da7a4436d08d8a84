// 共享给我的数据: the share grants the signed-in user can use (GET /api/auth/me `shares`): access that comes from no role.
import { Drawer, Empty, List, Space, Tag, Typography } from 'antd';
import { useI18n, useMe } from '../context.tsx';
import { formatDateTime } from '../format.ts';

export function SharedWithMeDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  return (
    <Drawer open={open} onClose={onClose} title={t('sharedWithMe.title')} size={Math.min(480, window.innerWidth)} data-testid="shared-with-me">
      <Typography.Paragraph type="secondary">{t('sharedWithMe.intro')}</Typography.Paragraph>
      {me.shares.length === 0 ? (
        <Empty description={t('sharedWithMe.none')} />
      ) : (
        <List
          dataSource={me.shares}
          rowKey="id"
          renderItem={(share) => (
            <List.Item data-testid="shared-with-me-item">
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{share.resource}</Typography.Text>
                  <Tag color={share.grantee === 'client' ? 'purple' : 'blue'}>{t(share.grantee === 'client' ? 'sharedWithMe.toClient' : 'sharedWithMe.toDepartment')}</Tag>
                </Space>
                <Typography.Text>{t('sharedWithMe.owner', { name: share.ownerDepartment.name })}</Typography.Text>
                <Typography.Text type="secondary">{t('sharedWithMe.fields', { fields: share.fields.join('、') })}</Typography.Text>
                <Typography.Text type="secondary">{t('sharedWithMe.purpose', { purpose: share.purpose })}</Typography.Text>
                <Typography.Text type="secondary">{t('sharedWithMe.expires', { at: formatDateTime(share.expiresAt) })}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
