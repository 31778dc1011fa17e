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

async function twoDraftersAtTheEndOf(pair: string, lang: 'vi' | 'fr'): Promise<[Member, Member]> {
  const [lan, julien] = await Promise.all([suite.member(DEMO.vnDrafter), suite.member(DEMO.frDrafter)]);
  await Promise.all([openDeclaration(lan.page, suite.server.url, DOC), openDeclaration(julien.page, suite.server.url, DOC)]);
  await Promise.all([placeCaret(lan.page, pair, lang, 'end'), placeCaret(julien.page, pair, lang, 'end')]);
  return [lan, julien];
}

/** The two texts typed at one place, each in one piece, one after the other (either order). */
function eachInOnePiece(base: string, first: string, second: string): (text: string) => boolean {
  return (text) => text === base + first + second || text === base + second + first;
}

/** Both pages and the server's stored text end with each person's text whole. */
async function expectEachWhole(lan: Member, julien: Member, pair: string, lang: 'vi' | 'fr', base: string, lanText: string, julienText: string): Promise<void> {
  const whole = eachInOnePiece(base, lanText, julienText);
  const onLan = await eventually(() => cellText(lan.page, pair, lang), (t) => t.length === (base + lanText + julienText).length, "both texts on Lan's page");
  const onJulien = await eventually(() => cellText(julien.page, pair, lang), (t) => t === onLan, "Julien's page to show the same text");
  expect(whole(onLan), `each person's text whole on Lan's page: ${JSON.stringify(onLan.slice(base.length))}`).toBe(true);
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
  it("keeps each person's words together when their keystrokes alternate", async () => {
    const pair = 'environment';
    const [lan, julien] = await twoDraftersAtTheEndOf(pair, 'fr');
    const base = await cellText(lan.page, pair, 'fr');
    const lanText = ' alpha beta';
    const julienText = ' gamma delta';
    // One key each in turn; each waits until the other's key is on their own screen, as people at a
    // person's pace do: every key lands where the other's caret is.
    const typed = { lan: '', julien: '' };
    const typeOne = async (who: Member, other: Member, key: string, mine: 'lan' | 'julien'): Promise<void> => {
      await who.page.keyboard.type(key);
      typed[mine] += key;
      const count = typed.lan.length + typed.julien.length;
      await eventually(() => cellText(other.page, pair, 'fr'), (t) => t.length === base.length + count, `${key} on the other page`);
    };
    for (let i = 0; i < Math.max(lanText.length, julienText.length); i++) {
      if (i < lanText.length) await typeOne(lan, julien, lanText[i]!, 'lan');
      if (i < julienText.length) await typeOne(julien, lan, julienText[i]!, 'julien');
    }
    await expectEachWhole(lan, julien, pair, 'fr', base, lanText, julienText);
    await row(lan.page, pair).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await lan.page.screenshot({ path: artifactPath('same-caret.png') });
    // Her undo takes back her own words, and only them, on both screens.
    const withoutLan = base + julienText;
    for (let presses = 0; presses < lanText.length && (await cellText(lan.page, pair, 'fr')) !== withoutLan; presses++) await lan.page.keyboard.press('Control+z');
    expect(await cellText(lan.page, pair, 'fr')).toBe(withoutLan);
    await eventually(() => cellText(julien.page, pair, 'fr'), (t) => t === withoutLan, "Lan's undo on Julien's page");
  });

  it.each([21, 4242])("keeps each person's words together at a person's random pace (seed %i)", async (seed) => {
    const pair = seed === 21 ? 'digital' : 'heritage';
    const [lan, julien] = await twoDraftersAtTheEndOf(pair, 'vi');
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
    await expectEachWhole(lan, julien, pair, 'vi', base, lanText, julienText);
  });
});
