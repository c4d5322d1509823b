import http from 'node:http';
import https from 'node:https';
import type { FetchFunction } from '@slack/web-api';

// The package exports only the function's type; its parts follow from it.
type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchHeaders = FetchResponse['headers'];

/** A Web API call that gets no answer for this long is abandoned, so nothing waits on it forever. */
const IDLE_SOCKET_LIMIT_MS = 30_000;
/** Matches the WebClient's own default limit on calls in flight. */
const MAX_SOCKETS = 100;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
};

class NodeResponseHeaders implements FetchHeaders {
  constructor(private readonly headers: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  *entries(): Iterable<[string, string]> {
    for (const name of Object.keys(this.headers)) yield [name, this.get(name)!];
  }
}

class BufferedResponse implements FetchResponse {
  readonly ok: boolean;
  readonly headers: FetchHeaders;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    headers: http.IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new NodeResponseHeaders(headers);
  }

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.body).buffer;
  }
}

function send(url: URL, init: FetchRequestInit, body: string | undefined): Promise<FetchResponse> {
  const protocol = url.protocol === 'https:' ? 'https:' : url.protocol === 'http:' ? 'http:' : null;
  if (!protocol) return Promise.reject(new TypeError(`Slack's Web API is reached over HTTP(S), not ${url.protocol}`));
  const { signal } = init;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const headers: Record<string, string | number> = { ...init.headers };
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  return new Promise<FetchResponse>((resolve, reject) => {
    const request = (protocol === 'https:' ? https : http).request(url, {
      method: init.method ?? 'GET',
      headers,
      agent: agents[protocol],
    });
    const abort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('The Web API call was aborted.'));
    signal?.addEventListener('abort', abort, { once: true });
    request.setTimeout(IDLE_SOCKET_LIMIT_MS, () =>
      request.destroy(new Error(`Slack did not answer ${url.pathname} within ${IDLE_SOCKET_LIMIT_MS / 1000} s.`)),
    );
    request.on('error', (error) => {
      signal?.removeEventListener('abort', abort);
      reject(error);
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location && init.redirect !== 'manual') {
        // The WebClient asks for redirects to fail: a Web API method never legitimately redirects.
        response.resume();
        request.destroy(new TypeError(`${url.pathname} answered with a redirect to ${response.headers.location}.`));
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => {
        signal?.removeEventListener('abort', abort);
        reject(error);
      });
      response.on('end', () => {
        signal?.removeEventListener('abort', abort);
        resolve(new BufferedResponse(url.href, status, response.statusMessage ?? '', response.headers, Buffer.concat(chunks)));
      });
    });
    request.end(body);
  });
}

/**
 * The WebClient's transport: Node's own HTTP client over kept-alive connections, answering with a
 * fully read body. The built-in fetch it replaces spends about a millisecond of CPU per call on web
 * streams, which on a busy replica is time taken from acknowledging Slack. Multipart bodies (file
 * uploads, which Gatehouse does not make) still go through the built-in fetch.
 */
export const webApiTransport: FetchFunction = (input, init = {}) => {
  if (init.body !== undefined && typeof init.body !== 'string') {
    return globalThis.fetch(input, init as RequestInit) as Promise<FetchResponse>;
  }
  return send(typeof input === 'string' ? new URL(input) : input, init, init.body);
};
