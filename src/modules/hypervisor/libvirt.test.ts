// The libvirt driver on libvirt's own test driver (test:///default, state held in the driver's one virsh shell):
// domain XML, the lifecycle, and virsh's errors mapped to the contract's codes.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { HypervisorError } from '../cloud/index.ts';
import { domainXml, errorCodeOf, LibvirtHypervisor } from './libvirt.ts';
import { quoteArg } from './virsh.ts';

const installed = await (await import('./libvirt.ts')).virshInstalled();
if (!installed) console.warn('SKIPPED: virsh is not installed (Debian: apt-get install libvirt-clients) — the libvirt driver tests on test:///default do not run here.');

const spec = (name: string) => ({ name, uuid: randomUUID(), vcpus: 1, memoryMb: 64, diskGb: 0 });
const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof HypervisorError ? e.code : `other: ${String(e)}`));

describe('domain XML', () => {
  it('escapes, is diskless at 0 GB, names a qcow2 volume otherwise, and picks the virt type', () => {
    const xml = domainXml({ name: 'gc-a', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', vcpus: 2, memoryMb: 128, diskGb: 0 }, 'qemu');
    expect(xml).toContain("<domain type='qemu'>");
    expect(xml).toContain("<memory unit='MiB'>128</memory>");
    expect(xml).toContain("<vcpu placement='static'>2</vcpu>");
    expect(xml).not.toContain('<disk');
    const disk = domainXml({ name: 'gc-b', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', vcpus: 1, memoryMb: 64, diskGb: 40 }, 'kvm', "p<o>o'l&");
    expect(disk).toContain("<domain type='kvm'>");
    expect(disk).toContain("<source pool='p&lt;o&gt;o&apos;l&amp;' volume='gc-b.qcow2'/>");
    // names that could break the XML or virsh's command line are refused before anything runs
    for (const bad of ["gc-'x", 'gc x', 'gc-<x>', '', 'a'.repeat(65), '-gc']) {
      expect(() => domainXml({ name: bad, uuid: randomUUID(), vcpus: 1, memoryMb: 64, diskGb: 0 }, 'qemu')).toThrow(HypervisorError);
    }
    expect(() => domainXml({ name: 'gc-c', uuid: 'not-a-uuid', vcpus: 1, memoryMb: 64, diskGb: 0 }, 'qemu')).toThrow(/uuid/);
    expect(() => domainXml({ name: 'gc-c', uuid: randomUUID(), vcpus: 0, memoryMb: 64, diskGb: 0 }, 'qemu')).toThrow(/vcpus/);
    expect(() => domainXml({ name: 'gc-c', uuid: randomUUID(), vcpus: 1, memoryMb: 64, diskGb: -1 }, 'qemu')).toThrow(/diskGb/);
  });

  it('maps virsh error text to the contract codes and quotes arguments for the virsh shell', () => {
    expect(errorCodeOf("failed to get domain 'x'")).toBe('no_domain');
    expect(errorCodeOf("operation failed: domain 'x' already exists with uuid 1")).toBe('domain_exists');
    expect(errorCodeOf('Requested operation is not valid: domain is not running')).toBe('invalid_state');
    expect(errorCodeOf('failed to connect to the hypervisor')).toBe('unreachable');
    expect(errorCodeOf("Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory")).toBe('unreachable');
    expect(errorCodeOf("Failed to connect socket to '/run/libvirt/virtlogd-sock'")).toBe('failed');
    expect(errorCodeOf('internal error: something else')).toBe('failed');
    expect(quoteArg('gc-a.b_c')).toBe('gc-a.b_c');
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
  });
});

describe.skipIf(!installed)('LibvirtHypervisor on test:///default', () => {
  const hv = new LibvirtHypervisor('test:///default', { timeoutMs: 10_000 });
  afterAll(() => hv.close());

  it('keeps state across calls: define → start → stats → suspend/resume → resize → snapshot → stop → undefine', async () => {
    const s = spec(`gc-unit-${randomUUID().slice(0, 8)}`);
    expect(await hv.type()).toBe('test');
    await hv.define(s);
    expect((await hv.list()).find((d) => d.name === s.name)).toEqual({ name: s.name, uuid: s.uuid, state: 'shutoff' });
    await hv.start(s.name);
    expect(await hv.stats(s.name)).toMatchObject({ state: 'running', vcpus: 1, memoryMb: 64 });
    await hv.suspend(s.name);
    expect(await hv.state(s.name)).toBe('paused');
    await hv.resume(s.name);
    expect(await hv.state(s.name)).toBe('running');
    await hv.snapshot(s.name, 'before-change');
    await hv.stop(s.name, 0);
    expect(await hv.state(s.name)).toBe('shutoff');
    await hv.stop(s.name, 0); // already off: nothing to do
    await hv.resize(s.name, 2, 256);
    expect(await hv.stats(s.name)).toMatchObject({ state: 'shutoff', vcpus: 2, memoryMb: 256 });
    await hv.undefine(s.name);
    expect((await hv.list()).some((d) => d.name === s.name)).toBe(false);
  });

  it('refuses a second definition (domain_exists), answers no_domain and invalid_state', async () => {
    const s = spec(`gc-unit-${randomUUID().slice(0, 8)}`);
    await hv.define(s);
    expect(await codeOf(hv.define(s))).toBe('domain_exists');
    expect(await codeOf(hv.define({ ...s, uuid: randomUUID() }))).toBe('domain_exists');
    expect(await codeOf(hv.suspend(s.name))).toBe('invalid_state'); // not running
    await hv.start(s.name);
    expect(await codeOf(hv.start(s.name))).toBe('invalid_state');
    // undefine forces a running domain off first: nothing lives on as a transient domain
    await hv.undefine(s.name);
    expect((await hv.list()).some((d) => d.name === s.name)).toBe(false);
    for (const call of [hv.start(s.name), hv.stats(s.name), hv.undefine(s.name), hv.resize(s.name, 1, 64), hv.snapshot(s.name, 'x')]) expect(await codeOf(call)).toBe('no_domain');
    expect(await codeOf(hv.resize(s.name, 0, 64))).toBe('failed');
  });

  it('serialises 20 concurrent calls on one shell, each answered with its own output', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `gc-par-${i}-${randomUUID().slice(0, 6)}`);
    await Promise.all(names.map((n) => hv.define(spec(n))));
    const uuids = await Promise.all(names.map((n) => hv.uuidOf(n)));
    const listed = new Map((await hv.list()).map((d) => [d.name, d.uuid]));
    names.forEach((n, i) => expect(listed.get(n)).toBe(uuids[i]));
    await Promise.all(names.map((n) => hv.undefine(n)));
    expect((await hv.list()).filter((d) => names.includes(d.name))).toEqual([]);
  });
});

describe('an unusable hypervisor answers unreachable, clearly', () => {
  it('when virsh is not installed', async () => {
    const hv = new LibvirtHypervisor('qemu:///session', { binary: '/nonexistent/virsh', timeoutMs: 5000 });
    const e = await hv.list().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HypervisorError);
    expect((e as HypervisorError).code).toBe('unreachable');
    expect((e as HypervisorError).message).toMatch(/not installed/);
    hv.close();
  });

  it.skipIf(!installed)('when the daemon behind the URI is gone', async () => {
    const hv = new LibvirtHypervisor('qemu+tcp://127.0.0.1:1/system', { timeoutMs: 10_000 });
    const e = await hv.define(spec('gc-nowhere')).catch((x: unknown) => x);
    expect((e as HypervisorError).code).toBe('unreachable');
    expect((e as HypervisorError).message).toMatch(/connect/i);
    hv.close();
  });
});
