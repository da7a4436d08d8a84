// The SMPP client against the in-process SMS centre over loopback: binding, UCS-2 Chinese, long text, refusal, reconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { openSmsChannel } from './channel.ts';
import { LocalSmsc, SmppSender, SmsError } from './index.ts';

describe('SMPP sender and local SMS centre', () => {
  let smsc: LocalSmsc;
  let sender: SmppSender;

  beforeAll(async () => {
    smsc = await LocalSmsc.start({ systemId: 'govcloud', password: 'secret1' });
    sender = new SmppSender({ host: '127.0.0.1', port: smsc.port, systemId: 'govcloud', password: 'secret1', sourceAddr: '106900001234', timeoutMs: 3_000 });
  });
  afterAll(async () => {
    await sender.close();
    await smsc.close();
  });

  it('delivers Chinese text as UCS-2 (data_coding 8) with the source address', async () => {
    const arriving = smsc.next('13800138000');
    const { messageId } = await sender.send('13800138000', '【政务云】您的验证码是 123456，5 分钟内有效。');
    const received = await arriving;
    expect(received.text).toBe('【政务云】您的验证码是 123456，5 分钟内有效。');
    expect(received.from).toBe('106900001234');
    expect(received.messageId).toBe(messageId);
    expect(smsc.received('13800138000').at(-1)?.text).toBe(received.text);
  });

  it('sends text longer than one segment in message_payload', async () => {
    const text = '政务云'.repeat(40);
    await sender.send('13800138001', text);
    expect(smsc.received('13800138001').at(-1)?.text).toBe(text);
  });

  it('keeps working after the SMS centre drops the link', async () => {
    await sender.send('13800138002', '第一条');
    smsc.dropConnections();
    await new Promise((r) => setTimeout(r, 50));
    await sender.send('13800138002', '第二条');
    expect(smsc.received('13800138002').map((m) => m.text)).toEqual(['第一条', '第二条']);
  });

  it('sends 100 messages concurrently over one bind', async () => {
    const numbers = Array.from({ length: 100 }, (_, i) => `1390000${String(i).padStart(4, '0')}`);
    const ids = await Promise.all(numbers.map((n) => sender.send(n, `消息 ${n}`)));
    expect(new Set(ids.map((r) => r.messageId)).size).toBe(100);
    for (const n of numbers) expect(smsc.received(n).map((m) => m.text)).toEqual([`消息 ${n}`]);
  });

  it('reports a refused bind and an invalid number as SmsError codes', async () => {
    const wrong = new SmppSender({ host: '127.0.0.1', port: smsc.port, systemId: 'govcloud', password: 'wrong', sourceAddr: '1069', timeoutMs: 2_000 });
    await expect(wrong.send('13800138003', 'x')).rejects.toMatchObject({ code: 'sms.bind_refused' });
    await wrong.close();
    await expect(sender.send('not-a-number', 'x')).rejects.toMatchObject({ code: 'sms.rejected' });
    expect(smsc.received('13800138003')).toEqual([]);
  });

  it('reports an unreachable SMS centre', async () => {
    const other = await LocalSmsc.start();
    const port = other.port;
    await other.close();
    const nowhere = new SmppSender({ host: '127.0.0.1', port, systemId: 'x', password: 'y', sourceAddr: '1069', timeoutMs: 2_000 });
    const error = await nowhere.send('13800138004', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsError);
    expect((error as SmsError).code).toBe('sms.unreachable');
  });
});

describe('the server SMS channel', () => {
  it('starts a local SMS centre when no carrier is configured, and reports what it receives', async () => {
    const seen: string[] = [];
    const channel = await openSmsChannel(undefined, (m) => seen.push(`${m.to} ${m.text}`));
    try {
      expect(channel.local).not.toBeNull();
      await channel.sender.send('13800138009', '【政务云】登录验证码 123456');
      expect(seen).toEqual(['13800138009 【政务云】登录验证码 123456']);
      expect(channel.local!.received('13800138009')).toHaveLength(1);
    } finally {
      await channel.close();
    }
  });

  it('uses the configured carrier instead', async () => {
    const carrier = await LocalSmsc.start({ systemId: 'hamigov', password: 'pw' });
    const channel = await openSmsChannel({ host: '127.0.0.1', port: carrier.port, systemId: 'hamigov', password: 'pw', sourceAddr: '1069012345' });
    try {
      expect(channel.local).toBeNull();
      await channel.sender.send('13800138010', '你好');
      expect(carrier.received('13800138010')[0]).toMatchObject({ from: '1069012345', text: '你好' });
    } finally {
      await channel.close();
      await carrier.close();
    }
  });
});

describe('SMPP sender against an SMS centre that probes and unbinds', () => {
  it('answers enquire_link, honours an unbind from the centre and binds again for the next message', async () => {
    const events: string[] = [];
    const server = smpp.createServer((session) => {
      session.on('bind_transmitter', (pdu: smpp.PDU) => {
        events.push('bind');
        session.send(pdu.response());
        session.enquire_link({}, (resp) => events.push(`enquire_link_resp ${resp.command_status}`));
      });
      session.on('submit_sm', (pdu: smpp.PDU) => {
        events.push('submit');
        session.send(pdu.response({ message_id: 'X1' }));
        session.unbind({}, () => events.push('unbind_resp'));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const sender = new SmppSender({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, systemId: 'a', password: 'b', sourceAddr: '1069', timeoutMs: 2_000 });
    try {
      await sender.send('13800138011', '一');
      await expect.poll(() => events.includes('unbind_resp')).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      await sender.send('13800138011', '二');
      expect(events.filter((e) => e === 'bind')).toHaveLength(2);
      expect(events).toContain('enquire_link_resp 0');
    } finally {
      await sender.close();
      for (const s of [...server.sessions]) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
