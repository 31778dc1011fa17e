/**
 * Strings of version names and notes, the duplicate warning and restoring a
 * version's text: spread into the en, fr and vi catalogues. French
 * typography: narrow no-break space (U+202F) before ? ! ; and no-break space
 * (U+00A0) before : and inside « ».
 */
export const versionLabelsEn = {
  'versionLabels.form.title': 'Cut a version',
  'versionLabels.form.name': 'Name',
  'versionLabels.form.nameHint': 'What this version is, e.g. “Draft after the morning session”',
  'versionLabels.form.note': 'Note (optional)',
  'versionLabels.form.noteHint': 'Anything the parties should know about it',
  'versionLabels.form.submit': 'Cut the version',
  'versionLabels.form.cancel': 'Cancel',
  'versionLabels.form.nameMissing': 'Give the version a name.',
  'versionLabels.invalid': 'The name or note was refused: a name of 1 to {name} characters and a note of at most {note}, without control characters.',
  'versionLabels.duplicateConfirm': 'Nothing has changed since version {n}: the text, title and parties are the same. Cut a copy of it anyway?',
  'versionLabels.cutBy': 'Cut by {name}',
  'versionLabels.cutByParty': 'Cut by {name} ({party})',
  'versionLabels.secretariat': 'secretariat',
  'versionLabels.note': 'Note',
  'versionLabels.restore': 'Restore this version’s text',
  'versionLabels.restoreHint': 'Put this version’s text back into the draft, as a new edit',
  'versionLabels.restoreConfirm':
    'Replace the current draft with the text of version {n}? Every paragraph that differs is changed back, as an edit everyone sees; approvals of those paragraphs will need to be given again. The versions themselves do not change.',
  'versionLabels.restoreDone': 'The text of version {n} is back in the draft ({changed} changed, {added} put back, {removed} removed).',
};

export const versionLabelsFr: Record<keyof typeof versionLabelsEn, string> = {
  'versionLabels.form.title': 'Établir une version',
  'versionLabels.form.name': 'Nom',
  'versionLabels.form.nameHint': 'Ce qu’est cette version, par exemple «\u00A0Projet après la séance du matin\u00A0»',
  'versionLabels.form.note': 'Note (facultative)',
  'versionLabels.form.noteHint': 'Ce que les parties doivent en savoir',
  'versionLabels.form.submit': 'Établir la version',
  'versionLabels.form.cancel': 'Annuler',
  'versionLabels.form.nameMissing': 'Donnez un nom à la version.',
  'versionLabels.invalid':
    'Le nom ou la note a été refusé\u00A0: un nom de 1 à {name} caractères et une note d’au plus {note}, sans caractères de contrôle.',
  'versionLabels.duplicateConfirm':
    'Rien n’a changé depuis la version {n}\u00A0: le texte, le titre et les parties sont les mêmes. En établir quand même une copie\u202F?',
  'versionLabels.cutBy': 'Établie par {name}',
  'versionLabels.cutByParty': 'Établie par {name} ({party})',
  'versionLabels.secretariat': 'secrétariat',
  'versionLabels.note': 'Note',
  'versionLabels.restore': 'Rétablir le texte de cette version',
  'versionLabels.restoreHint': 'Remettre le texte de cette version dans le projet, comme une nouvelle modification',
  'versionLabels.restoreConfirm':
    'Remplacer le projet actuel par le texte de la version {n}\u202F? Chaque paragraphe qui diffère est rétabli, par une modification que tous voient\u202F; les approbations de ces paragraphes devront être données à nouveau. Les versions elles-mêmes ne changent pas.',
  'versionLabels.restoreDone': 'Le texte de la version {n} est rétabli dans le projet ({changed} modifiés, {added} remis, {removed} retirés).',
};

export const versionLabelsVi: Record<keyof typeof versionLabelsEn, string> = {
  'versionLabels.form.title': 'Tạo phiên bản',
  'versionLabels.form.name': 'Tên',
  'versionLabels.form.nameHint': 'Phiên bản này là gì, ví dụ “Dự thảo sau phiên họp buổi sáng”',
  'versionLabels.form.note': 'Ghi chú (không bắt buộc)',
  'versionLabels.form.noteHint': 'Những điều các bên cần biết về phiên bản này',
  'versionLabels.form.submit': 'Tạo phiên bản',
  'versionLabels.form.cancel': 'Hủy',
  'versionLabels.form.nameMissing': 'Hãy đặt tên cho phiên bản.',
  'versionLabels.invalid': 'Tên hoặc ghi chú bị từ chối: tên dài từ 1 đến {name} ký tự, ghi chú tối đa {note} ký tự, không có ký tự điều khiển.',
  'versionLabels.duplicateConfirm': 'Không có gì thay đổi kể từ phiên bản {n}: văn bản, tiêu đề và các bên vẫn như cũ. Vẫn tạo một bản sao?',
  'versionLabels.cutBy': 'Do {name} tạo',
  'versionLabels.cutByParty': 'Do {name} ({party}) tạo',
  'versionLabels.secretariat': 'ban thư ký',
  'versionLabels.note': 'Ghi chú',
  'versionLabels.restore': 'Khôi phục văn bản của phiên bản này',
  'versionLabels.restoreHint': 'Đưa văn bản của phiên bản này trở lại bản dự thảo, như một chỉnh sửa mới',
  'versionLabels.restoreConfirm':
    'Thay bản dự thảo hiện tại bằng văn bản của phiên bản {n}? Mọi đoạn khác biệt sẽ được khôi phục bằng một chỉnh sửa mà mọi người đều thấy; các phê duyệt của những đoạn đó sẽ phải được đưa ra lại. Bản thân các phiên bản không thay đổi.',
  'versionLabels.restoreDone': 'Văn bản của phiên bản {n} đã trở lại bản dự thảo ({changed} đoạn được sửa, {added} đoạn được đưa lại, {removed} đoạn bị bỏ).',
};
