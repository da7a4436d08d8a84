// Region abilities: effective-dated changes for regions.manage over a current region, nothing for readers.
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInWith, testApp, type Client } from '../../../test/support/app.ts';

let system: Client;
let leader: Client;

beforeAll(async () => {
  await testApp();
  [system, leader] = await Promise.all([signedInWith([{ role: 'platform_admin', regionCode: '650502' }]), signedInWith([{ role: 'leader', regionCode: '6505' }])]);
});

describe('region abilities', () => {
  it('offer rename, merge and retire inside the managing jurisdiction only', async () => {
    expect((await system.get('/api/regions/650502')).json().abilities).toEqual(['rename', 'merge', 'retire']);
    expect((await leader.get('/api/regions/650502')).json().abilities).toEqual([]);
    const listed = (await leader.get('/api/regions?parent=6505')).json().items as { code: string; abilities: string[] }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((r) => r.abilities.length === 0)).toBe(true);
    const children = (await system.get('/api/regions?parent=650502')).json().items as { abilities: string[]; validTo: string | null }[];
    expect(children.filter((r) => r.validTo === null).every((r) => r.abilities.includes('rename'))).toBe(true);
  });
});
