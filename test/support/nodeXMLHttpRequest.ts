/**
 * The part of XMLHttpRequest that dicomweb-client uses, on node:http, so that
 * the browser code path (dicomweb-client -> XMLHttpRequest) runs unchanged in
 * jest. Network failures end as in browsers: readyState 4, status 0, `onerror`.
 */
import http from 'node:http';
import https from 'node:https';

type Handler = ((event: unknown) => void) | null;

const DONE = 4;

class NodeXMLHttpRequest {
  readyState = 0;
  status = 0;
  statusText = '';
  responseType = '';
  response: unknown = '';
  responseText = '';
  timeout = 0;
  withCredentials = false;
  onreadystatechange: Handler = null;
  onload: Handler = null;
  onerror: Handler = null;
  ontimeout: Handler = null;
  onloadstart: Handler = null;
  onloadend: Handler = null;
  onprogress: Handler = null;
  upload: { onprogress: Handler } = { onprogress: null };

  private method = 'GET';
  private url = '';
  private requestHeaders: Record<string, string> = {};
  private responseHeaders: http.IncomingHttpHeaders = {};
  private request: http.ClientRequest | undefined;
  private finished = false;

  open(method: string, url: string): void {
    this.method = method.toUpperCase();
    this.url = url;
    this.readyState = 1;
  }

  setRequestHeader(name: string, value: string): void {
    this.requestHeaders[name] = value;
  }

  getResponseHeader(name: string): string | null {
    const value = this.responseHeaders[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  getAllResponseHeaders(): string {
    return Object.entries(this.responseHeaders)
      .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}\r\n`)
      .join('');
  }

  abort(): void {
    this.request?.destroy();
  }

  send(body?: ArrayBuffer | ArrayBufferView | string | null): void {
    const payload =
      body === undefined || body === null
        ? undefined
        : typeof body === 'string'
          ? Buffer.from(body)
          : body instanceof ArrayBuffer
            ? Buffer.from(body)
            : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const target = new URL(this.url);
    const transport = target.protocol === 'https:' ? https : http;
    const headers = {
      ...this.requestHeaders,
      ...(payload ? { 'Content-Length': String(payload.length) } : {}),
    };
    this.onloadstart?.({});
    const request = transport.request(target, { method: this.method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', () => this.fail('error'));
      response.on('aborted', () => this.fail('error'));
      response.on('end', () => this.succeed(response, Buffer.concat(chunks)));
    });
    this.request = request;
    request.on('error', () => this.fail('error'));
    if (this.timeout > 0) {
      request.setTimeout(this.timeout, () => {
        this.fail('timeout');
        request.destroy();
      });
    }
    request.end(payload);
  }

  private succeed(response: http.IncomingMessage, bytes: Buffer): void {
    if (this.finished) return;
    this.finished = true;
    this.status = response.statusCode ?? 0;
    this.statusText = response.statusMessage ?? '';
    this.responseHeaders = response.headers;
    this.responseText = bytes.toString('utf8');
    if (this.responseType === 'arraybuffer') {
      this.response = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    } else if (this.responseType === 'json') {
      try {
        this.response = JSON.parse(this.responseText) as unknown;
      } catch {
        this.response = null;
      }
    } else {
      this.response = this.responseText;
    }
    this.readyState = DONE;
    this.onreadystatechange?.({});
    this.onload?.({});
    this.onloadend?.({});
  }

  private fail(kind: 'error' | 'timeout'): void {
    if (this.finished) return;
    this.finished = true;
    this.status = 0;
    this.readyState = DONE;
    this.onreadystatechange?.({});
    (kind === 'timeout' ? this.ontimeout : this.onerror)?.({});
    this.onloadend?.({});
  }
}

/** A fresh request object, typed as the DOM one that the core expects. */
export function createNodeXMLHttpRequest(): XMLHttpRequest {
  return new NodeXMLHttpRequest() as unknown as XMLHttpRequest;
}
