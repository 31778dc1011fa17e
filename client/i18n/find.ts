/**
 * Strings of find and replace in the declaration's text, and of a few notices
 * near it (a comment too long, a membership withdrawn): spread into the en, fr
 * and vi catalogues. French typography: narrow no-break space (U+202F) before
 * ? ! ; and no-break space (U+00A0) before : and inside « ».
 */
export const findEn = {
  'find.open': 'Find',
  'find.open.title': 'Find (and replace) in the text of both languages ({shortcut})',
  'find.label': 'Find in the text',
  'find.query': 'Find',
  'find.query.placeholder': 'Find in Vietnamese and French…',
  'find.replace': 'Replace with',
  'find.replace.placeholder': 'Replace with…',
  'find.tones': 'Ignore Vietnamese tone marks',
  'find.tones.title': 'hoà, hòa and hoa match each other; letters such as ư, ơ, â, ă, đ stay distinct',
  'find.previous': 'Previous match',
  'find.next': 'Next match',
  'find.replaceOne': 'Replace',
  'find.replaceAll': 'Replace all',
  'find.close': 'Close find',
  'find.count': '{current} of {total}',
  'find.none': 'No match',
  'find.where': '¶{number} {lang}',
  'find.replaced': '{count} replaced',
  'find.readOnly': 'You can search this declaration; only its editors replace text.',
  'sync.closed.revoked': 'Your membership of this declaration was withdrawn: this page can no longer show it or send edits. Ask the secretariat if you think this is a mistake.',
  'sync.closed.notMember': 'You are not (or no longer) a member of this declaration, so this page cannot open it. Ask the secretariat if you think this is a mistake.',
  'comments.length.count': '{count} / {max} characters',
  'comments.length.over': 'This comment is too long by {over} (at most {max} characters). Shorten it to send it.',
  'error.code.comment_too_long': 'A comment can hold at most {max} characters. Nothing was sent.',
};

export const findFr: Record<keyof typeof findEn, string> = {
  'find.open': 'Rechercher',
  'find.open.title': 'Rechercher (et remplacer) dans le texte des deux langues ({shortcut})',
  'find.label': 'Rechercher dans le texte',
  'find.query': 'Rechercher',
  'find.query.placeholder': 'Rechercher en vietnamien et en français…',
  'find.replace': 'Remplacer par',
  'find.replace.placeholder': 'Remplacer par…',
  'find.tones': 'Ignorer les tons vietnamiens',
  'find.tones.title': 'hoà, hòa et hoa se correspondent\u00a0; les lettres comme ư, ơ, â, ă, đ restent distinctes',
  'find.previous': 'Résultat précédent',
  'find.next': 'Résultat suivant',
  'find.replaceOne': 'Remplacer',
  'find.replaceAll': 'Tout remplacer',
  'find.close': 'Fermer la recherche',
  'find.count': '{current} sur {total}',
  'find.none': 'Aucun résultat',
  'find.where': '¶{number} {lang}',
  'find.replaced': '{count} remplacé(s)',
  'find.readOnly': 'Vous pouvez rechercher dans cette déclaration\u00a0; seuls ses rédacteurs remplacent du texte.',
  'sync.closed.revoked':
    'Votre accès à cette déclaration a été retiré\u00a0: cette page ne peut plus l’afficher ni envoyer de modifications. Adressez-vous au secrétariat si vous pensez qu’il s’agit d’une erreur.',
  'sync.closed.notMember':
    'Vous n’êtes pas (ou plus) membre de cette déclaration\u00a0: cette page ne peut pas l’ouvrir. Adressez-vous au secrétariat si vous pensez qu’il s’agit d’une erreur.',
  'comments.length.count': '{count} / {max} caractères',
  'comments.length.over': 'Ce commentaire dépasse la limite de {over} (au plus {max} caractères). Raccourcissez-le pour l’envoyer.',
  'error.code.comment_too_long': 'Un commentaire compte au plus {max} caractères. Rien n’a été envoyé.',
};

export const findVi: Record<keyof typeof findEn, string> = {
  'find.open': 'Tìm',
  'find.open.title': 'Tìm (và thay thế) trong văn bản của cả hai ngôn ngữ ({shortcut})',
  'find.label': 'Tìm trong văn bản',
  'find.query': 'Tìm',
  'find.query.placeholder': 'Tìm trong tiếng Việt và tiếng Pháp…',
  'find.replace': 'Thay bằng',
  'find.replace.placeholder': 'Thay bằng…',
  'find.tones': 'Bỏ qua dấu thanh tiếng Việt',
  'find.tones.title': 'hoà, hòa và hoa khớp với nhau; các chữ như ư, ơ, â, ă, đ vẫn được phân biệt',
  'find.previous': 'Kết quả trước',
  'find.next': 'Kết quả tiếp theo',
  'find.replaceOne': 'Thay thế',
  'find.replaceAll': 'Thay thế tất cả',
  'find.close': 'Đóng tìm kiếm',
  'find.count': '{current} / {total}',
  'find.none': 'Không có kết quả',
  'find.where': '¶{number} {lang}',
  'find.replaced': 'Đã thay {count} chỗ',
  'find.readOnly': 'Bạn có thể tìm trong bản tuyên bố này; chỉ người soạn thảo mới thay thế được văn bản.',
  'sync.closed.revoked':
    'Quyền thành viên của bạn đối với bản tuyên bố này đã bị thu hồi: trang này không thể hiển thị hay gửi chỉnh sửa nữa. Hãy liên hệ ban thư ký nếu bạn cho rằng đây là nhầm lẫn.',
  'sync.closed.notMember':
    'Bạn không (hoặc không còn) là thành viên của bản tuyên bố này nên trang này không thể mở. Hãy liên hệ ban thư ký nếu bạn cho rằng đây là nhầm lẫn.',
  'comments.length.count': '{count} / {max} ký tự',
  'comments.length.over': 'Bình luận này vượt quá giới hạn {over} ký tự (tối đa {max} ký tự). Hãy rút ngắn để gửi.',
  'error.code.comment_too_long': 'Một bình luận chỉ được tối đa {max} ký tự. Chưa có gì được gửi.',
};
