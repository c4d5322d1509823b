/** Gatehouse's words in French, with the non-breaking space French puts before a colon. */
import type { Catalog } from './catalog-en.js';

const NBSP = '\u00a0';

export const fr: Catalog = {
  locale: 'fr',
  slackDateTime: '{date_short} à {time}',
  slackLongDateTime: '{date_long} à {time}',
  firstOfMonth: '1er',
  endOfDay: (day) => `${day}, en fin de journée`,
  itsEndDate: 'sa date de fin',
  none: 'Aucune',
  today: "aujourd'hui",
  tomorrow: 'demain',
  inDays: (days) => `dans ${days} jours`,

  expiryWarning: (organization, when, day) => `Votre accès à *${organization}* prend fin ${when}, à la fin du ${day}.`,
  expiryWarningShort: (organization, when) => `Votre accès à ${organization} prend fin ${when}.`,
  expiryWarningHelp:
    "Si vous en avez encore besoin, demandez à l'un de ses administrateurs de le prolonger. Après cette date, vous apparaîtrez " +
    'comme déconnecté.',
  accessExpired: (organization, day, until) =>
    `Votre accès à *${organization}* a pris fin le ${day}. Un administrateur peut le rétablir jusqu'au ${until}${NBSP}; ` +
    `ensuite, vous serez retiré de l'organisation.`,
  thirtyDaysAfter: '30 jours plus tard',
  accessRemoved: (organization, day) =>
    `Vous avez été retiré de *${organization}*${NBSP}: votre accès a pris fin le ${day} et n'a pas été rétabli dans les 30 jours.`,
  seeWhatYouHold: (command) => `Voyez ce à quoi vous avez encore accès avec ${command}.`,

  requestExpired: (organization, requestId, made, command) =>
    `Votre demande d'accès à *${organization}* (demande n° ${requestId}), faite ${made}, a expiré sans décision. Vous pouvez ` +
    `la refaire avec ${command}.`,
  yourOrganization: 'votre organisation',

  approvedHeadline: (by, organization) => `*C'est fait.* ${by} a approuvé votre demande d'accès à *${organization}*.`,
  approvedShort: (organization, by) => `${by} a approuvé votre demande d'accès à ${organization}.`,
  approvedOn: (requestId, when) => `Demande n° ${requestId}  ·  approuvée ${when}`,
  whatYouCanDo: 'Ce que vous pouvez faire maintenant',
  addedByAdministrator: 'ajoutée par votre administrateur',
  askedNotGranted: 'Demandé mais non accordé',
  accessEnds: (when) => `Votre accès prend fin ${when}.`,
  noteFrom: (by) => `Note de ${by}`,
  seeEverything: (command) => `Voyez tout ce que vous détenez avec ${command}.`,
  deniedHeadline: (organization, by) => `${by} a refusé votre demande d'accès à *${organization}*.`,
  deniedShort: (organization, by) => `${by} a refusé votre demande d'accès à ${organization}.`,
  deniedOn: (requestId, when) => `Demande n° ${requestId}  ·  refusée ${when}`,
  reason: 'Motif',
  askAgain: (command) => `Si quelque chose change, vous pouvez la refaire avec ${command}.`,

  settingsTitle: 'Paramètres',
  settingsSave: 'Enregistrer',
  settingsCancel: 'Annuler',
  settingsLanguage: 'Ma langue',
  settingsLanguageHint: `Gatehouse vous écrit dans cette langue${NBSP}: avis, alertes, réponses et votre onglet Accueil.`,
  settingsSaved: (language) => `Enregistré. Gatehouse vous écrit désormais en ${language}.`,
  settingsUnchanged: "Enregistré. Rien n'a changé.",
  settingsHomeStart: "L'onglet Accueil s'ouvre sur",
  settingsHomeStartHint: 'La section que vous voyez en premier chaque fois que vous ouvrez Gatehouse dans Slack.',
  homeStartLast: "Là où je l'ai laissé",
  homeStartAccess: 'Mon accès et mes demandes',
  homeStartMembers: 'Utilisateurs (les membres que je gère)',
  settingsHomeStartOnlyAdmins: "Seuls les administrateurs d'une organisation ont une section Utilisateurs.",
  settingsSavedHome: (section) => `L'onglet Accueil s'ouvre désormais sur${NBSP}: ${section}.`,
};
