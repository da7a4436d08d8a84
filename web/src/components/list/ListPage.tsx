// The one list component every list page uses: filters, totals, page size, cursor navigation, per-page sorting,
// column settings (kept per list in localStorage), CSV and XLSX export of the current filter, and empty, loading and
// error states. The page owns its query (useCursorList) and its columns; this owns how a list looks and behaves.
import { useMemo, useState, type HTMLAttributes, type ReactNode } from 'react';
import { App as AntApp, Button, Card, Checkbox, Dropdown, Empty, Input, Popover, Space, Table, Tooltip } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { DownloadOutlined, SettingOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { usePhoneLayout } from '../../Layout.tsx';
import { CursorPager, type CursorList, type PageFetcher } from '../cursor.tsx';
import { ErrorAlert } from '../ErrorAlert.tsx';
import { phoneColumns } from '../phoneColumns.tsx';
import { collectRows, saveBlob, toCsv, toXlsx, type Cell, type ExportColumn } from './exportRows.ts';

export interface ListColumn<T> {
  key: string;
  /** Plain text: the header, the column-settings entry and the export heading. */
  title: string;
  dataIndex?: keyof T & string;
  render?: (row: T) => ReactNode;
  width?: number;
  className?: string;
  ellipsis?: boolean;
  fixed?: 'right';
  /** Sorts the rows of the page shown (the server pages in its customary order). */
  sort?: (row: T) => string | number | null;
  /** The cell in CSV/XLSX (default: the dataIndex value); false leaves the column out (actions). */
  exportValue?: ((row: T) => Cell) | false;
  /** Hidden until shown in the column settings. */
  defaultHidden?: boolean;
  /** Always shown (the row's identity, its actions). */
  required?: boolean;
}

/** On a phone the lead column stacks the row's name over its identifier; `folds` are the columns it replaces. */
export interface PhoneLead<T> {
  key: string;
  width: number;
  primary: (row: T) => ReactNode;
  secondary: (row: T) => ReactNode;
  folds: string[];
}

export interface ListPageProps<T> {
  /** Names the list: test ids (`<id>-table`, `<id>-list-export`, `<id>-columns`), saved column settings, export files. */
  id: string;
  list: CursorList<T>;
  /** The same fetcher the list pages with, so an export has exactly the filter shown. */
  fetchPage: PageFetcher<T>;
  columns: readonly ListColumn<T>[];
  rowKey: keyof T & string;
  filters?: ReactNode;
  /** Buttons beside export and column settings. */
  toolbar?: ReactNode;
  phoneLead?: PhoneLead<T>;
  scrollX?: number;
  expandable?: TableProps<T>['expandable'];
  rowClassName?: (row: T) => string;
  /** A test id on every row (`todo-item`), for lists whose rows tests pick by their text. */
  rowTestId?: string;
  emptyText?: string;
}

const STORAGE = 'govcloud.columns.';

function loadHidden(id: string, columns: readonly ListColumn<unknown>[]): string[] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(STORAGE + id) ?? 'null');
    if (Array.isArray(saved) && saved.every((k) => typeof k === 'string')) return saved;
  } catch {
    // a damaged setting falls back to the defaults
  }
  return columns.filter((c) => c.defaultHidden).map((c) => c.key);
}

const compare = (a: string | number | null, b: string | number | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'zh-CN');

function exportCell<T>(column: ListColumn<T>, row: T): Cell {
  if (typeof column.exportValue === 'function') return column.exportValue(row);
  const value = column.dataIndex ? row[column.dataIndex] : null;
  return value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : (value as Cell);
}

