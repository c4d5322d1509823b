// The demo's HTTP API (src/demo/protocol.ts), as the page calls it.
import type {
  DemoActionRequest,
  DemoClockAnswer,
  DemoCloseRequest,
  DemoCommandRequest,
  DemoHomeOpenedRequest,
  DemoLogRow,
  DemoOk,
  DemoOutboxRow,
  DemoSnapshot,
  DemoSubmitAnswer,
  DemoSubmitRequest,
  DemoSuggestAnswer,
  DemoSuggestRequest,
} from '../protocol.js';

async function answerOf<T>(response: Response): Promise<T> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error(`The demo answered ${response.status} without JSON.`);
  }
  if (typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === false) {
    throw new Error(String((body as { error?: unknown }).error ?? `Request failed (${response.status})`));
  }
  if (!response.ok) throw new Error(`Request failed (${response.status})`);
  return body as T;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  return answerOf<T>(await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}

/** Rows of a list endpoint, whether it answers a bare array or `{ ok, rows }`. */
function rowsOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (typeof body === 'object' && body !== null) {
    const array = Object.values(body).find(Array.isArray);
    if (array) return array as T[];
  }
  return [];
}

export const api = {
  snapshot: async (as: string) => answerOf<DemoSnapshot>(await fetch(`/api/snapshot?as=${encodeURIComponent(as)}`)),
  command: (body: DemoCommandRequest) => post<DemoOk>('/api/command', body),
  action: (body: DemoActionRequest) => post<{ ok: true }>('/api/action', body),
  suggest: (body: DemoSuggestRequest) => post<DemoSuggestAnswer>('/api/suggest', body),
  submit: (body: DemoSubmitRequest) => post<DemoSubmitAnswer>('/api/submit', body),
  close: (body: DemoCloseRequest) => post<{ ok: true }>('/api/close', body),
  homeOpened: (body: DemoHomeOpenedRequest) => post<{ ok: true }>('/api/home-opened', body),
  clock: (days: number) => post<DemoClockAnswer>('/api/clock', { days }),
  outbox: async () => rowsOf<DemoOutboxRow>(await answerOf<unknown>(await fetch('/api/outbox'))),
  log: async () => rowsOf<DemoLogRow>(await answerOf<unknown>(await fetch('/api/log'))),
};

/** Calls `onVersion` with each change event's version; EventSource reconnects by itself. */
export function listenForChanges(onVersion: (version: number) => void): EventSource {
  const source = new EventSource('/api/events');
  source.addEventListener('change', (event) => {
    try {
      const data = JSON.parse((event as MessageEvent<string>).data) as { version?: unknown };
      if (typeof data.version === 'number') onVersion(data.version);
    } catch {
      // A malformed event is ignored; the next one carries the latest version anyway.
    }
  });
  return source;
}
