// Cursor ("keyset") pagination: the API returns {items, nextCursor, total?}; we keep the cursors of the pages seen,
// so any page visited (and the next one) can be opened by its number.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Select, Space, Typography } from 'antd';
import { LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { isAbortError, type Page } from '../api/index.ts';
import { useI18n } from '../context.tsx';

export type PageFetcher<T> = (cursor: string | null, signal: AbortSignal, limit: number) => Promise<Page<T>>;

export const PAGE_SIZES = [20, 50, 100] as const;

export interface CursorList<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  /** 1-based page number. */
  page: number;
  hasPrev: boolean;
  hasNext: boolean;
  /** Rows matching the query over all pages, when the API counts them. */
  total: number | undefined;
  /** false when `total` is only a lower bound (the server counts up to a cap, e.g. "10,000+"). */
  totalExact: boolean;
  /** Pages whose cursor is known: the ones visited and, when there is one, the next. */
  reachable: number;
  pageSize: number;
  /** Present when the list lets the user choose the page size; changing it goes back to page 1. */
  setPageSize?: (size: number) => void;
  next: () => void;
  prev: () => void;
  /** Opens a reachable page by its 1-based number. */
  goTo: (page: number) => void;
  reload: () => void;
}

interface Position {
  key: string;
  /** cursors[i] fetches page i+1; cursors[0] is null (first page). */
  cursors: (string | null)[];
  index: number;
  tick: number;
}

/**
 * Loads one page at a time. `key` identifies the query (filters): when it changes we go back to page 1.
 * `fetchPage` may be a fresh closure on every render; the latest one is used.
 */
export function useCursorList<T>(key: string, fetchPage: PageFetcher<T>, options: { pageSize?: number; choosePageSize?: boolean } = {}): CursorList<T> {
  const [pageSize, changePageSize] = useState(options.pageSize ?? PAGE_SIZES[0]);
  key = `${key}|${pageSize}`;
  const [pos, setPos] = useState<Position>({ key, cursors: [null], index: 0, tick: 0 });
  const [data, setData] = useState<{ items: T[]; nextCursor: string | null; total: number | undefined; totalExact: boolean; loading: boolean; error: unknown }>({
    items: [],
    nextCursor: null,
    total: undefined,
    totalExact: true,
    loading: true,
    error: null,
  });
  const fetchRef = useRef(fetchPage);
  useEffect(() => {
    fetchRef.current = fetchPage;
  });

  let current = pos;
  if (pos.key !== key) {
    current = { key, cursors: [null], index: 0, tick: pos.tick };
    setPos(current);
  }
  const cursor = current.cursors[current.index] ?? null;

  useEffect(() => {
    const controller = new AbortController();
    setData((d) => ({ ...d, loading: true, error: null }));
    fetchRef
      .current(cursor, controller.signal, pageSize)
      .then((page) => {
        if (!controller.signal.aborted) setData({ items: page.items, nextCursor: page.nextCursor, total: page.total, totalExact: page.totalExact !== false, loading: false, error: null });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted || isAbortError(err)) return;
        setData((d) => ({ items: [], nextCursor: null, total: d.total, totalExact: d.totalExact, loading: false, error: err }));
      });
    return () => controller.abort();
  }, [current.key, cursor, current.index, current.tick, pageSize]);

  const nextCursor = data.nextCursor;
  const next = useCallback(() => {
    if (!nextCursor) return;
    setPos((p) => {
      const cursors = p.cursors.slice(0, p.index + 1);
      cursors.push(nextCursor);
      return { ...p, cursors, index: p.index + 1 };
    });
  }, [nextCursor]);
  const prev = useCallback(() => setPos((p) => (p.index > 0 ? { ...p, index: p.index - 1 } : p)), []);
  const reload = useCallback(() => setPos((p) => ({ ...p, tick: p.tick + 1 })), []);
  const goTo = useCallback(
    (page: number) => {
      if (page === current.index + 2) next();
      else if (page >= 1 && page <= current.cursors.length) setPos((p) => ({ ...p, index: page - 1 }));
    },
    [current.index, current.cursors.length, next],
  );
  const hasNext = !data.loading && nextCursor !== null;

  return {
    items: data.items,
    loading: data.loading,
    error: data.error,
    page: current.index + 1,
    hasPrev: current.index > 0,
    hasNext,
    total: data.total,
    totalExact: data.totalExact,
    reachable: Math.max(current.cursors.length, hasNext ? current.index + 2 : 0),
    pageSize,
    setPageSize: options.choosePageSize ? changePageSize : undefined,
    next,
    prev,
    goTo,
    reload,
  };
}

/** The page numbers to show as buttons: all reachable ones when few, else the first, the last and those near the current one. */
function pageButtons(page: number, reachable: number): (number | null)[] {
  if (reachable <= 7) return Array.from({ length: reachable }, (_, i) => i + 1);
  const shown = new Set([1, reachable, page - 1, page, page + 1].filter((n) => n >= 1 && n <= reachable));
  const out: (number | null)[] = [];
  let last = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n > last + 1) out.push(null);
    out.push(n);
    last = n;
  }
  return out;
}

export function CursorPager<T>({ list }: { list: CursorList<T> }) {
  const { t } = useI18n();
  const pages = list.total === undefined ? undefined : Math.max(1, Math.ceil(list.total / list.pageSize));
  // past the server's counting cap the total is a lower bound: "共 10,000+ 条", "第 3 / 500+ 页"
  const plus = list.totalExact ? '' : '+';
  const shownTotal = list.total === undefined || list.totalExact ? list.total : `${list.total.toLocaleString('en')}+`;
  return (
    <div className="cursor-pager" data-testid="pager">
      <Typography.Text type="secondary" className="cursor-pager-summary">
        {list.total === undefined ? (
          <>
            {t('common.page', { n: list.page })} · {t('common.rows', { n: list.items.length })}
          </>
        ) : (
          <>
            <span data-testid="pager-total">{t('common.total', { n: shownTotal ?? 0 })}</span> · {t('common.pageOf', { n: list.page, m: `${pages ?? 1}${plus}` })}
          </>
        )}
      </Typography.Text>
      <Space size="small" wrap className="cursor-pager-controls">
        <Button size="small" icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading} aria-label={t('common.refresh')} />
        <Button size="small" icon={<LeftOutlined />} disabled={!list.hasPrev || list.loading} onClick={list.prev} aria-label={t('common.prev')}>
          <span className="cursor-pager-label">{t('common.prev')}</span>
        </Button>
        <span className="cursor-pager-numbers">
          {pageButtons(list.page, list.reachable).map((n, i) =>
            n === null ? (
              <span key={`gap${i}`} className="cursor-pager-gap">
                …
              </span>
            ) : (
              <Button key={n} size="small" type={n === list.page ? 'primary' : 'default'} disabled={list.loading && n !== list.page} onClick={() => list.goTo(n)} aria-current={n === list.page ? 'page' : undefined}>
                {n}
              </Button>
            ),
          )}
        </span>
        <Button size="small" disabled={!list.hasNext} onClick={list.next} aria-label={t('common.next')}>
          <span className="cursor-pager-label">{t('common.next')}</span> <RightOutlined />
        </Button>
        {list.setPageSize ? (
          <Select<number>
            size="small"
            value={list.pageSize}
            onChange={list.setPageSize}
            aria-label={t('common.pageSize')}
            options={PAGE_SIZES.map((n) => ({ value: n, label: t('common.perPage', { n }) }))}
            popupMatchSelectWidth={false}
          />
        ) : null}
      </Space>
    </div>
  );
}
