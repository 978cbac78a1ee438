import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const NEW_USER_PASSWORD = 'Cli#Strong2025';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `hedui` command runs against a database file of its own (SQLite: the test tampers with the file
 * directly, as an intruder with disk access would). Each spawn costs over a second, so they are few.
 */
describe('hedui command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hedui-cli-'));
  const file = join(dir, 'x.sqlite');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function hedui(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((done, fail) => {
      execFile(
        process.execPath,
        ['bin/hedui.mjs', ...args],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            HEDUI_DB: `sqlite:${file}`,
            HEDUI_KEY_FILE: join(dir, 'keys.json'),
            HEDUI_FILES_DIR: join(dir, 'files'),
            ...env,
          },
          timeout: 20_000,
        },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') fail(error);
          else done({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
        },
      );
    });
  }

  function withDatabase<T>(fn: (db: SQLite.Database) => T): T {
    const db = new SQLite(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  it('migrates a new database and lists the migrations it applied', async () => {
    const run = await hedui(['migrate']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const applied = (JSON.parse(run.stdout) as { applied: string[] }).applied;
    // Every migration of the static list, in its order, starting with the foundation.
    expect(applied).toEqual(Object.keys(migrations('sqlite')));
    expect(applied[0]).toBe('202611231930_foundation');
    expect(applied).toContain('202611240900_assessment');
  });

  it('checks ID numbers, one JSON line each, exiting 0 only when all are valid', async () => {
    const [valid, mixed] = await Promise.all([
      hedui(['id', 'check', '11010519491231002X']),
      hedui(['id', 'check', '11010519491231002X', '110105194912310021']),
    ]);
    expect(valid.code).toBe(0);
    expect(
      valid.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([expect.objectContaining({ valid: true, birthDate: '1949-12-31', sex: 'F', error: null })]);
    expect(mixed.code).toBe(1);
    expect(
      mixed.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      expect.objectContaining({ valid: true }),
      expect.objectContaining({ input: '110105194912310021', valid: false, error: 'BAD_CHECK_DIGIT' }),
    ]);
  });

  it('adds working days across the National Day holiday', async () => {
    const run = await hedui(['calendar', 'add-workdays', '2025-09-30', '3']);
    expect(run).toMatchObject({ code: 0, stdout: '2025-10-11\n' });
  });

  it('counts working days between two dates, and refuses a period the calendar does not cover', async () => {
    const [between, uncovered] = await Promise.all([
      hedui(['calendar', 'workdays-between', '2025-09-30', '2025-10-11']),
      hedui(['calendar', 'add-workdays', '2026-12-30', '5']),
    ]);
    expect(between).toMatchObject({ code: 0, stdout: '3\n' });
    expect(uncovered.code).toBe(1);
    expect(uncovered.stdout).toBe('');
    expect(uncovered.stderr).toContain('CALENDAR_NOT_COVERED');
    expect(uncovered.stderr).toContain('2027');
  });

  it('creates a user and their new organisation, taking the password from the environment', async () => {
    const run = await hedui(
      [
        'user',
        'create',
        '--username',
        'cli_admin',
        '--display-name',
        '命令行管理员',
        '--role',
        'system_admin',
        '--new-organisation',
        '庆阳市民政局（命令行）',
        '--region',
        '621000',
      ],
      { HEDUI_NEW_USER_PASSWORD: NEW_USER_PASSWORD },
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const created = JSON.parse(run.stdout) as { id: number; organisationId: number };
    expect(created).toMatchObject({ username: 'cli_admin', roles: ['system_admin'] });
    withDatabase((db) => {
      const user = db
        .prepare(
          'select u.username, o.name, o.kind, o.region_code from app_user u join organisation o on o.id = u.organisation_id where u.id = ?',
        )
        .get(created.id);
      expect(user).toEqual({
        username: 'cli_admin',
        name: '庆阳市民政局（命令行）',
        kind: 'admin',
        region_code: '621000',
      });
      const audited = db
        .prepare(
          "select action, actor_name, object_id from audit_log where action in ('ORGANISATION_CREATED', 'USER_CREATED') order by seq",
        )
        .all();
      expect(audited).toEqual([
        { action: 'ORGANISATION_CREATED', actor_name: '命令行', object_id: String(created.organisationId) },
        { action: 'USER_CREATED', actor_name: '命令行', object_id: String(created.id) },
      ]);
      const leaks = db
        .prepare('select count(*) as n from audit_log where details like ?')
        .get(`%${NEW_USER_PASSWORD}%`);
      expect(leaks).toEqual({ n: 0 });
    });
  });

  it('verifies the audit chain, then names the entry an intruder altered in the file', async () => {
    const intact = await hedui(['audit', 'verify']);
    const entries = withDatabase(
      (db) => (db.prepare('select count(*) as n from audit_log').get() as { n: number }).n,
    );
    expect(intact.code).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, checked: entries, firstBroken: null });

    // An intruder with the database file drops the guard first (docs/security.md: what SQLite cannot prevent).
    withDatabase((db) => {
      db.exec('drop trigger audit_log_no_update');
      db.prepare(`update audit_log set details = '{"forged":true}' where seq = 5`).run();
    });
    const broken = await hedui(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      ok: false,
      checked: 4,
      firstBroken: { seq: 5, reason: 'HASH_MISMATCH' },
    });
    expect(broken.stderr).toMatch(/^AUDIT_CHAIN_BROKEN: 第 5 条记录/);
  });

  it('checks overdue deliveries, telling a department and its city agency (not a county one) once, and prints a JSON summary', async () => {
    withDatabase((db) => {
      const add = db.prepare(
        'insert into organisation (name, kind, region_code, parent_id, department_code, active, created_at) values (?, ?, ?, null, ?, 1, ?)',
      );
      add.run('某市公安局（命令行）', 'department', '621000', 'public_security', '2026-01-01T00:00:00.000Z');
      add.run('某市核对中心（命令行）', 'agency', '621000', null, '2026-01-01T00:00:00.000Z');
      add.run('某县核对中心（命令行）', 'agency', '621002', null, '2026-01-01T00:00:00.000Z');
    });
    const first = await hedui(['deliveries', 'check']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const summary = JSON.parse(first.stdout) as {
      today: string;
      datasetsChecked: number;
      noticesCreated: number;
      items: { dataset: string; period: string; recipients: number; noticesCreated: number }[];
    };
    expect(summary.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Nothing was ever delivered: every expected hukou period since January of last year is overdue.
    const hukou = summary.items.filter((i) => i.dataset === 'hukou');
    expect(hukou.length).toBeGreaterThanOrEqual(3);
    expect(hukou.every((i) => i.recipients === 2 && i.noticesCreated === 2)).toBe(true);
    expect(summary.noticesCreated).toBe(
      withDatabase((db) => (db.prepare('select count(*) as n from notice').get() as { n: number }).n),
    );

    const second = JSON.parse((await hedui(['deliveries', 'check'])).stdout) as typeof summary;
    expect(second.noticesCreated).toBe(0);
    expect(second.items.length).toBe(summary.items.length);
  });
});
