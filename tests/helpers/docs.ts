import * as Y from 'yjs';
import { getPair } from '../../shared/model/index.ts';

/** The text node of the first paragraph of a cell: where tests type, as an editor would. */
export function firstXmlText(doc: Y.Doc, pairId: string, lang: 'vi' | 'fr'): Y.XmlText {
  return (getPair(doc, pairId)!.cell(lang).get(0) as Y.XmlElement).get(0) as Y.XmlText;
}
