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
  statusActive: 'Actif',
  statusExpired: 'Expiré',
  statusDisabled: 'Désactivé',
  statusDisconnected: 'Déconnecté',
  statusPending: 'Invitation en attente',
  changeStatus: 'Statut',
  changeYouNowHave: 'Vous avez désormais',
  changeGained: 'Ajouté',
  changeYouNoLongerHave: "Vous n'avez plus",
  changeLost: 'Retiré',
  changeStillHeld: 'Toujours détenu',
  changeStarts: 'Début',
  changeEnds: 'Fin',
  changeTags: 'Étiquettes',
  changeCaller: 'Interlocuteur autorisé',
  whenConnected: 'à la connexion',
  noEndDate: 'sans date de fin',
  noTags: 'aucune',
  notACaller: "pas d'interlocuteur autorisé",
  someone: "quelqu'un",
  memberDisconnected: (organization) =>
    `:no_entry: Votre accès à ${organization} a été déconnecté. Toutes vos autorisations y ont été retirées.`,
  memberRestoredUntil: (organization, day) => `:white_check_mark: Votre accès à ${organization} a été rétabli, jusqu'à la fin du ${day}.`,
  memberRestored: (organization) => `:white_check_mark: Votre accès à ${organization} a été rétabli, sans date de fin.`,
  memberEndsOn: (organization, day) => `:calendar: Votre accès à ${organization} prend désormais fin à la fin du ${day}.`,
  memberNoEnd: (organization) => `:calendar: Votre accès à ${organization} n'a plus de date de fin.`,
  memberCallerChanged: (organization) => `:telephone_receiver: Vos paramètres d'interlocuteur autorisé pour ${organization} ont changé.`,
  memberInvitationEdited: (organization) =>
    `:envelope: Votre invitation à ${organization} a changé${NBSP}: l'accepter vous donne désormais ce qui suit.`,
  memberEdited: (organization) => `:pencil2: Votre accès à ${organization} a changé.`,
  memberDisconnectedShort: (organization) => `Votre accès à ${organization} a été déconnecté.`,
  memberRestoredShort: (organization) => `Votre accès à ${organization} a été rétabli.`,
  memberEndDateShort: (organization) => `Votre date de fin dans ${organization} a changé.`,
  memberCallerShort: (organization) => `Vos paramètres d'interlocuteur autorisé pour ${organization} ont changé.`,
  memberInvitationShort: (organization) => `Votre invitation à ${organization} a changé.`,
  memberEditedShort: (organization) => `Votre accès à ${organization} a changé.`,
  adminChanged: (actor, subject, organization) => `${actor} a modifié l'accès de ${subject} dans ${organization}.`,
  adminDisconnected: (actor, subject, organization) => `${actor} a déconnecté ${subject} de ${organization}.`,
  adminRestored: (actor, subject, organization) => `${actor} a rétabli l'accès de ${subject} dans ${organization}.`,
  adminEndDate: (actor, subject, organization) => `${actor} a modifié la date de fin de ${subject} dans ${organization}.`,
  adminCaller: (actor, subject, organization) =>
    `${actor} a modifié les paramètres d'interlocuteur autorisé de ${subject} dans ${organization}.`,
  adminInvitation: (actor, subject, organization) => `${actor} a modifié l'invitation de ${subject} dans ${organization}.`,
  noteForTheLog: 'Note pour le journal',
  changedBy: (actor) => `Modifié par ${actor}`,
  loggedAs: (entry) => `Enregistré comme entrée n° ${entry}`,
  askToReconnect: (command) => `Pour retrouver l'accès, demandez à l'un de ses administrateurs ou utilisez ${command}.`,
  seeMembers: (command) => `Consultez les membres de l'organisation avec ${command}.`,
  anOrganization: 'une organisation',
  receiptOnItsWay: (requestId) => `:outbox_tray: *Votre demande est en route*  ·  demande n° ${requestId}`,
  receiptTitle: (requestId) => `*Votre demande*  ·  demande n° ${requestId}`,
  receiptOnItsWayShort: (organization, requestId) => `Votre demande d'accès à ${organization} est en route (demande n° ${requestId}).`,
  receiptShort: (organization, requestId, status) => `Votre demande d'accès à ${organization} (demande n° ${requestId})${NBSP}: ${status}.`,
  requestStatusPending: 'en attente de décision',
  requestStatusApproved: 'approuvée',
  requestStatusDenied: 'refusée',
  requestStatusWithdrawn: 'retirée',
  requestStatusExpired: 'expirée',
  organizationHeading: 'Organisation',
  organizationUnlisted: `absente de Gatehouse${NBSP}; telle que saisie par le demandeur`,
  organizationNotGiven: 'non indiquée',
  customerNumber: (number) => `Numéro client ${number}`,
  customerNumberNotGiven: 'Numéro client non indiqué',
  department: (department) => `Service${NBSP}: ${department}`,
  city: (city) => `Ville${NBSP}: ${city}`,
  youAskedFor: 'Vous avez demandé',
  noPermissionsNamed: 'Aucune autorisation indiquée',
  whatFor: 'Pour quoi faire',
  routedToAdmins: (organization) =>
    `Les administrateurs de ${organization} l'ont reçue. Vous recevrez un message ici dès que l'un d'eux aura décidé.`,
  routedToOperatorsNoAdmin: (organization) =>
    `${organization} n'a pas encore d'administrateur dans Gatehouse${NBSP}; les opérateurs de Gatehouse traiteront donc votre ` +
    `demande. Vous recevrez un message ici dès qu'elle sera décidée.`,
  routedToOperatorsUnlisted:
    `Votre organisation n'est pas encore dans Gatehouse${NBSP}; les opérateurs de Gatehouse rattacheront votre demande à la bonne ` +
    'organisation et la transmettront à ses administrateurs.',
  unattendedNoAdmin: (organization) =>
    `${organization} n'a pas encore d'administrateur dans Gatehouse, et personne dans Gatehouse ne peut traiter votre demande ` +
    `avant qu'il en ait un${NBSP}: demandez à la personne qui gère Gatehouse dans cet espace de travail d'ajouter un administrateur ` +
    `pour ${organization}. Votre demande attend ici d'ici là, ou jusqu'à ce que vous la retiriez.`,
  unattendedUnlisted:
    "Votre organisation n'est pas encore dans Gatehouse, et personne dans Gatehouse ne peut traiter votre demande avant qu'elle " +
    `y soit${NBSP}: demandez à la personne qui gère Gatehouse dans cet espace de travail d'ajouter votre organisation. Votre ` +
    "demande attend ici d'ici là, ou jusqu'à ce que vous la retiriez.",
  withdraw: 'Retirer',
  withdrawTitle: `Retirer cette demande${NBSP}?`,
  withdrawText: (command) => `Plus personne ne pourra l'approuver. Vous pouvez redemander à tout moment avec ${command}.`,
  keepIt: 'La garder',
  requesterApprovedBy: (by, when, command) =>
    `:white_check_mark: Approuvée par ${by} le ${when}. Voyez ce que vous avez désormais avec ${command}.`,
  requesterApproved: (command) => `:white_check_mark: Approuvée. Voyez ce que vous avez désormais avec ${command}.`,
  requesterDeniedBy: (by, when) => `:no_entry_sign: Refusée par ${by} le ${when}.`,
  requesterDenied: ':no_entry_sign: Refusée.',
  requesterWithdrewOn: (when) => `:leftwards_arrow_with_hook: Vous avez retiré cette demande le ${when}.`,
  requesterWithdrew: ':leftwards_arrow_with_hook: Vous avez retiré cette demande.',
  requesterExpired: (command) => `:hourglass: Cette demande a expiré sans réponse. Vous pouvez redemander avec ${command}.`,
  requesterWaiting: ':hourglass_flowing_sand: En attente de décision.',
};
