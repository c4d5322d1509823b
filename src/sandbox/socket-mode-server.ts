import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SlackEmulator } from './slack-emulator.js';

/** What the app answered to an envelope: the `payload` of its ack, if it sent one. */
export interface SocketModeAck {
  envelopeId: string;
  payload?: Record<string, unknown>;
}

export interface SocketModeServer {
  /** Resolves once an app has connected and been greeted. */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends a slash command the way Slack does over Socket Mode and waits for the app's ack. */
  slashCommand(payload: Record<string, string>, timeoutMs?: number): Promise<SocketModeAck>;
  close(): Promise<void>;
}

/**
 * Slack's side of Socket Mode: `apps.connections.open` on the emulator hands out a WebSocket URL
 * here; the server greets the app with `hello` and delivers envelopes that the app must ack.
 */
export async function startSocketModeServer(emulator: SlackEmulator): Promise<SocketModeServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const pendingAcks = new Map<string, (ack: SocketModeAck) => void>();
  let socket: WebSocket | undefined;
  let greeted: () => void = () => undefined;
  const greeting = new Promise<void>((resolve) => {
    greeted = resolve;
  });

  emulator.setHandler('apps.connections.open', () => ({ ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}` }));

  server.on('connection', (connection) => {
    socket = connection;
    connection.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (!message.envelope_id) return;
      pendingAcks.get(message.envelope_id)?.({ envelopeId: message.envelope_id, payload: message.payload });
      pendingAcks.delete(message.envelope_id);
    });
    connection.send(
      JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0GATEHOUSE' }, debug_info: { host: 'sandbox' } }),
    );
    greeted();
  });

  const withTimeout = <T>(promise: Promise<T>, timeoutMs: number, what: string) =>
    Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);

  return {
    connected: (timeoutMs = 5000) => withTimeout(greeting, timeoutMs, 'no Socket Mode connection'),
    slashCommand(payload, timeoutMs = 3000) {
      if (!socket) throw new Error('no app is connected over Socket Mode');
      const envelopeId = randomUUID();
      const acked = new Promise<SocketModeAck>((resolve) => pendingAcks.set(envelopeId, resolve));
      socket.send(JSON.stringify({ envelope_id: envelopeId, type: 'slash_commands', accepts_response_payload: true, payload }));
      return withTimeout(acked, timeoutMs, 'the app did not ack the envelope');
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
