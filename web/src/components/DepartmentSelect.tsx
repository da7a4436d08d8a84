// Remote-search department picker (GET /api/departments?q=), usable as a filter or inside a Form.Item.
import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { api, isAbortError, type Department } from '../api/index.ts';
import { useI18n } from '../context.tsx';

export function DepartmentSelect({
  value,
  onChange,
  id,
  placeholder,
  width = 280,
  excludeId,
  allowClear = true,
}: {
  value?: string | null;
  onChange?: (id: string | undefined) => void;
  /** Set by Form.Item so its label points at the input. */
  id?: string;
  placeholder?: string;
  width?: number | string;
  /** Leave this department out of the options (a department cannot be its own parent). */
  excludeId?: string;
  allowClear?: boolean;
}) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<Department[]>([]);
  const [loading, setLoading] = useState(false);
  // The selected department when it is not among the search results (e.g. a preset parent), so it shows by name.
  const [selected, setSelected] = useState<Department | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setLoading(true);
      api
        .departments({ q: search || undefined, limit: 20 }, controller.signal)
        .then((page) => setOptions(page.items))
        .catch((err: unknown) => {
          if (!isAbortError(err)) setOptions([]);
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [search]);

  const known = value ? options.find((d) => d.id === value) ?? (selected?.id === value ? selected : undefined) : undefined;
  const missing = value && !known ? value : null;
  useEffect(() => {
    if (!missing) return;
    const controller = new AbortController();
    api
      .department(missing, controller.signal)
      .then(setSelected)
      .catch(() => undefined);
    return () => controller.abort();
  }, [missing]);

  const list = known && !options.some((d) => d.id === known.id) ? [known, ...options] : options;
  return (
    <Select<string>
      id={id}
      allowClear={allowClear}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      style={{ width }}
      placeholder={placeholder ?? t('users.departmentFilter')}
      value={value ?? undefined}
      onChange={(v) => {
        setSelected(list.find((d) => d.id === v) ?? null);
        onChange?.(v ?? undefined);
      }}
      loading={loading}
      options={list.filter((d) => d.id !== excludeId).map((d) => ({ value: d.id, label: `${d.name} · ${d.regionName}` }))}
      popupMatchSelectWidth={false}
      notFoundContent={loading ? t('app.loading') : t('common.empty')}
    />
  );
}
