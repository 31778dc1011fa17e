import type { ExportModel, Layout } from './model.ts';

/**
 * The blocks for handwritten signatures a protocol office files beside the
 * electronic sign-off: one per party the version was cut for, with its name,
 * "Done at …, on …" in each language of the layout, a line to sign on and
 * the head's name when known (the head who signed it electronically). The
 * place is left to be written by hand; the date is that of the head's
 * electronic signature, or left blank. Same words in the PDF and the DOCX.
 */

export interface SignatureBlock {
  /** The party's name, one line per language of the layout. */
  party: string[];
  /** "Làm tại …, ngày …" / "Fait à …, le …", one line per language. */
  doneAt: string[];
  /** Under the line to sign on: the head's name, or a blank to fill in. */
  signer: string;
  /** The caption of the line ("Chữ ký / Signature"). */
  caption: string;
}

const PLACE = '………………';
const FRENCH_MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** "ngày 6 tháng 12 năm 2026" (UTC) or blanks to write the date in. */
export function vietnameseDate(iso: string | null): string {
  if (!iso) return 'ngày …… tháng …… năm ……';
  const d = new Date(iso);
  return `ngày ${d.getUTCDate()} tháng ${d.getUTCMonth() + 1} năm ${d.getUTCFullYear()}`;
}

/** "le 1er décembre 2026", "le 6 décembre 2026" (UTC) or blanks to write the date in. */
export function frenchDate(iso: string | null): string {
  if (!iso) return 'le ……………………';
  const d = new Date(iso);
  const day = d.getUTCDate() === 1 ? '1er' : String(d.getUTCDate());
  return `le ${day} ${FRENCH_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** The languages a layout prints. */
function languagesOf(layout: Layout): Array<'vi' | 'fr'> {
  return layout === 'vi' ? ['vi'] : layout === 'fr' ? ['fr'] : ['vi', 'fr'];
}

/** One block per party of a version (none for the draft), in the version's order of parties. */
export function signatureBlocks(model: ExportModel, layout: Layout): SignatureBlock[] {
  const langs = languagesOf(layout);
  return model.signOff.map((line) => {
    const at = line.signature?.signedAt ?? null;
    return {
      party: langs.map((lang) => line.party[lang]),
      doneAt: langs.map((lang) => (lang === 'vi' ? `Làm tại ${PLACE}, ${vietnameseDate(at)}` : `Fait à ${PLACE}, ${frenchDate(at)}`)),
      signer: line.signature?.headName ?? (langs.length === 2 ? 'Họ tên / Nom\u00A0: ……………………' : langs[0] === 'vi' ? 'Họ tên: ……………………' : 'Nom\u00A0: ……………………'),
      caption: langs.map((lang) => (lang === 'vi' ? 'Chữ ký' : 'Signature')).join(' / '),
    };
  });
}
