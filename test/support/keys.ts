import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newKeyFile } from '../../src/crypto/key-file.ts';

/** A key ring and a file store of the test's own, so tests never write into ./data. */
export function isolatedStorageEnv(): { HEDUI_KEYS: string; HEDUI_FILES_DIR: string } {
  return {
    HEDUI_KEYS: JSON.stringify(newKeyFile('2026-01-01T00:00:00.000Z')),
    HEDUI_FILES_DIR: mkdtempSync(join(tmpdir(), 'hedui-files-')),
  };
}
