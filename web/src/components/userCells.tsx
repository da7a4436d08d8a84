// Cells the user lists share (the directory and a department's members): a row seen through a share grant carries
// only the granted fields, so every optional field renders as — when absent and the row says it is shared.
import type { ReactNode } from 'react';
import { Tag, Tooltip } from 'antd';
import type { User } from '../api/index.ts';
import { useI18n } from '../context.tsx';

/** The "共享" marker on a row reached only through a share grant. */
export function SharedMark({ user }: { user: User }) {
  const { t } = useI18n();
  if (user.access !== 'shared') return null;
  return (
    <Tooltip title={t('users.sharedHint')}>
      <Tag color="cyan" className="shared-mark" data-testid="user-shared">
        {t('users.shared')}
      </Tag>
    </Tooltip>
  );
}

/** A field the row may lack: its value, or — when absent (not shared) or empty. */
export const orDash = (value: ReactNode): ReactNode => (value === undefined || value === null || value === '' ? '—' : value);

/** The user-name cell: the name (or —) and the shared marker. */
export function UserNameCell({ user }: { user: User }) {
  return (
    <span>
      {orDash(user.username)} <SharedMark user={user} />
    </span>
  );
}
