import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_TREE_HEAD,
  MerkleTreeBuilder,
  merkleLeafHash,
  merkleNodeHash,
  merkleTreeHead,
} from './merkle.ts';

const leaf = (i: number): Buffer => Buffer.from(`entry ${i}`);
const sm3 = (...parts: Buffer[]) => {
  const h = createHash('sm3');
  for (const p of parts) h.update(p);
  return h.digest();
};

describe(MerkleTreeBuilder.name, () => {
  it('hashes leaves and nodes with the RFC 6962 domain-separation prefixes 0x00 and 0x01', () => {
    expect(merkleLeafHash(leaf(0))).toEqual(sm3(Buffer.from([0]), leaf(0)));
    const [a, b] = [merkleLeafHash(leaf(0)), merkleLeafHash(leaf(1))];
    expect(merkleNodeHash(a, b)).toEqual(sm3(Buffer.from([1]), a, b));
    expect(merkleTreeHead([leaf(0), leaf(1)])).toBe(merkleNodeHash(a, b).toString('hex'));
  });

  it('splits an unbalanced tree at the largest power of two below its size (3 leaves: 2 + 1)', () => {
    const [a, b, c] = [0, 1, 2].map((i) => merkleLeafHash(leaf(i))) as [Buffer, Buffer, Buffer];
    expect(merkleTreeHead([leaf(0), leaf(1), leaf(2)])).toBe(
      merkleNodeHash(merkleNodeHash(a, b), c).toString('hex'),
    );
  });

  it('gives the same head leaf by leaf as the recursive definition, for every size up to 70', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => leaf(i));
    const builder = new MerkleTreeBuilder();
    expect(builder.root()).toBe(EMPTY_TREE_HEAD);
    for (const [i, l] of leaves.entries()) {
      builder.add(l);
      expect(builder.root(), `size ${i + 1}`).toBe(merkleTreeHead(leaves.slice(0, i + 1)));
    }
  });

  it('changes the head when one leaf changes or two leaves swap', () => {
    const leaves: Buffer[] = Array.from({ length: 9 }, (_, i) => leaf(i));
    const head = merkleTreeHead(leaves);
    expect(merkleTreeHead(leaves.map((l, i) => (i === 4 ? Buffer.from('forged') : l)))).not.toBe(head);
    const swapped = leaves.map((l, i) => (i === 2 ? leaves[3] : i === 3 ? leaves[2] : l) as Buffer);
    expect(merkleTreeHead(swapped)).not.toBe(head);
  });
});
