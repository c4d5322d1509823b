import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { SLASH_COMMAND } from '../../src/slack/commands.js';

/** Slack's published manifest schema and Web API spec, copied into the repo (see SOURCES.md there). */
const SLACK_FIXTURES = path.join(PROJECT_ROOT, 'test/fixtures/slack');
const manifest = parse(readFileSync(path.join(PROJECT_ROOT, 'manifests/gatehouse.yaml'), 'utf8')) as {
  features: {
    slash_commands: Array<{ command: string }>;
    app_home: { home_tab_enabled: boolean; messages_tab_enabled?: boolean; messages_tab_read_only_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean; message_menu_options_url?: string };
  };
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' || entry.name === 'sandbox' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The app's own code: what it calls and listens to is what the manifest must ask for. */
const appSource = sourceFiles(path.join(PROJECT_ROOT, 'src'))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

function webApiMethodsUsed(): string[] {
  const viaClient = [...appSource.matchAll(/\bclient\.([a-z]+)\.([a-zA-Z]+)\(/g)].map((match) => `${match[1]}.${match[2]}`);
  const byName = [...appSource.matchAll(/['"`]((?:chat|views|users|conversations|files|auth)\.[a-zA-Z]+)['"`]/g)].map(
    (match) => match[1] as string,
  );
  return [...new Set([...viaClient, ...byName])].sort();
}

/** Slack's OpenAPI spec predates granular bot scopes; these are their current names. */
const CURRENT_SCOPE_NAME: Record<string, string> = { 'chat:write:bot': 'chat:write', 'chat:write:user': 'chat:write' };

/**
 * Methods newer than that spec, with the scopes Slack's method pages give them: the upload
 * methods behind files.uploadV2 (docs.slack.dev/reference/methods/files.getUploadURLExternal).
 */
const SCOPES_OF_NEWER_METHODS: Record<string, string[]> = {
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};

function scopesAcceptedFor(method: string): string[] {
  const newer = SCOPES_OF_NEWER_METHODS[method];
  if (newer) return newer;
  const spec = JSON.parse(readFileSync(path.join(SLACK_FIXTURES, 'web-api.openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, { security?: Array<{ slackAuth?: string[] }> }>>;
  };
  const operations = Object.values(spec.paths[`/${method}`] ?? {});
  if (operations.length === 0) throw new Error(`${method} is not in Slack's Web API spec`);
  return operations.flatMap((operation) =>
    (operation.security ?? []).flatMap((entry) => (entry.slackAuth ?? []).map((scope) => CURRENT_SCOPE_NAME[scope] ?? scope)),
  );
}

describe('the Slack app manifest', () => {
  it("is valid against Slack's official manifest schema", () => {
    const schema = JSON.parse(readFileSync(path.join(SLACK_FIXTURES, 'manifest.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('asks for exactly the bot scopes the Web API methods the app calls need', () => {
    const needed = new Set<string>(['commands']);
    for (const method of webApiMethodsUsed()) {
      const accepted = scopesAcceptedFor(method).filter((scope) => scope !== 'none');
      if (accepted.length === 0) continue;
      const granted = accepted.filter((scope) => manifest.oauth_config.scopes.bot.includes(scope));
      expect(granted, `${method} needs one of ${accepted.join(', ')}`).not.toHaveLength(0);
      granted.forEach((scope) => needed.add(scope));
    }
    // Profiles carry an email only with users:read.email, which Slack grants only alongside users:read.
    if (/profile\??\.email/.test(appSource)) needed.add('users:read.email');
    if (needed.has('users:read.email')) needed.add('users:read');
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('declares the slash command, events and interactivity the app listens to', () => {
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual([SLASH_COMMAND]);
    const eventsHandled = [...appSource.matchAll(/app\.event\(\s*'([a-z_]+)'/g)].map((match) => match[1]).sort();
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(eventsHandled);
    expect(manifest.features.app_home.home_tab_enabled).toBe(eventsHandled.includes('app_home_opened'));
    // Listeners register on Bolt directly or through the router, with or without type arguments.
    const interactive = /\b(app|router)\.(action|view|viewClosed|shortcut|options)(<[^>]*>)?\(/.test(appSource);
    expect(manifest.settings.interactivity.is_enabled).toBe(interactive);
    expect(Boolean(manifest.settings.interactivity.message_menu_options_url)).toBe(/\brouter\.options\(/.test(appSource));
  });

  it("shows people the DMs Gatehouse sends them, read-only, in the App Home's Messages tab", () => {
    // Receipts, outcomes, warnings and invitations go to a person's DM with the app (a user id as
    // the channel); with the Messages tab off, Slack hides that conversation from them.
    expect(appSource).toMatch(/kind: 'request\.receipt'/);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    // Nothing listens to messages people type there, so the tab offers no message box.
    const listensToMessages = /app\.(message|event\(\s*'message)/.test(appSource);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(!listensToMessages);
  });
});
