/** What one person sees of the emulated Slack, in the shape of src/demo/protocol.ts. */
import type { EmulatedView, SlackEmulator } from '../sandbox/slack-emulator.js';
import type { DemoClock } from './demo.js';
import type { DemoConversation, DemoFile, DemoMessage, DemoPerson, DemoSnapshot, DemoView } from './protocol.js';
import { DEMO_CHANNELS, DEMO_PEOPLE, demoPerson } from './seed.js';

export function demoPeople(): DemoPerson[] {
  return DEMO_PEOPLE.map(({ id, name, realName, role, tz }) => ({ id, name, realName, role, tz }));
}

/** The viewer's DM with Gatehouse first, then the demo channels they are in. */
export function conversationsOf(emulator: SlackEmulator, viewerId: string): DemoConversation[] {
  const channels = Object.values(DEMO_CHANNELS).filter((channel) => demoPerson(viewerId)?.channels.includes(channel.id));
  return [
    { id: emulator.dmChannelFor(viewerId), kind: 'im', name: 'Gatehouse', purpose: 'Your direct messages with Gatehouse.' },
    ...channels.map(({ id, kind, name, purpose }) => ({ id, kind, name, purpose })),
  ];
}

function viewOf(emulator: SlackEmulator, view: EmulatedView): DemoView {
  return { id: view.id, type: view.type, definition: view.definition, errors: emulator.viewErrors(view.id) };
}

/** A shared file as the page shows it; anything not shaped like one is left out. */
function demoFile(file: unknown): DemoFile[] {
  const { name, title, size, url_private_download: url } = (file ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string' || typeof url !== 'string') return [];
  return [{ name, title: typeof title === 'string' ? title : name, size: typeof size === 'number' ? size : 0, url }];
}

function messagesFor(emulator: SlackEmulator, viewerId: string, channel: string): DemoMessage[] {
  const authorName = (userId: string) => (userId === emulator.botUserId ? 'Gatehouse' : (emulator.getUser(userId)?.realName ?? userId));
  const posted: DemoMessage[] = emulator.messagesIn(channel).map((message) => ({
    channel,
    ts: message.ts,
    user: message.user,
    authorName: authorName(message.user),
    text: message.text,
    ...(Array.isArray(message.blocks) ? { blocks: message.blocks as unknown[] } : {}),
    edited: message.edited !== undefined,
    ephemeral: false,
    ...(Array.isArray(message.files) ? { files: message.files.flatMap(demoFile) } : {}),
  }));
  const ephemeral: DemoMessage[] = emulator.ephemeralsFor(viewerId, channel).map((message) => ({
    channel,
    ts: message.ts,
    user: emulator.botUserId,
    authorName: 'Gatehouse',
    text: message.text,
    ...(Array.isArray(message.blocks) ? { blocks: message.blocks as unknown[] } : {}),
    edited: message.edited === true,
    ephemeral: true,
  }));
  return [...posted, ...ephemeral].sort((a, b) => Number(a.ts) - Number(b.ts));
}

export function snapshotFor(emulator: SlackEmulator, clock: DemoClock, viewerId: string, version: number): DemoSnapshot {
  const people = demoPeople();
  const me = people.find((candidate) => candidate.id === viewerId);
  if (!me) throw new Error(`${viewerId} is not one of the demo's people`);
  const home = emulator.homeView(viewerId);
  const userNames: Record<string, string> = {};
  for (const user of emulator.state.users.values()) userNames[user.id] = user.isBot ? 'Gatehouse' : user.realName;
  const channelNames: Record<string, string> = {};
  for (const channel of emulator.state.channels.values()) if (channel.kind === 'channel') channelNames[channel.id] = channel.name;
  return {
    version,
    me,
    people,
    conversations: conversationsOf(emulator, viewerId).map((conversation) => ({
      conversation,
      messages: messagesFor(emulator, viewerId, conversation.id),
    })),
    home: home ? viewOf(emulator, home) : null,
    modals: emulator.modalStackOf(viewerId).map((view) => viewOf(emulator, view)),
    clock: clock.state(),
    bot: { userId: emulator.botUserId, name: 'Gatehouse' },
    userNames,
    channelNames,
  };
}
