import { request } from './client';
import type { Items, Organisation, OrgKind } from './types';

export interface CreateOrganisationInput {
  name: string;
  kind: OrgKind;
  regionCode: string;
  parentId?: number;
  departmentCode?: string;
}

export interface UpdateOrganisationInput {
  name?: string;
  active?: boolean;
}

export async function listOrganisations(): Promise<Organisation[]> {
  const { items } = await request<Items<Organisation>>('/api/organisations');
  return items;
}

export async function createOrganisation(input: CreateOrganisationInput): Promise<Organisation> {
  const { organisation } = await request<{ organisation: Organisation }>('/api/organisations', {
    method: 'POST',
    body: input,
  });
  return organisation;
}

export async function updateOrganisation(id: number, input: UpdateOrganisationInput): Promise<Organisation> {
  const { organisation } = await request<{ organisation: Organisation }>(`/api/organisations/${id}`, {
    method: 'PATCH',
    body: input,
  });
  return organisation;
}
