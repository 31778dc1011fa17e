import { execFileSync } from 'node:child_process';

/** A piece of text of a PDF as poppler reads it, with the face it is set in. */
export interface PlacedText {
  page: number;
  top: number;
  left: number;
  /** The embedded font's name without its subset tag: "DejaVuSerif-BoldItalic". */
  face: string;
  text: string;
}

const decode = (xml: string) =>
  xml
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * Every text piece of a PDF with its position and face: `pdftohtml -xml`
 * gives each piece its font (by subset tag, "CZZZZZ+DejaVuSerif"), `pdffonts`
 * the full name of each tag ("CZZZZZ+DejaVuSerif-Bold").
 */
export function placedText(file: string): PlacedText[] {
  const faces = new Map<string, string>();
  for (const line of execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2)) {
    const name = line.split(/\s+/)[0];
    if (name?.includes('+')) faces.set(name.split('+')[0]!, name.split('+')[1]!);
  }
  const xml = execFileSync('pdftohtml', ['-xml', '-i', '-stdout', '-q', file], { encoding: 'utf8' });
  const fontOf = new Map<string, string>();
  for (const m of xml.matchAll(/<fontspec id="(\d+)"[^>]*family="([^"+]+)\+/g)) fontOf.set(m[1]!, faces.get(m[2]!) ?? m[2]!);
  const out: PlacedText[] = [];
  for (const page of xml.split('<page number="').slice(1)) {
    const number = Number(page.slice(0, page.indexOf('"')));
    for (const m of page.matchAll(/<text top="(\d+)" left="(\d+)"[^>]*font="(\d+)">([\s\S]*?)<\/text>/g)) {
      out.push({ page: number, top: Number(m[1]), left: Number(m[2]), face: fontOf.get(m[3]!) ?? '?', text: decode(m[4]!) });
    }
  }
  return out;
}

/** The text set in each face, pieces joined by spaces (reading order). */
export function textByFace(file: string): Map<string, string> {
  const byFace = new Map<string, string>();
  for (const piece of placedText(file)) byFace.set(piece.face, `${byFace.get(piece.face) ?? ''} ${piece.text}`);
  return byFace;
}
