import type { NewPair } from '../../shared/model/index.ts';

/**
 * The second demo document: a cooperation agreement between Hà Nội and
 * Toulouse, one of the bilateral agreements signed at the 12th conference
 * (the seeds name it; its text is not published, so this is an illustrative
 * draft written for the demo).
 */
export const HANOI_TOULOUSE_ID = 'hanoi-toulouse-2023';

const NBSP = '\u00A0';

export const hanoiToulouse = {
  id: HANOI_TOULOUSE_ID,
  title: {
    vi: 'Thỏa thuận hợp tác giữa thành phố Hà Nội và thành phố Toulouse',
    fr: 'Accord de coopération entre la ville de Hà Nội et la ville de Toulouse',
  },
  parties: [
    { id: 'hanoi', name: { vi: 'Thành phố Hà Nội', fr: 'Ville de Hà Nội' } },
    { id: 'toulouse', name: { vi: 'Thành phố Toulouse', fr: 'Ville de Toulouse' } },
  ],
  pairs: [
    {
      id: 'title',
      kind: 'title',
      vi: 'Thỏa thuận hợp tác giữa thành phố Hà Nội và thành phố Toulouse',
      fr: 'Accord de coopération entre la ville de Hà Nội et la ville de Toulouse',
    },
    {
      id: 'preamble',
      kind: 'preamble',
      vi: 'Thành phố Hà Nội và thành phố Toulouse, trên cơ sở quan hệ hợp tác được thiết lập từ năm 1996, nhân dịp Hội nghị hợp tác giữa các địa phương Việt Nam - Pháp lần thứ 12 tổ chức tại Hà Nội, thống nhất như sau:',
      fr: `La ville de Hà Nội et la ville de Toulouse, sur la base de la coopération établie depuis 1996, à l’occasion des 12es Assises de la coopération décentralisée franco-vietnamienne réunies à Hà Nội, conviennent de ce qui suit${NBSP}:`,
    },
    {
      id: 'heritage',
      kind: 'operative',
      vi: 'Hai thành phố tiếp tục hợp tác trong lĩnh vực bảo tồn và phát huy giá trị di sản, di tích tại Hà Nội.',
      fr: 'Les deux villes poursuivent leur coopération dans la préservation et la mise en valeur du patrimoine et des monuments historiques de Hà Nội.',
    },
    {
      id: 'urban',
      kind: 'operative',
      vi: 'Hai thành phố trao đổi kinh nghiệm về quy hoạch, quản lý đô thị và giao thông công cộng.',
      fr: 'Les deux villes échangent leurs expériences en matière de planification, de gestion urbaine et de transports publics.',
    },
    {
      id: 'closing',
      kind: 'closing',
      vi: 'Thỏa thuận này được lập thành hai bản bằng tiếng Việt và tiếng Pháp, có giá trị như nhau.',
      fr: 'Le présent accord est établi en deux exemplaires, en langues vietnamienne et française, les deux textes faisant également foi.',
    },
  ] satisfies (NewPair & { id: string })[],
};
