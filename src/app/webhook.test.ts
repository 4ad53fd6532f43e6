import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, type WebhookPayload } from './webhook.js';

/** Two servers on 127.0.0.1: one redirects every POST to the other, which records what reaches it. */
const received: string[] = [];
const elsewhere = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    received.push(body);
    res.writeHead(200).end();
  });
});
let elsewhereUrl = '';
const redirector = createServer((req, res) => {
  req.resume();
  res.writeHead(Number(req.url?.slice(1)) || 307, { location: `${elsewhereUrl}/stolen` }).end();
});
let redirectorUrl = '';

beforeAll(async () => {
  for (const server of [elsewhere, redirector])
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const server of [elsewhere, redirector]) await new Promise((resolve) => server.close(resolve));
});

const payload: WebhookPayload = {
  id: 'd1',
  type: 'notification',
  compoundId: 'c1',
  attempt: 1,
  sentAt: 0,
  recipient: { userId: 'r1', name: '张三', phone: '13800000000' },
  notification: { id: 'n1', kind: 'car.ready', title: 't', body: 'b', ref: null, createdAt: 0 },
};

describe('postWebhook', () => {
  it('does not follow a redirect with the signed body: a 3xx is a failed delivery', async () => {
    for (const status of [301, 302, 307, 308]) {
      await expect(
        postWebhook({ url: `${redirectorUrl}/${status}`, secret: 'x'.repeat(16), allowHttp: true }, payload),
      ).rejects.toThrow(`answered ${status}`);
    }
    expect(received).toEqual([]);
    // The other server does receive a delivery sent to it directly.
    await postWebhook({ url: elsewhereUrl, secret: 'x'.repeat(16), allowHttp: true }, payload);
    expect(received).toHaveLength(1);
  });

  it('sends to an http URL only when allowed', async () => {
    await expect(postWebhook({ url: elsewhereUrl, secret: 'x'.repeat(16) }, payload)).rejects.toThrow(
      'must be an https URL',
    );
    await expect(
      postWebhook({ url: 'ftp://127.0.0.1/', secret: 'x'.repeat(16), allowHttp: true }, payload),
    ).rejects.toThrow('https');
  });
});
