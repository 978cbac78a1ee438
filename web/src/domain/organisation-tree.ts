import type { Organisation } from '../api/types';

export interface OrganisationNode extends Organisation {
  children?: OrganisationNode[];
}

function byRegionThenName(a: Organisation, b: Organisation): number {
  return a.regionCode.localeCompare(b.regionCode) || a.name.localeCompare(b.name, 'zh-CN');
}

/**
 * Nests organisations under their parents. An organisation whose parent lies outside the caller's
 * data scope becomes a root.
 */
export function buildOrganisationTree(items: readonly Organisation[]): OrganisationNode[] {
  const nodes = new Map<number, OrganisationNode>();
  for (const item of [...items].sort(byRegionThenName)) nodes.set(item.id, { ...item });
  const roots: OrganisationNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (parent) {
      parent.children ??= [];
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  return roots;
}

/** Ids of every node that has children, to open the whole tree at once. */
export function branchIds(nodes: readonly OrganisationNode[]): number[] {
  return nodes.flatMap((node) => (node.children ? [node.id, ...branchIds(node.children)] : []));
}
