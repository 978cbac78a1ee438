import { TreeSelect } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { listRegions } from '../api/regions';
import type { Region } from '../api/types';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';

interface RegionNode {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
}

function toNode(region: Region, parent: string | null, levelLabel: string): RegionNode {
  return {
    id: region.code,
    pId: parent,
    value: region.code,
    title: `${region.name}（${levelLabel}）`,
    isLeaf: !region.hasChildren,
  };
}

export interface RegionTreeSelectProps {
  value?: string;
  onChange?: (value: string) => void;
  disabled?: boolean;
}

/** Region picker that loads each level from the server as it is opened, within the caller's scope. */
export function RegionTreeSelect({ value, onChange, disabled }: RegionTreeSelectProps) {
  const { t, label } = useI18n();
  const notifyError = useNotifyError();
  const [nodes, setNodes] = useState<RegionNode[]>([]);
  const [loading, setLoading] = useState(true);

  const load = useCallback(
    async (parent: string | null) => {
      const regions = await listRegions(parent ?? undefined);
      setNodes((previous) => {
        const known = new Set(previous.map((node) => node.id));
        const added = regions
          .filter((region) => !known.has(region.code))
          .map((region) => toNode(region, parent, label('regionLevel', region.level)));
        return [...previous, ...added];
      });
    },
    [label],
  );

  useEffect(() => {
    load(null)
      .catch(notifyError)
      .finally(() => setLoading(false));
  }, [load, notifyError]);

  return (
    <TreeSelect
      value={value}
      onChange={onChange}
      disabled={disabled}
      loading={loading}
      treeDataSimpleMode={{ id: 'id', pId: 'pId' }}
      treeData={nodes}
      loadData={async (node) => {
        const code = typeof node.value === 'string' ? node.value : String(node.value);
        try {
          await load(code);
        } catch (error) {
          notifyError(error);
        }
      }}
      showSearch
      treeNodeFilterProp="title"
      placeholder={t('organisation.regionPlaceholder')}
      popupMatchSelectWidth={false}
      data-testid="region-select"
    />
  );
}
