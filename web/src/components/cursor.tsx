// Cursor ("keyset") pagination: the API returns {items, nextCursor}; we keep the cursors of the pages seen.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { isAbortError, type Page } from '../api.ts';
import { useI18n } from '../context.tsx';

export type PageFetcher<T> = (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>;

export interface CursorList<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  /** 1-based page number. */
  page: number;
  hasPrev: boolean;
  hasNext: boolean;
  next: () => void;
  prev: () => void;
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
export function useCursorList<T>(key: string, fetchPage: PageFetcher<T>): CursorList<T> {
  const [pos, setPos] = useState<Position>({ key, cursors: [null], index: 0, tick: 0 });
  const [data, setData] = useState<{ items: T[]; nextCursor: string | null; loading: boolean; error: unknown }>({
    items: [],
    nextCursor: null,
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
      .current(cursor, controller.signal)
      .then((page) => {
        if (!controller.signal.aborted) setData({ items: page.items, nextCursor: page.nextCursor, loading: false, error: null });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted || isAbortError(err)) return;
        setData({ items: [], nextCursor: null, loading: false, error: err });
      });
    return () => controller.abort();
  }, [current.key, cursor, current.index, current.tick]);

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

  return {
    items: data.items,
    loading: data.loading,
    error: data.error,
    page: current.index + 1,
    hasPrev: current.index > 0,
    hasNext: !data.loading && nextCursor !== null,
    next,
    prev,
    reload,
  };
}

export function CursorPager<T>({ list }: { list: CursorList<T> }) {
  const { t } = useI18n();
  return (
    <div className="cursor-pager">
      <Typography.Text type="secondary">
        {t('common.page', { n: list.page })} · {t('common.rows', { n: list.items.length })}
      </Typography.Text>
      <Space size="small">
        <Button size="small" icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading} aria-label={t('common.refresh')} />
        <Button size="small" icon={<LeftOutlined />} disabled={!list.hasPrev || list.loading} onClick={list.prev}>
          {t('common.prev')}
        </Button>
        <Button size="small" disabled={!list.hasNext} onClick={list.next}>
          {t('common.next')} <RightOutlined />
        </Button>
      </Space>
    </div>
  );
}
