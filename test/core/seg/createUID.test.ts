import { createUID } from '../../../extension/src/core/seg/createUID';

describe('createUID', () => {
  it('writes the UUID as a decimal under 2.25', () => {
    expect(createUID(() => '00000000-0000-0000-0000-0000000000ff')).toBe('2.25.255');
    expect(createUID(() => 'ffffffff-ffff-ffff-ffff-ffffffffffff')).toBe(
      `2.25.${(2n ** 128n - 1n).toString()}`,
    );
  });

  it('makes valid, distinct UIDs from the platform UUIDs', () => {
    const uids = new Set(Array.from({ length: 200 }, () => createUID()));
    expect(uids.size).toBe(200);
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.(0|[1-9][0-9]*)$/);
      expect(uid.length).toBeLessThanOrEqual(64);
    }
  });

  it('refuses something that is not a UUID', () => {
    expect(() => createUID(() => 'not-a-uuid')).toThrow(TypeError);
  });
});
