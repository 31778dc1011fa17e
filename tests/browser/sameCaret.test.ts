import { describe, expect, it } from 'vitest';
import { DEMO } from '../helpers/auth.ts';
import { seeded } from '../helpers/random.ts';
import { artifactPath, cellText, eventually, openDeclaration, placeCaret, row, sessionCookie, storedPairs, type Member, browserSuite } from './helpers.ts';

/**
 * Two drafters typing at one caret, at the end of the same cell: each
 * person's letters stay together, as in Google Docs. When the other's text
 * lands where my caret is, my caret stays after my own last letter and their
 * text goes after it, so my next letter follows my previous one (issue 21:
 * "alpha beta" and "gamma delta" had become " gaalmpmhaa  dbeetlata").
 */

const DOC = 'vn-fr-2023';

const suite = browserSuite();

/** Two drafters, both with the caret `fromEnd` characters before the end of one cell. */
async function twoDraftersAt(pair: string, lang: 'vi' | 'fr', fromEnd = 0): Promise<[Member, Member]> {
  const [lan, julien] = await Promise.all([suite.member(DEMO.vnDrafter), suite.member(DEMO.frDrafter)]);
  await Promise.all([openDeclaration(lan.page, suite.server.url, DOC), openDeclaration(julien.page, suite.server.url, DOC)]);
  for (const person of [lan, julien]) {
    await placeCaret(person.page, pair, lang, 'end');
    for (let i = 0; i < fromEnd; i++) await person.page.keyboard.press('ArrowLeft');
  }
  return [lan, julien];
}

/** The cell's text with the two texts typed at one place, each in one piece, in either order. */
function eachInOnePiece(before: string, after: string, first: string, second: string): (text: string) => boolean {
  return (text) => text === before + first + second + after || text === before + second + first + after;
}

/** Both pages and the server's stored text show each person's text whole, where their carets were. */
async function expectEachWhole(lan: Member, julien: Member, cellAt: { pair: string; lang: 'vi' | 'fr' }, base: string, fromEnd: number, typed: [string, string]): Promise<void> {
  const { pair, lang } = cellAt;
  const whole = eachInOnePiece(base.slice(0, base.length - fromEnd), base.slice(base.length - fromEnd), ...typed);
  const length = base.length + typed[0].length + typed[1].length;
  const onLan = await eventually(() => cellText(lan.page, pair, lang), (t) => t.length === length, "both texts on Lan's page");
  const onJulien = await eventually(() => cellText(julien.page, pair, lang), (t) => t === onLan, "Julien's page to show the same text");
  expect(whole(onLan), `each person's text whole on Lan's page: ${JSON.stringify(onLan.slice(base.length - fromEnd - 5))}`).toBe(true);
  expect(onJulien).toBe(onLan);
  const cookie = await sessionCookie(suite.server, DEMO.secretariat);
  const stored = await eventually(
    async () => (await storedPairs(suite.server.url, cookie, DOC)).find((p) => p.id === pair)?.[lang] ?? '',
    (t) => t === onLan,
    'the server to store the text both pages show',
  );
  expect(whole(stored)).toBe(true);
}

describe('two people typing at the same caret', () => {
  it.each([
    { where: 'at the end of a cell', pair: 'environment', fromEnd: 0, texts: [' alpha beta', ' gamma delta'] as [string, string] },
    { where: 'before the last full stop', pair: 'urbanisation', fromEnd: 1, texts: [' et nos villes', ' et nous aussi'] as [string, string] },
  ])("keeps each person's words together when their keystrokes alternate, $where", async ({ pair, fromEnd, texts }) => {
    const [lan, julien] = await twoDraftersAt(pair, 'fr', fromEnd);
    const base = await cellText(lan.page, pair, 'fr');
    const [lanText, julienText] = texts;
    // One key each in turn; each waits until the other's key is on their own screen, as people at a
    // person's pace do: every key lands where the other's caret is.
    let count = 0;
    const typeOne = async (who: Member, other: Member, key: string): Promise<void> => {
      await who.page.keyboard.type(key);
      count++;
      await eventually(() => cellText(other.page, pair, 'fr'), (t) => t.length === base.length + count, `${key} on the other page`);
    };
    for (let i = 0; i < Math.max(lanText.length, julienText.length); i++) {
      if (i < lanText.length) await typeOne(lan, julien, lanText[i]!);
      if (i < julienText.length) await typeOne(julien, lan, julienText[i]!);
    }
    await expectEachWhole(lan, julien, { pair, lang: 'fr' }, base, fromEnd, texts);
    if (fromEnd === 0) {
      await row(lan.page, pair).evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await lan.page.screenshot({ path: artifactPath('same-caret.png') });
    }
    // Her undo takes back her own words, and only them, on both screens.
    const withoutLan = (await cellText(julien.page, pair, 'fr')).replace(lanText, '');
    for (let presses = 0; presses < lanText.length && (await cellText(lan.page, pair, 'fr')) !== withoutLan; presses++) await lan.page.keyboard.press('Control+z');
    expect(await cellText(lan.page, pair, 'fr')).toBe(withoutLan);
    await eventually(() => cellText(julien.page, pair, 'fr'), (t) => t === withoutLan, "Lan's undo on Julien's page");
  });

  it.each([21, 4242])("keeps each person's words together at a person's random pace (seed %i)", async (seed) => {
    const pair = seed === 21 ? 'digital' : 'heritage';
    const [lan, julien] = await twoDraftersAt(pair, 'vi');
    const base = await cellText(lan.page, pair, 'vi');
    const lanText = ' hợp tác toàn diện';
    const julienText = ' phát triển bền vững';
    const random = seeded(seed);
    // Each key after 20–260 ms: mostly a person's pace, now and then two keys within one frame.
    const pace = (text: string) => [...text].map(() => (random.chance(0.15) ? 20 : 120 + random.int(140)));
    const typeAtPace = async (who: Member, text: string, delays: number[]): Promise<void> => {
      const keys = [...text];
      for (let i = 0; i < keys.length; i++) {
        await new Promise((resolve) => setTimeout(resolve, delays[i]));
        await who.page.keyboard.type(keys[i]!);
      }
    };
    await Promise.all([typeAtPace(lan, lanText, pace(lanText)), typeAtPace(julien, julienText, pace(julienText))]);
    await expectEachWhole(lan, julien, { pair, lang: 'vi' }, base, 0, [lanText, julienText]);
  });
});
