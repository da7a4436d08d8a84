// A lazily loaded region picker (TreeSelect): a list filter, or a form field inside a Form.Item.
import { useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import type { Region } from '../api/index.ts';
import { useI18n } from '../context.tsx';
import { fetchAllRegions, fetchRegionRoots, sortRegions } from './regionData.ts';

interface SimpleNode {
  id: string;
  pId: string | 0;
  value: string;
  title: string;
  isLeaf: boolean;
}

function toNode(region: Region, parent: string | 0): SimpleNode {
  return {
    id: region.code,
    pId: parent,
    value: region.code,
    title: region.validTo ? `${region.name} · ${region.code} †` : region.name,
    isLeaf: region.level >= 4,
  };
}

export function RegionTreeSelect({
  value,
  onChange,
  id,
  placeholder,
  width = 240,
}: {
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** Set by Form.Item so its label points at the input. */
  id?: string;
  placeholder?: string;
  width?: number | string;
}) {
  const { t } = useI18n();
  const [nodes, setNodes] = useState<SimpleNode[]>([]);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    fetchRegionRoots(controller.signal)
      .then((roots) => setNodes(roots.map((r) => toNode(r, 0))))
      .catch(() => undefined)
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, []);

  const loadData = async (node: { value?: string | number }) => {
    const code = String(node.value ?? '');
    if (!code || nodes.some((n) => n.pId === code)) return;
    const children = sortRegions(await fetchAllRegions({ parent: code }));
    setNodes((prev) => {
      const known = new Set(prev.map((n) => n.id));
      const added = children.filter((c) => !known.has(c.code)).map((c) => toNode(c, code));
      // A node with no children becomes a leaf so the expander disappears.
      const patched = children.length === 0 ? prev.map((n) => (n.id === code ? { ...n, isLeaf: true } : n)) : prev;
      return [...patched, ...added];
    });
  };

  return (
    <TreeSelect
      id={id}
      style={{ width }}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      loading={loading}
      placeholder={placeholder ?? t('departments.regionFilter')}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v ?? undefined)}
      treeDataSimpleMode
      treeData={nodes}
      loadData={loadData}
      popupMatchSelectWidth={false}
    />
  );
}
