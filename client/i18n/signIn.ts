/** Interface strings of the sign-in page (asks before a link signs in) and of "Sign out everywhere", in the three languages. */

export const signInEn = {
  'signIn.title': 'Sign in to Accord',
  'signIn.loading': 'Reading the sign-in link…',
  'signIn.as': 'This link signs you in as',
  'signIn.globalSecretariat': 'Secretariat of every declaration',
  'signIn.noRoles': 'No declaration yet',
  'signIn.roleWithParty': '{role} · {party}',
  'signIn.expires': 'The link works once, until {date}.',
  'signIn.continue': 'Continue as {name}',
  'signIn.signingIn': 'Signing in…',
  'signIn.cancel': 'Not now',
  'signIn.warning.title': 'You are signed in as someone else',
  'signIn.warning.detail':
    'You are signed in as {current} on this browser. Continuing signs {current} out on this browser and signs you in as {next}: what you then write, you write as {next}.',
  'signIn.same': 'You are already signed in as {name} on this browser: there is no need to use this link.',
  'signIn.goHome': 'Go to my declarations',
  'signIn.failed': 'The sign-in link could not be read',
  'account.signOutEverywhere': 'Sign out everywhere',
  'account.signOutEverywhere.confirm':
    'Sign out of Accord on every browser and device, this one included? Pages open elsewhere close at once, and sign-in links you have not used yet stop working.',
} as const;

export const signInFr: Record<keyof typeof signInEn, string> = {
  'signIn.title': 'Se connecter à Accord',
  'signIn.loading': 'Lecture du lien de connexion…',
  'signIn.as': 'Ce lien vous connecte en tant que',
  'signIn.globalSecretariat': 'Secrétariat de toutes les déclarations',
  'signIn.noRoles': 'Aucune déclaration pour l’instant',
  'signIn.roleWithParty': '{role} · {party}',
  'signIn.expires': 'Le lien fonctionne une fois, jusqu’au {date}.',
  'signIn.continue': 'Continuer en tant que {name}',
  'signIn.signingIn': 'Connexion…',
  'signIn.cancel': 'Pas maintenant',
  'signIn.warning.title': 'Vous êtes connecté sous un autre nom',
  'signIn.warning.detail':
    'Vous êtes connecté en tant que {current} sur ce navigateur. Continuer déconnecte {current} de ce navigateur et vous connecte en tant que {next} : ce que vous écrirez ensuite, vous l’écrirez au nom de {next}.',
  'signIn.same': 'Vous êtes déjà connecté en tant que {name} sur ce navigateur : inutile d’utiliser ce lien.',
  'signIn.goHome': 'Aller à mes déclarations',
  'signIn.failed': 'Le lien de connexion n’a pas pu être lu',
  'account.signOutEverywhere': 'Se déconnecter partout',
  'account.signOutEverywhere.confirm':
    'Se déconnecter d’Accord sur tous les navigateurs et appareils, celui-ci compris ? Les pages ouvertes ailleurs se ferment aussitôt, et les liens de connexion pas encore utilisés ne fonctionneront plus.',
};

export const signInVi: Record<keyof typeof signInEn, string> = {
  'signIn.title': 'Đăng nhập vào Accord',
  'signIn.loading': 'Đang đọc liên kết đăng nhập…',
  'signIn.as': 'Liên kết này đăng nhập bạn với tư cách',
  'signIn.globalSecretariat': 'Ban thư ký của mọi tuyên bố',
  'signIn.noRoles': 'Chưa có tuyên bố nào',
  'signIn.roleWithParty': '{role} · {party}',
  'signIn.expires': 'Liên kết chỉ dùng được một lần, đến {date}.',
  'signIn.continue': 'Tiếp tục với tư cách {name}',
  'signIn.signingIn': 'Đang đăng nhập…',
  'signIn.cancel': 'Để sau',
  'signIn.warning.title': 'Bạn đang đăng nhập với tên người khác',
  'signIn.warning.detail':
    'Bạn đang đăng nhập với tên {current} trên trình duyệt này. Nếu tiếp tục, {current} sẽ bị đăng xuất khỏi trình duyệt này và bạn sẽ đăng nhập với tên {next}: những gì bạn viết sau đó sẽ mang tên {next}.',
  'signIn.same': 'Bạn đã đăng nhập với tên {name} trên trình duyệt này: không cần dùng liên kết này.',
  'signIn.goHome': 'Đến các tuyên bố của tôi',
  'signIn.failed': 'Không đọc được liên kết đăng nhập',
  'account.signOutEverywhere': 'Đăng xuất khỏi mọi nơi',
  'account.signOutEverywhere.confirm':
    'Đăng xuất khỏi Accord trên mọi trình duyệt và thiết bị, kể cả thiết bị này? Các trang đang mở ở nơi khác sẽ đóng ngay, và các liên kết đăng nhập chưa dùng sẽ không còn hiệu lực.',
};
