/**
 * Anchors and aliases checked before a YAML document is turned into data, in one linear walk:
 * an alias inside the node its own anchor names would make the data contain itself, and aliases
 * that expand to an enormous tree ("billion laughs") must be refused without being expanded.
 * The yaml library has a guard of its own, but it re-scans the whole document for every alias and
 * does not count self-references, so a small cyclic alias in a large file takes minutes.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/** Aliases may expand a document to at most this many nodes. */
export const MAX_EXPANDED_NODES = 1_000_000;

export interface AliasProblem {
  /** Character offset of the alias at fault. */
  offset: number;
  message: string;
}

interface Frame {
  node: unknown;
  /** Children already pushed (the frame is being left when true). */
  entered: boolean;
  /** Expanded size of the children walked so far. */
  size: number;
  parent: Frame | null;
}

/** The first cyclic or exploding alias of `doc`, or null when its aliases are harmless. */
export function findAliasProblem(doc: Document.Parsed): AliasProblem | null {
  if (!hasAnyAlias(doc.contents)) return null;
  const sizes = new Map<unknown, number>(); // expanded size of each anchored node, once walked
  const anchors = new Map<string, unknown>(); // the latest node of each anchor name so far
  const open = new Set<unknown>(); // anchored nodes being walked
  let total = 0;
  const stack: Frame[] = [{ node: doc.contents, entered: false, size: 0, parent: null }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const { node } = frame;
    if (frame.entered) {
      stack.pop();
      const size = 1 + frame.size;
      if (anchorOf(node) !== undefined) {
        open.delete(node);
        sizes.set(node, size);
      }
      if (frame.parent) frame.parent.size += size;
      continue;
    }
    frame.entered = true;
    if (isAlias(node)) {
      stack.pop();
      const target = anchors.get(node.source);
      const offset = node.range?.[0] ?? 0;
      if (target !== undefined && open.has(target)) {
        return {
          offset,
          message: `the alias '*${node.source}' sits inside the node its anchor '&${node.source}' names, so the data would contain itself`,
        };
      }
      // An unknown anchor is reported by the library with its own message ("Unresolved alias").
      const size = target === undefined ? 1 : (sizes.get(target) ?? 1);
      total += size;
      if (total > MAX_EXPANDED_NODES) {
        return {
          offset,
          message: `its aliases (such as '*${node.source}') expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes; Parley refuses such "billion laughs" documents`,
        };
      }
      if (frame.parent) frame.parent.size += size;
      continue;
    }
    const anchor = anchorOf(node);
    if (anchor !== undefined) {
      anchors.set(anchor, node);
      open.add(node);
    }
    total += 1;
    // Children in document order: pushed reversed so the first is walked first.
    const children = childrenOf(node);
    for (let index = children.length - 1; index >= 0; index -= 1) {
      stack.push({ node: children[index], entered: false, size: 0, parent: frame });
    }
  }
  return null;
}

function anchorOf(node: unknown): string | undefined {
  return (node as Node | null)?.anchor ?? undefined;
}

function childrenOf(node: unknown): unknown[] {
  if (isMap(node) || isSeq(node)) return node.items.filter((item) => item !== null && item !== undefined);
  if (isPair(node)) return [node.key, node.value].filter((item) => item !== null && item !== undefined);
  return [];
}

/** A quick scan so documents without aliases (nearly all) skip the walk. */
function hasAnyAlias(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isAlias(node)) return true;
    if (!isScalar(node)) for (const child of childrenOf(node)) pending.push(child);
  }
  return false;
}
