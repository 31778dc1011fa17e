/** Interface strings of signing (what keeps a version from being signed, shown before anyone confirms) and of the Status page's links. */

export const signingEn = {
  'signing.checking': 'Checking whether this version can be signed…',
  'signing.notYet': 'This version cannot be signed yet.',
  'signing.pairsNotAgreed': 'Pairs not yet agreed by every party with the text of this version:',
  'signing.pair': '¶ {number}: not yet agreed by {parties}',
  'signing.structureNotAgreed': 'The order and kinds of its pairs are not yet agreed by: {parties}.',
  'signing.seeStatus': 'See the Status view',
  'signing.checkFailed': 'Whether this version can be signed could not be checked: {reason}',
  'signing.openPair': 'Open ¶ {number} in the text',
} as const;

export const signingFr: Record<keyof typeof signingEn, string> = {
  'signing.checking': 'Vérification en cours\u202F: cette version peut-elle être signée\u202F?',
  'signing.notYet': 'Cette version ne peut pas encore être signée.',
  'signing.pairsNotAgreed': 'Paires pas encore approuvées par chaque partie dans le texte de cette version\u00A0:',
  'signing.pair': '¶\u00A0{number}\u00A0: pas encore approuvé par {parties}',
  'signing.structureNotAgreed': 'L’ordre et la nature de ses paires ne sont pas encore approuvés par\u00A0: {parties}.',
  'signing.seeStatus': 'Voir la vue État',
  'signing.checkFailed': 'Impossible de vérifier si cette version peut être signée\u00A0: {reason}',
  'signing.openPair': 'Ouvrir le ¶\u00A0{number} dans le texte',
};

export const signingVi: Record<keyof typeof signingEn, string> = {
  'signing.checking': 'Đang kiểm tra xem phiên bản này đã có thể ký chưa…',
  'signing.notYet': 'Chưa thể ký phiên bản này.',
  'signing.pairsNotAgreed': 'Các cặp đoạn chưa được mọi bên chấp thuận theo văn bản của phiên bản này:',
  'signing.pair': '¶ {number}: chưa được {parties} chấp thuận',
  'signing.structureNotAgreed': 'Thứ tự và loại của các cặp đoạn chưa được đồng ý bởi: {parties}.',
  'signing.seeStatus': 'Xem mục Tình trạng',
  'signing.checkFailed': 'Không kiểm tra được phiên bản này đã có thể ký chưa: {reason}',
  'signing.openPair': 'Mở ¶ {number} trong văn bản',
};
