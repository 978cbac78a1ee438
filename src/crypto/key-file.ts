import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { FieldCryptoError, type KeyRing } from './field-crypto.ts';
import { generateSm2KeyPair } from './sm2-signing.ts';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const keyFileSchema = z.object({
  format: z.literal('hedui-keys-v1'),
  current: z.number().int().positive(),
  indexKey: hex(32),
  dataKeys: z
    .array(
      z.object({ id: z.number().int().positive(), encKey: hex(16), macKey: hex(32), createdAt: z.string() }),
    )
    .min(1),
  /** SM2 key pairs that sign audit checkpoints (docs/security.md); older ones stay to verify older checkpoints. */
  currentSigningKey: z.number().int().positive().optional(),
  signingKeys: z
    .array(
      z.object({
        id: z.number().int().positive(),
        privateKey: hex(32),
        publicKey: z.string().regex(/^04[0-9a-f]{128}$/),
        createdAt: z.string(),
      }),
    )
    .optional(),
});
export type KeyFile = z.infer<typeof keyFileSchema>;

export function parseKeyFile(text: string): KeyRing {
  const parsed = keyFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new FieldCryptoError(
      `密钥文件格式无效：${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  return toRing(parsed.data);
}

function toRing(f: KeyFile): KeyRing {
  return {
    current: f.current,
    indexKey: Buffer.from(f.indexKey, 'hex'),
    dataKeys: f.dataKeys.map((k) => ({
      id: k.id,
      encKey: Buffer.from(k.encKey, 'hex'),
      macKey: Buffer.from(k.macKey, 'hex'),
    })),
  };
}

export function newKeyFile(now: string): KeyFile {
  return {
    format: 'hedui-keys-v1',
    current: 1,
    indexKey: randomBytes(32).toString('hex'),
    dataKeys: [
      {
        id: 1,
        encKey: randomBytes(16).toString('hex'),
        macKey: randomBytes(32).toString('hex'),
        createdAt: now,
      },
    ],
    currentSigningKey: 1,
    signingKeys: [{ id: 1, ...generateSm2KeyPair(), createdAt: now }],
  };
}

/** A new SM2 signing key becomes current; old ones stay so checkpoints they signed still verify. */
export function addSigningKey(file: KeyFile, now: string): KeyFile {
  const keys = file.signingKeys ?? [];
  const id = Math.max(0, ...keys.map((k) => k.id)) + 1;
  return {
    ...file,
    currentSigningKey: id,
    signingKeys: [...keys, { id, ...generateSm2KeyPair(), createdAt: now }],
  };
}

/** A new data key becomes current; old keys stay so existing ciphertexts decrypt until re-encrypted. */
export function addDataKey(file: KeyFile, now: string): KeyFile {
  const id = Math.max(...file.dataKeys.map((k) => k.id)) + 1;
  return {
    ...file,
    current: id,
    dataKeys: [
      ...file.dataKeys,
      {
        id,
        encKey: randomBytes(16).toString('hex'),
        macKey: randomBytes(32).toString('hex'),
        createdAt: now,
      },
    ],
  };
}

/** The key file's JSON (e.g. HEDUI_KEYS) as a KeyFile, every key included. */
export function keyFileFromText(text: string): KeyFile {
  const parsed = keyFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new FieldCryptoError('密钥文件格式无效');
  return parsed.data;
}

export function readKeyFile(path: string): KeyFile {
  const parsed = keyFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new FieldCryptoError(`密钥文件 ${path} 格式无效`);
  return parsed.data;
}

/** Written atomically, readable by the owner only. */
export function writeKeyFile(path: string, file: KeyFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  chmodSync(path, 0o600);
}

/**
 * The key ring from an inline value (HEDUI_KEYS, the key file's JSON) or the key file. With
 * `createIfMissing` (embedded default only, never production) a missing file is generated.
 */
export function loadKeyRing(opts: {
  inline: string | null;
  path: string;
  createIfMissing: boolean;
  now: string;
}): KeyRing {
  if (opts.inline) return parseKeyFile(opts.inline);
  if (!existsSync(opts.path)) {
    if (!opts.createIfMissing)
      throw new FieldCryptoError(
        `缺少密钥文件 ${opts.path}：生产环境须由密钥管理流程提供（见 docs/deployment.md）`,
      );
    writeKeyFile(opts.path, newKeyFile(opts.now));
  }
  return toRing(readKeyFile(opts.path));
}
