import type { NewPair } from '../../shared/model/index.ts';

/**
 * The demo declaration: the joint declaration of the 12th Vietnam–France
 * decentralised cooperation conference (Hà Nội, 13–16 April 2023). The
 * Vietnamese text is exactly as published (VOV, in tests/fixtures/seeds); the
 * French text is a translation written for Accord, following French
 * typography: « » with U+00A0 inside, U+00A0 before a colon, ’ and œ.
 */

const NBSP = '\u00A0';

export const JOINT_DECLARATION_ID = 'vn-fr-2023';

export const jointDeclaration = {
  id: JOINT_DECLARATION_ID,
  title: {
    vi: 'Tuyên bố chung Hội nghị hợp tác giữa các địa phương Việt Nam - Pháp lần thứ 12',
    fr: 'Déclaration commune des 12es Assises de la coopération décentralisée franco-vietnamienne',
  },
  parties: [
    { id: 'vn', name: { vi: 'Phía Việt Nam', fr: 'Partie vietnamienne' } },
    { id: 'fr', name: { vi: 'Phía Pháp', fr: 'Partie française' } },
  ],
  pairs: [
    {
      id: 'title',
      kind: 'title',
      vi: 'Tuyên bố chung Hội nghị hợp tác giữa các địa phương Việt Nam - Pháp lần thứ 12',
      fr: 'Déclaration commune des 12es Assises de la coopération décentralisée franco-vietnamienne',
    },
    {
      id: 'preamble-1',
      kind: 'preamble',
      vi: 'Các địa phương Việt Nam và Pháp, trong khuôn khổ Hội nghị hợp tác địa phương Việt Nam và Pháp, tổ chức tại Hà Nội, từ ngày 13-16/4/2023, với chủ đề “Hợp tác địa phương, động lực cho phục hồi, phát triển bền vững và toàn diện sau đại dịch”, nhận thấy sự năng động của hợp tác địa phương Việt Nam - Pháp là một động lực to lớn cho phát triển kinh tế - xã hội và văn hóa bền vững và nhân văn của hai nước.',
      fr: `Les collectivités territoriales vietnamiennes et françaises, réunies à Hanoï du 13 au 16 avril 2023 dans le cadre des Assises de la coopération décentralisée franco-vietnamienne, sur le thème «${NBSP}La coopération décentralisée, moteur de la relance et du développement durable et inclusif après la pandémie${NBSP}», constatent que le dynamisme de la coopération décentralisée franco-vietnamienne est un puissant moteur du développement économique, social et culturel, durable et humain, de nos deux pays.`,
    },
    {
      id: 'preamble-2',
      kind: 'preamble',
      vi: 'Trong ba ngày họp tại các phiên toàn thể và chuyên đề, nhận thấy tầm quan trọng của hợp tác giữa các địa phương nhằm giải quyết các thách thức đặt ra trong quá trình phát triển và nắm bắt các cơ hội, hai bên nhất trí tuyên bố:',
      fr: `Au cours de trois jours de travaux en séances plénières et thématiques, conscientes de l’importance de la coopération entre collectivités territoriales pour relever les défis du développement et saisir les occasions qui se présentent, les deux parties déclarent d’un commun accord${NBSP}:`,
    },
    {
      id: 'environment',
      kind: 'operative',
      vi: 'Ý thức rõ về những thay đổi môi trường và khí hậu do hoạt động của con người gây ra, hai bên khẳng định lại quyết tâm hợp tác, trên cơ sở những tiềm năng về trao đổi kinh nghiệm trong lĩnh vực phát triển bền vững, đặc biệt là quản lý nước hiệu quả và thống nhất rằng bảo vệ môi trường là cơ sở vững chắc cho phát triển kinh tế - xã hội bền vững.',
      fr: 'Pleinement conscientes des changements environnementaux et climatiques causés par l’activité humaine, les deux parties réaffirment leur volonté de coopérer, en s’appuyant sur le potentiel d’échanges d’expériences dans le domaine du développement durable, en particulier la gestion efficace de l’eau, et conviennent que la protection de l’environnement constitue un socle solide pour un développement économique et social durable.',
    },
    {
      id: 'digital',
      kind: 'operative',
      vi: 'Ý thức được nhu cầu cần nhanh chóng thích ứng với chuyển đổi số hiện đang trở thành một thách thức lớn đối với chuyển biến kinh tế - xã hội, hai bên khẳng định hợp tác giữa các địa phương Việt Nam - Pháp có thể đưa ra các hướng hành động và giải pháp hiệu quả để dẫn dắt thành công chuyển đổi, thông qua chia sẻ nhận thức chung, các chính sách, kinh nghiệm thành công và cả thất bại trong phát triển hệ sinh thái số, kinh tế số, xã hội số và thành phố thông minh. Trong quá trình này, mục đích ưu tiên là cải thiện chất lượng dịch vụ công và môi trường kinh doanh.',
      fr: 'Conscientes de la nécessité de s’adapter rapidement à la transformation numérique, devenue un défi majeur pour la mutation économique et sociale, les deux parties affirment que la coopération entre collectivités territoriales vietnamiennes et françaises peut offrir des pistes d’action et des solutions efficaces pour mener à bien cette transition, par le partage de constats communs, de politiques et d’expériences, réussies comme manquées, dans le développement de l’écosystème numérique, de l’économie numérique, de la société numérique et des villes intelligentes. Dans ce processus, l’objectif prioritaire est d’améliorer la qualité des services publics et l’environnement des affaires.',
    },
    {
      id: 'urbanisation',
      kind: 'operative',
      vi: 'Nhận thức rõ những thách thức của đô thị hóa đối với sự phát triển bền vững của các thành phố và cuộc sống của người dân, hai bên không còn lựa chọn nào khác ngoài phát triển bền vững. Vì vậy, những tư duy đổi mới cần thúc đẩy các dự án dựa trên cách tiếp cận toàn diện và phù hợp với điều kiện địa phương để đảm bảo sự hài hòa, cân bằng giữa hiện đại và truyền thống, bảo tồn di sản và phát triển kinh tế, môi trường, hội nhập và giữ gìn bản sắc văn hóa. Điều này không chỉ đòi hỏi một tầm nhìn dài hạn về quy hoạch, quản lý đô thị, mà còn cần có các giải pháp khuyến khích, huy động các chủ thể khác nhau, đặc biệt là cư dân đô thị tham gia vào quá trình chuyển đổi theo hướng xanh hơn và bền vững hơn.',
      fr: 'Pleinement conscientes des défis que l’urbanisation pose au développement durable des villes et à la vie de leurs habitants, les deux parties considèrent qu’il n’existe pas d’autre voie que le développement durable. C’est pourquoi une pensée renouvelée doit promouvoir des projets fondés sur une approche globale et adaptée aux conditions locales, afin d’assurer l’harmonie et l’équilibre entre modernité et tradition, entre préservation du patrimoine et développement économique, environnement, intégration et sauvegarde de l’identité culturelle. Cela exige non seulement une vision à long terme de la planification et de la gestion urbaines, mais aussi des solutions qui encouragent et mobilisent les différents acteurs, en particulier les habitants des villes, à prendre part à une transition plus verte et plus durable.',
    },
    {
      id: 'heritage',
      kind: 'operative',
      vi: 'Qua các cuộc thảo luận về hình thức bảo tồn di sản, phát huy văn hoá và phát triển du lịch, hai bên khẳng định các địa phương Việt Nam và Pháp, với sự đa dạng và phong phú về văn hóa và di sản của mỗi bên, có chung lợi ích tăng cường hợp tác trong việc xây dựng chiến lược phát triển kinh tế - xã hội, tăng trưởng xanh, công nghiệp văn hóa gắn với bảo tồn di sản vật thể và phi vật thể. Hai bên vui mừng nhận thấy đây chính là các chủ đề quan tâm chung của các địa phương hai nước, cùng với sự tương đồng và khác biệt vốn có, sẽ là những nội dung hợp tác tuyệt vời, cân bằng và phong phú.',
      fr: 'À l’issue des débats sur les formes de préservation du patrimoine, de valorisation de la culture et de développement du tourisme, les deux parties affirment que les collectivités territoriales vietnamiennes et françaises, fortes de la diversité et de la richesse de leurs cultures et de leurs patrimoines, ont un intérêt commun à renforcer leur coopération dans l’élaboration de stratégies de développement économique et social, de croissance verte et d’industries culturelles liées à la préservation du patrimoine matériel et immatériel. Les deux parties se félicitent de constater que ces thèmes d’intérêt commun aux collectivités des deux pays, avec leurs ressemblances et leurs différences, offriront des champs de coopération remarquables, équilibrés et riches.',
    },
    {
      id: 'closing',
      kind: 'closing',
      vi: 'Qua các cuộc trao đổi thảo luận trong ba ngày qua và với tư cách là những người trực tiếp triển khai hợp tác địa phương Việt Nam - Pháp, hai bên cho rằng cấp địa phương là thiết yếu và không thể thiếu để đạt được mục tiêu phát triển bền vững theo Chương trình nghị sự 2030. Hai bên kêu gọi phát triển hình thức hợp tác này để tiếp tục và nhân rộng. Hai bên cam kết sẽ triển khai các khuyến nghị của Hội nghị, với sự hỗ trợ của tất cả các bên liên quan./.',
      fr: 'Au terme de ces trois jours d’échanges et de débats, et en tant qu’actrices directes de la coopération décentralisée franco-vietnamienne, les deux parties estiment que l’échelon local est essentiel et indispensable pour atteindre les objectifs de développement durable de l’Agenda 2030. Elles appellent à développer cette forme de coopération, pour la poursuivre et l’étendre. Les deux parties s’engagent à mettre en œuvre les recommandations des Assises, avec le soutien de l’ensemble des parties prenantes.',
    },
  ] satisfies (NewPair & { id: string })[],
};
