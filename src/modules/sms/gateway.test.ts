// The SMPP gateway against the in-process SMS centre over loopback: concatenated UCS-2 segments, receipts, the
// window, throttling and the idempotency key.
import { afterEach, describe, expect, it } from 'vitest';
import smpp from 'smpp';
import { LocalSmsc, type LocalSmscOptions } from './local-smsc.ts';
import { SmppGateway, type SmppGatewaySettings } from './smpp-gateway.ts';
import { segmentText } from './segments.ts';
import type { Receipt } from './gateway.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(smscOptions: LocalSmscOptions = {}, gatewayOptions: Partial<SmppGatewaySettings> = {}) {
  const smsc = await LocalSmsc.start({ systemId: 'gc', password: 'pw', ...smscOptions });
  const gateway = new SmppGateway({ host: '127.0.0.1', port: smsc.port, systemId: 'gc', password: 'pw', sourceAddr: '10690001', timeoutMs: 2_000, backoffMs: 20, ...gatewayOptions });
  open.push(smsc, gateway);
  const receipts: Receipt[] = [];
  gateway.listen({ receipts: async (r) => void receipts.push(...r), inbound: async () => undefined });
  return { smsc, gateway, receipts };
}

const sendAll = (gateway: SmppGateway, to: string, text: string, id: string) =>
  Promise.all(segmentText(text, 7).map((segment) => gateway.submit({ to, segment, ref: `${id}:${segment.seq}` })));

describe('SMPP gateway', () => {
  it('sends a long Chinese text as 67-character UCS-2 segments with a UDH, reassembled by the centre, one receipt each', async () => {
    const { smsc, gateway, receipts } = await setup();
    const text = '【政务云】'.concat('您的申请材料已受理，请留意后续通知。'.repeat(9)); // 167 characters: 3 segments
    const results = await sendAll(gateway, '13800000001', text, 'm1');
    expect(results).toHaveLength(3);
    const [received] = smsc.received('13800000001');
    expect(received).toMatchObject({ text, segments: 3, from: '10690001' });
    await expect.poll(() => receipts.length).toBe(3);
    expect(receipts.map((r) => r.smscId).sort()).toEqual(results.map((r) => r.smscId).sort());
    expect(receipts.every((r) => r.delivered)).toBe(true);
    await expect.poll(() => smsc.pendingReceipts).toBe(0); // acknowledged once stored
  });

  it('reports an undeliverable number in its receipt', async () => {
    const { gateway, receipts } = await setup({ receiptFor: (to) => (to.endsWith('99') ? 'UNDELIV' : 'DELIVRD') });
    await sendAll(gateway, '13800000099', '短', 'm2');
    await expect.poll(() => receipts.length).toBe(1);
    expect(receipts[0]).toMatchObject({ delivered: false, error: 'UNDELIV' });
  });

  it('keeps no more than the window in flight', async () => {
    const { smsc, gateway } = await setup({ responseDelayMs: 20 }, { window: 4 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => sendAll(gateway, `1390000${String(i).padStart(4, '0')}`, `消息${i}`, `w${i}`)));
    expect(smsc.stats.accepted).toBe(40);
    expect(smsc.stats.maxInFlight).toBe(4);
  });

  it('holds to the configured rate', async () => {
    const { gateway } = await setup({}, { ratePerSecond: 100, window: 2 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 30 }, (_, i) => sendAll(gateway, '13700000000', `r${i}`, `r${i}`)));
    // 2 at once, then 28 at 10 ms apart
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('retries "throttled" and "queue full" with backoff, and fails at once on a permanent refusal', async () => {
    const { smsc, gateway } = await setup();
    smsc.refuseNext(2, smpp.ESME_RTHROTTLED);
    smsc.refuseNext(1, smpp.ESME_RMSGQFUL);
    await sendAll(gateway, '13800000002', '重试', 'm3');
    expect(smsc.stats).toMatchObject({ submits: 4, accepted: 1 });
    smsc.refuseNext(1, smpp.ESME_RINVDSTADR);
    await expect(sendAll(gateway, '13800000002', '拒绝', 'm4')).rejects.toMatchObject({ code: 'sms.rejected', temporary: false });
    smsc.refuseNext(5, smpp.ESME_RTHROTTLED);
    await expect(sendAll(gateway, '13800000002', '放弃', 'm5')).rejects.toMatchObject({ code: 'sms.throttled', temporary: true });
  });

  it('binds again after the centre drops the link and still gets the receipts of what it sent before', async () => {
    const { smsc, gateway, receipts } = await setup();
    await sendAll(gateway, '13800000003', '一', 'm6');
    smsc.dropConnections();
    await sendAll(gateway, '13800000003', '二', 'm7');
    expect(smsc.received('13800000003').map((m) => m.text)).toEqual(['一', '二']);
    // at least once: a receipt stored but not acknowledged before the drop comes again
    await expect.poll(() => new Set(receipts.map((r) => r.smscId)).size).toBe(2);
  });

  it('sends a segment whose key the centre has seen once only, answering with the first id', async () => {
    const { smsc, gateway } = await setup();
    const [first] = await sendAll(gateway, '13800000004', '一次', 'same');
    const [again] = await sendAll(gateway, '13800000004', '一次', 'same');
    expect(again!.smscId).toBe(first!.smscId);
    expect(smsc.received('13800000004')).toHaveLength(1);
    expect(smsc.stats).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('has the centre send a receipt again when storing it failed', async () => {
    const { smsc, gateway } = await setup();
    let failures = 1;
    const stored: Receipt[] = [];
    gateway.listen({
      receipts: async (r) => {
        if (failures-- > 0) throw new Error('database down');
        stored.push(...r);
      },
      inbound: async () => undefined,
    });
    await sendAll(gateway, '13800000005', '回执', 'm8');
    await expect.poll(() => stored.length, { timeout: 3_000 }).toBe(1);
    expect(smsc.pendingReceipts).toBe(0);
  });
});
