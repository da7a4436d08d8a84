// Table columns on a phone: the key column comes first and shows its secondary identifier beneath it (so one column
// says which row this is), columns folded into it are dropped, and nothing is pinned (a pinned column would take a
// quarter of a 390 px screen). The rest scrolls sideways inside the table.
import type { ReactNode } from 'react';
import type { TableColumnsType } from 'antd';

export function phoneColumns<T>(
  columns: TableColumnsType<T>,
  phone: boolean,
  lead: { key: string; title: ReactNode; width: number; primary: (row: T) => ReactNode; secondary: (row: T) => ReactNode; folds: string[] },
): TableColumnsType<T> {
  if (!phone) return columns;
  const rest = columns.filter((c) => c.key !== lead.key && !lead.folds.includes(String(c.key))).map((c) => ({ ...c, fixed: undefined }));
  return [
    {
      title: lead.title,
      key: lead.key,
      width: lead.width,
      render: (_: unknown, row: T) => (
        <div className="cell-stack">
          <span className="cell-stack-primary">{lead.primary(row)}</span>
          <span className="cell-stack-secondary">{lead.secondary(row)}</span>
        </div>
      ),
    },
    ...rest,
  ];
}
