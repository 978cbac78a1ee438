import { createHash } from 'node:crypto';

/**
 * Merkle tree heads as RFC 6962 §2.1 defines them, with SM3 in place of SHA-256:
 * a leaf hashes as SM3(0x00 ‖ leaf), an inner node as SM3(0x01 ‖ left ‖ right), and the tree of n leaves
 * splits at the largest power of two below n. The head of no leaves is SM3 of the empty string.
 */

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function merkleLeafHash(leaf: Buffer): Buffer {
  return createHash('sm3').update(LEAF).update(leaf).digest();
}

export function merkleNodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sm3').update(NODE).update(left).update(right).digest();
}

export const EMPTY_TREE_HEAD = createHash('sm3').digest('hex');

/**
 * Builds the head leaf by leaf with O(log n) memory: complete subtrees are merged as soon as two of the
 * same size meet; at the end the remaining ones fold from the right, which is exactly RFC 6962's split.
 */
export class MerkleTreeBuilder {
  private readonly stack: { size: number; hash: Buffer }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(leaf: Buffer): void {
    let entry = { size: 1, hash: merkleLeafHash(leaf) };
    for (let top = this.stack.at(-1); top && top.size === entry.size; top = this.stack.at(-1)) {
      this.stack.pop();
      entry = { size: top.size * 2, hash: merkleNodeHash(top.hash, entry.hash) };
    }
    this.stack.push(entry);
    this.count += 1;
  }

  /** The tree head (hex) of the leaves added so far. */
  root(): string {
    const last = this.stack.at(-1);
    if (!last) return EMPTY_TREE_HEAD;
    let hash = last.hash;
    for (let i = this.stack.length - 2; i >= 0; i -= 1)
      hash = merkleNodeHash((this.stack[i] as { hash: Buffer }).hash, hash);
    return hash.toString('hex');
  }
}

/** The head of a list of leaves by RFC 6962's recursive definition (the reference the builder is tested against). */
export function merkleTreeHead(leaves: readonly Buffer[]): string {
  const mth = (items: readonly Buffer[]): Buffer => {
    if (items.length === 1) return merkleLeafHash(items[0] as Buffer);
    let k = 1;
    while (k * 2 < items.length) k *= 2;
    return merkleNodeHash(mth(items.slice(0, k)), mth(items.slice(k)));
  };
  return leaves.length === 0 ? EMPTY_TREE_HEAD : mth(leaves).toString('hex');
}
