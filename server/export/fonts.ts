import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Fonts shipped by an npm package (dejavu-fonts-ttf), never the system's:
 * DejaVu covers Vietnamese (ư ơ ấ ẫ ỹ ặ Đ) and French (œ « » ç, U+00A0, U+202F).
 */
const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const FONTS = {
  serif: path.join(dir, 'DejaVuSerif.ttf'),
  serifBold: path.join(dir, 'DejaVuSerif-Bold.ttf'),
  serifItalic: path.join(dir, 'DejaVuSerif-Italic.ttf'),
  serifBoldItalic: path.join(dir, 'DejaVuSerif-BoldItalic.ttf'),
  sans: path.join(dir, 'DejaVuSans.ttf'),
  sansBold: path.join(dir, 'DejaVuSans-Bold.ttf'),
} as const;
