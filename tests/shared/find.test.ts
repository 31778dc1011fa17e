import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { findInText, foldForFind, sameWords, textIncludes } from '../../shared/find.ts';
import { findInDoc, replaceAll, replaceMatch } from '../../shared/findInDoc.ts';
import { insertPair, readPairText } from '../../shared/model/index.ts';
import { runsOf } from './helpers.ts';

const slices = (text: string, query: string, tones = false) => findInText(text, query, { tones }).map((m) => text.slice(m.from, m.to));

describe('matching words in a text', () => {
  it('finds NFC and NFD spellings alike, in either direction, with offsets in the stored text', () => {
    const nfd = 'Thành phố Hà Nội'.normalize('NFD');
    expect(slices(nfd, 'hà nội')).toEqual(['Hà Nội'.normalize('NFD')]);
    expect(slices('Thành phố Hà Nội', 'HÀ NỘI'.normalize('NFD'))).toEqual(['Hà Nội']);
    const [m] = findInText(nfd, 'Nội');
    expect(nfd.slice(0, m!.from).normalize('NFC')).toBe('Thành phố Hà ');
  });

  it('ignores case and finds a typed space in a no-break space, a typed apostrophe in ’', () => {
    expect(slices('Article 3\u00a0: la coopération', 'article 3 :')).toEqual(['Article 3\u00a0:']);
    expect(slices('Pourquoi\u202f?', 'pourquoi ?')).toEqual(['Pourquoi\u202f?']);
    expect(slices('l’eau potable', "l'eau")).toEqual(['l’eau']);
  });

  it('ignores Vietnamese tone marks only when asked, keeping ư ơ â ă ê ô đ as letters of their own', () => {
    expect(slices('hòa bình, hoà bình', 'hoà')).toEqual(['hoà']);
    expect(slices('hòa bình, hoà bình', 'hoà', true)).toEqual(['hòa', 'hoà']);
    expect(slices('hòa bình, hoà bình', 'hoa binh', true)).toEqual(['hòa bình', 'hoà bình']);
    expect(slices('hơa', 'hoa', true)).toEqual([]);
    expect(slices('Đà Nẵng', 'da nang', true)).toEqual([]);
    expect(slices('Đà Nẵng', 'đa năng', true)).toEqual(['Đà Nẵng']);
    expect(slices('cầu nối', 'câu nôi', true)).toEqual(['cầu nối']);
    expect(foldForFind('Phát triển bền vững', { tones: true })).toBe('phat triên bên vưng');
  });

  it('matches whole letters only: a letter with a mark is not its base letter', () => {
    expect(slices('Việt', 'e')).toEqual([]);
    expect(slices('Việt'.normalize('NFD'), 'e')).toEqual([]);
    expect(slices('Việt'.normalize('NFD'), 'ê', true)).toEqual(['ệ'.normalize('NFD')]);
  });

  it('gives non-overlapping matches left to right and nothing for an empty query', () => {
    expect(findInText('aaaa', 'aa')).toEqual([
      { from: 0, to: 2 },
      { from: 2, to: 4 },
    ]);
    expect(findInText('abc', '')).toEqual([]);
    expect(textIncludes('Góp ý'.normalize('NFD'), 'góp ý')).toBe(true);
    expect(sameWords('quản lý nước', 'quản lý nước'.normalize('NFD'))).toBe(true);
  });
});

describe('find and replace in a declaration', () => {
  const make = () => {
    const doc = new Y.Doc();
    const a = insertPair(doc, { id: 'a', vi: `Hòa bình và hữu nghị\n${'hoà bình'.normalize('NFD')}`, fr: 'La paix\u00a0: paix durable' });
    const b = insertPair(doc, { id: 'b', vi: 'Không có gì', fr: [[{ text: 'la ' }, { text: 'paix', marks: { strong: true } }]] }, a);
    return { doc, a, b };
  };

  it('lists the matches of both languages in reading order, with paragraph and offsets', () => {
    const { doc } = make();
    expect(findInDoc(doc, 'paix').map((m) => [m.pairId, m.lang, m.paragraph, m.paragraphFrom, m.paragraphTo])).toEqual([
      ['a', 'fr', 0, 3, 7],
      ['a', 'fr', 0, 10, 14],
      ['b', 'fr', 0, 3, 7],
    ]);
    expect(findInDoc(doc, 'hoa binh', { tones: true }).map((m) => [m.pairId, m.lang, m.paragraph])).toEqual([
      ['a', 'vi', 0],
      ['a', 'vi', 1],
    ]);
    expect(findInDoc(doc, 'hòa bình').length).toBe(1);
    expect(findInDoc(doc, 'paix', { langs: ['vi'] })).toEqual([]);
  });

  it('replaces one match keeping its formatting, and refuses one whose text changed since', () => {
    const { doc } = make();
    const matches = findInDoc(doc, 'paix');
    expect(replaceMatch(doc, matches[2]!, 'paix', 'concorde')).toBe(true);
    expect(runsOf(doc, 'b', 'fr')).toEqual([[{ text: 'la ' }, { text: 'concorde', marks: { strong: true } }]]);
    matches[0]!.text.insert(0, 'X'); // the first match moved: replacing it where it was would cut the wrong letters
    expect(replaceMatch(doc, matches[0]!, 'paix', 'concorde')).toBe(false);
    expect(readPairText(doc, 'a')!.fr).toBe('XLa paix\u00a0: paix durable');
  });

  it('replaces every match in one update, NFC, in both languages', () => {
    const { doc } = make();
    let updates = 0;
    doc.on('update', () => updates++);
    expect(replaceAll(doc, 'hoà bình', 'Hữu nghị'.normalize('NFD'), { tones: true })).toBe(2);
    expect(updates).toBe(1);
    expect(readPairText(doc, 'a')!.vi).toBe('Hữu nghị và hữu nghị\nHữu nghị');
    expect(replaceAll(doc, 'paix', '')).toBe(3);
    expect(readPairText(doc, 'a')!.fr).toBe('La \u00a0:  durable');
    expect(replaceAll(doc, 'absent', 'x')).toBe(0);
  });
});
