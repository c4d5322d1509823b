/** Gatehouse's words in Spanish, addressing the reader as usted, as the invitations do. */
import type { Catalog } from './catalog-en.js';

export const es: Catalog = {
  locale: 'es',
  slackDateTime: '{date_short} a las {time}',
  slackLongDateTime: '{date_long} a las {time}',
  firstOfMonth: '1',
  endOfDay: (day) => `${day}, al final del día`,
  itsEndDate: 'su fecha de fin',
  none: 'Ninguno',
  today: 'hoy',
  tomorrow: 'mañana',
  inDays: (days) => `dentro de ${days} días`,

  expiryWarning: (organization, when, day) => `Su acceso a *${organization}* termina ${when}, al final del ${day}.`,
  expiryWarningShort: (organization, when) => `Su acceso a ${organization} termina ${when}.`,
  expiryWarningHelp:
    'Si aún lo necesita, pida a uno de sus administradores que lo amplíe. Después de esa fecha aparecerá como desconectado.',
  accessExpired: (organization, day, until) =>
    `Su acceso a *${organization}* terminó el ${day}. Un administrador puede restablecerlo hasta ${until}; después se le ` +
    `retirará de la organización.`,
  thirtyDaysAfter: '30 días después',
  accessRemoved: (organization, day) =>
    `Se le ha retirado de *${organization}*: su acceso terminó el ${day} y no se restableció en 30 días.`,
  seeWhatYouHold: (command) => `Consulte a qué sigue teniendo acceso con ${command}.`,

  requestExpired: (organization, requestId, made, command) =>
    `Su solicitud de acceso a *${organization}* (solicitud n.º ${requestId}), hecha ${made}, caducó sin una decisión. Puede ` +
    `volver a pedirlo con ${command}.`,
  yourOrganization: 'su organización',

  approvedHeadline: (by, organization) => `*Ya tiene acceso.* ${by} aprobó su solicitud de acceso a *${organization}*.`,
  approvedShort: (organization, by) => `${by} aprobó su solicitud de acceso a ${organization}.`,
  approvedOn: (requestId, when) => `Solicitud n.º ${requestId}  ·  aprobada ${when}`,
  whatYouCanDo: 'Lo que puede hacer ahora',
  addedByAdministrator: 'añadido por su administrador',
  askedNotGranted: 'Solicitado pero no concedido',
  accessEnds: (when) => `Su acceso termina ${when}.`,
  noteFrom: (by) => `Nota de ${by}`,
  seeEverything: (command) => `Consulte todo lo que tiene con ${command}.`,
  deniedHeadline: (organization, by) => `${by} denegó su solicitud de acceso a *${organization}*.`,
  deniedShort: (organization, by) => `${by} denegó su solicitud de acceso a ${organization}.`,
  deniedOn: (requestId, when) => `Solicitud n.º ${requestId}  ·  denegada ${when}`,
  reason: 'Motivo',
  askAgain: (command) => `Si algo cambia, puede volver a pedirlo con ${command}.`,

  settingsTitle: 'Configuración',
  settingsSave: 'Guardar',
  settingsCancel: 'Cancelar',
  settingsLanguage: 'Mi idioma',
  settingsLanguageHint: 'Gatehouse le escribe en este idioma: avisos, advertencias, respuestas y su pestaña Inicio.',
  settingsSaved: (language) => `Guardado. Gatehouse le escribe ahora en ${language}.`,
  settingsUnchanged: 'Guardado. No ha cambiado nada.',
  settingsHomeStart: 'Inicio se abre en',
  settingsHomeStartHint: 'La sección que ve primero cada vez que abre Gatehouse en Slack.',
  homeStartLast: 'Donde lo dejé',
  homeStartAccess: 'Mi acceso y mis solicitudes',
  homeStartMembers: 'Usuarios (los miembros que administro)',
  settingsHomeStartOnlyAdmins: 'Solo los administradores de una organización tienen una sección de usuarios.',
  settingsSavedHome: (section) => `Inicio se abre ahora en: ${section}.`,
};
