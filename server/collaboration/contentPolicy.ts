import * as Y from 'yjs';
import { MARK_NAMES } from '../../shared/editor/schema.ts';
import { ID_PATTERN } from '../../shared/limits.ts';
import { ORDER_KEY, PARAGRAPHS_KEY } from '../../shared/model/index.ts';

/**
 * What a client may write into a declaration's Y.Doc: exactly the shapes the
 * document model and the editor schema produce, nothing else. A client can
 * write any bytes, so every update is checked before it is applied.
 */
export class ContentNotAllowedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContentNotAllowedError';
  }
}

const ROOT_TYPES = new Set([ORDER_KEY, PARAGRAPHS_KEY]);
const PAIR_KEYS = new Set(['kind', 'vi', 'fr']);
const MARKS = new Set<string>(MARK_NAMES);

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function checkContent(content: Y.Item['content']): void {
  if (content instanceof Y.ContentString || content instanceof Y.ContentDeleted) return;
  if (content instanceof Y.ContentFormat) {
    if (!MARKS.has(content.key)) throw new ContentNotAllowedError(`formatting "${content.key.slice(0, 40)}" is not a mark of the schema`);
    if (content.value !== null && !isEmptyObject(content.value)) throw new ContentNotAllowedError(`mark "${content.key}" carries attributes`);
    return;
  }
  if (content instanceof Y.ContentType) {
    const type = content.type;
    if (type instanceof Y.XmlElement) {
      if (type.nodeName !== 'paragraph') throw new ContentNotAllowedError(`node "${type.nodeName.slice(0, 40)}" is not in the schema`);
      return;
    }
    if (type instanceof Y.XmlText || type instanceof Y.XmlFragment || type instanceof Y.Map) return;
    throw new ContentNotAllowedError(`shared type ${type.constructor.name} is not part of a declaration`);
  }
  if (content instanceof Y.ContentAny) {
    for (const value of content.arr) {
      if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw new ContentNotAllowedError('a value that is not an id or a pair kind');
    }
    return;
  }
  throw new ContentNotAllowedError(`${content.constructor.name} content is not part of a declaration`);
}

/** Throws ContentNotAllowedError when a decoded update writes anything outside the model. */
export function checkUpdateContent(update: { structs: Array<Y.Item | Y.GC | Y.Skip> }): void {
  for (const struct of update.structs) {
    if (!(struct instanceof Y.Item)) continue;
    // In a decoded (not yet integrated) update, a parent is a root type's name or the ID of an item.
    const parent = struct.parent as unknown as string | Y.ID | null;
    const parentSub = struct.parentSub;
    if (typeof parent === 'string' && !ROOT_TYPES.has(parent)) throw new ContentNotAllowedError(`top-level type "${parent.slice(0, 40)}" is not part of a declaration`);
    if (parentSub !== null) {
      if (parent === PARAGRAPHS_KEY) {
        if (!ID_PATTERN.test(parentSub)) throw new ContentNotAllowedError('a pair id that is not an id');
      } else if (typeof parent === 'string') {
        throw new ContentNotAllowedError(`"${parent}" has no keys`);
      } else if (parent !== null && !PAIR_KEYS.has(parentSub)) {
        throw new ContentNotAllowedError(`attribute "${parentSub.slice(0, 40)}" is not allowed`);
      }
    }
    checkContent(struct.content);
  }
}
