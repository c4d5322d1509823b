import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/paths.js';

type Manifest = Record<string, unknown>;

function readManifest(name: string): Manifest {
  return parse(readFileSync(path.join(PROJECT_ROOT, 'manifests', name), 'utf8')) as Manifest;
}

const httpManifest = readManifest('gatehouse.yaml');
const socketManifest = readManifest('gatehouse.socket.yaml');

/** The fields that name where Slack sends requests over HTTP; Socket Mode sends them on the socket instead. */
const URL_FIELDS = new Set(['url', 'request_url', 'message_menu_options_url', 'redirect_urls']);

/** The manifest without its URL fields and without the switch between HTTP and Socket Mode. */
function withoutTransport(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTransport);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !URL_FIELDS.has(key) && key !== 'socket_mode_enabled')
      .map(([key, field]) => [key, withoutTransport(field)]),
  );
}

/** Every URL-valued field, by its path in the manifest. */
function urlFields(value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, field]) => {
    const where = at === '' ? key : `${at}.${key}`;
    return URL_FIELDS.has(key) ? [where] : urlFields(field, where);
  });
}

describe('the Socket Mode manifest', () => {
  it("is valid against Slack's official manifest schema", () => {
    const schema = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/slack/manifest.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    expect(validate(socketManifest), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('turns Socket Mode on and names no URL for Slack to call, where the HTTP manifest names them', () => {
    expect(socketManifest).toMatchObject({ settings: { socket_mode_enabled: true } });
    expect(httpManifest).toMatchObject({ settings: { socket_mode_enabled: false } });
    expect(urlFields(socketManifest)).toEqual([]);
    expect(urlFields(httpManifest)).toEqual(
      expect.arrayContaining([
        'features.slash_commands.0.url',
        'settings.event_subscriptions.request_url',
        'settings.interactivity.request_url',
      ]),
    );
  });

  it('is the same app as the HTTP manifest: scopes, commands, events, shortcuts and features', () => {
    // Whatever is added to one manifest (a scope, an event, a shortcut) must be added to the other.
    expect(withoutTransport(socketManifest)).toEqual(withoutTransport(httpManifest));
  });
});