export function ListPage<T extends object>(props: ListPageProps<T>) {
  const { id, list, columns } = props;
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [hidden, setHidden] = useState<string[]>(() => loadHidden(id, columns as readonly ListColumn<unknown>[]));
  const [exporting, setExporting] = useState<'csv' | 'xlsx' | null>(null);

  const visible = columns.filter((c) => c.required || !hidden.includes(c.key));
  const changeHidden = (next: string[]) => {
    setHidden(next);
    localStorage.setItem(STORAGE + id, JSON.stringify(next));
  };

  const tableColumns = useMemo<TableColumnsType<T>>(
    () =>
      visible.map((c) => ({
        key: c.key,
        title: c.title,
        dataIndex: c.dataIndex,
        width: c.width,
        className: c.className,
        fixed: phone ? undefined : c.fixed,
        ellipsis: c.ellipsis ? { showTitle: false } : undefined,
        render: c.render ? (_: unknown, row: T) => c.render!(row) : (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value)),
        sorter: c.sort ? (a: T, b: T) => compare(c.sort!(a), c.sort!(b)) : undefined,
        showSorterTooltip: c.sort ? { title: t('list.sortPage') } : undefined,
      })),
    [visible, phone, t],
  );
  const lead = props.phoneLead;
  const leadColumn = lead ? columns.find((c) => c.key === lead.key) : undefined;
  const shown = lead
    ? phoneColumns(tableColumns, phone, { ...lead, title: leadColumn?.title ?? '' }).map((c) =>
        phone && c.key === lead.key && leadColumn?.sort ? { ...c, sorter: (a: T, b: T) => compare(leadColumn.sort!(a), leadColumn.sort!(b)) } : c,
      )
    : tableColumns;

  const runExport = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    try {
      const { rows, truncated } = await collectRows(props.fetchPage, new AbortController().signal);
      const cols: ExportColumn<T>[] = visible.filter((c) => c.exportValue !== false).map((c) => ({ title: c.title, value: (row: T) => exportCell(c, row) }));
      const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
      if (format === 'csv') saveBlob(new Blob([toCsv(cols, rows)], { type: 'text/csv;charset=utf-8' }), `${id}-${stamp}.csv`);
      else saveBlob(await toXlsx(id, cols, rows), `${id}-${stamp}.xlsx`);
      void message.success(t(truncated ? 'list.exportedTruncated' : 'list.exported', { n: rows.length }));
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setExporting(null);
    }
  };

  const settings = (
    <div className="list-columns" data-testid={`${id}-columns-panel`}>
      <Checkbox.Group
        value={visible.map((c) => c.key)}
        onChange={(keys) => changeHidden(columns.filter((c) => !c.required && !keys.includes(c.key)).map((c) => c.key))}
      >
        <Space direction="vertical" size={4}>
          {columns.map((c) => (
            <Checkbox key={c.key} value={c.key} disabled={c.required}>
              {c.title}
            </Checkbox>
          ))}
        </Space>
      </Checkbox.Group>
      <Button size="small" type="link" onClick={() => changeHidden(columns.filter((c) => c.defaultHidden).map((c) => c.key))}>
        {t('list.resetColumns')}
      </Button>
    </div>
  );

  return (
    <Card size="small" className="page-card list-page" data-testid={`${id}-list`}>
      <div className="filter-bar list-toolbar">
        <div className="list-filters">{props.filters}</div>
        <Space wrap size="small" className="list-actions">
          {props.toolbar}
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'csv', label: <span data-testid={`${id}-list-export-csv`}>{t('list.exportCsv')}</span> },
                { key: 'xlsx', label: <span data-testid={`${id}-list-export-xlsx`}>{t('list.exportXlsx')}</span> },
              ],
              onClick: ({ key }) => void runExport(key as 'csv' | 'xlsx'),
            }}
          >
            <Button icon={<DownloadOutlined />} loading={exporting !== null} data-testid={`${id}-list-export`}>
              {t('list.export')}
            </Button>
          </Dropdown>
          <Popover trigger="click" placement="bottomRight" title={t('list.columns')} content={settings}>
            <Tooltip title={t('list.columns')}>
              <Button icon={<SettingOutlined />} aria-label={t('list.columns')} data-testid={`${id}-columns`} />
            </Tooltip>
          </Popover>
        </Space>
      </div>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<T>
        size="small"
        rowKey={props.rowKey}
        columns={shown}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        expandable={props.expandable}
        rowClassName={props.rowClassName}
        onRow={props.rowTestId ? () => ({ 'data-testid': props.rowTestId }) as HTMLAttributes<HTMLElement> : undefined}
        scroll={{ x: props.scrollX }}
        locale={{ emptyText: list.loading ? ' ' : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.emptyText ?? t('list.empty')} /> }}
        data-testid={`${id}-table`}
      />
      <CursorPager list={list} />
    </Card>
  );
}

/** The text filter of a list: the page keeps the typed text (to set it, e.g. to a new row's code) and the applied term. */
export function ListSearch(props: { value: string; onChange: (text: string) => void; onSearch: (term: string) => void; placeholder: string; width: number; testId?: string }) {
  const { t } = useI18n();
  return (
    <Input.Search
      allowClear
      style={{ width: props.width, maxWidth: '100%' }}
      placeholder={props.placeholder}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      onSearch={(v) => props.onSearch(v.trim())}
      enterButton={t('common.search')}
      data-testid={props.testId}
    />
  );
}
