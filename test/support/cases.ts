import { randomBytes } from 'node:crypto';
import { actorOfUser } from '../../src/app/actor.ts';
import { openAcceptedCase } from '../../src/app/demo/demo-cases.ts';
import type { Actor, CaseRow, Deps } from '../../src/app/ports.ts';

/**
 * Accepted cases for tests of what needs one (every data query does: 无委托、不核对): the requester entrusts the
 * household, files one authorization per member, and the agency accepts it with a work group — through the use
 * cases, as the demo users.
 */

export async function actorOf(deps: Deps, username: string): Promise<Actor> {
  return actorOfUser(deps.store, username);
}

/** A distinct small PDF: its fingerprint identifies one signed authorization. */
export function authorizationPdf(): Buffer {
  return Buffer.from(`%PDF-1.4\n% authorization ${randomBytes(8).toString('hex')}\n%%EOF\n`);
}

export interface CaseMember {
  idNumber: string;
  name: string;
  relation: string;
  coResiding?: boolean;
  exclusion?: string | null;
}

export async function openCase(
  deps: Deps,
  members: readonly CaseMember[],
  options: { requester?: string; handler?: string; reviewer?: string; assistanceType?: string } = {},
): Promise<CaseRow> {
  return openAcceptedCase(deps, {
    members,
    ...(options.assistanceType !== undefined ? { assistanceType: options.assistanceType } : {}),
    parties: {
      requester: options.requester ?? 'xifeng_requester',
      handler: options.handler ?? 'xifeng_staff',
      reviewer: options.reviewer ?? 'xifeng_reviewer',
    },
    authorization: () => authorizationPdf(),
  });
}

/**
 * For `hedui` child processes: the demo city's users in the command's database (as a first start would load
 * them, without department data) and an accepted case of these members, opened in-process with the same key
 * file. Returns the case number to pass with `--case`.
 */
export async function openCaseForCli(
  env: Record<string, string>,
  members: readonly CaseMember[],
): Promise<string> {
  const { loadConfig } = await import('../../src/config.ts');
  const { openRuntime, prepareDatabase } = await import('../../src/cli/runtime.ts');
  const config = loadConfig({ ...env, NODE_ENV: 'test', HEDUI_DEMO: 'on', HEDUI_DEMO_DATA: 'off' });
  const runtime = openRuntime(config);
  try {
    await prepareDatabase(runtime, config);
    return (await openCase(runtime.deps, members)).number;
  } finally {
    await runtime.close();
  }
}
