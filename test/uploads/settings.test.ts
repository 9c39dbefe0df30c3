import { describe, expect, it } from 'vitest';
import { contentMatchesType, DEFAULT_UPLOAD_MAX_BYTES, DEFAULT_UPLOAD_TYPES, uploadSettingsFrom } from '../../src/uploads/settings.js';

describe('uploadSettingsFrom', () => {
  it('leaves uploads off unless asked for', () => {
    expect(uploadSettingsFrom(undefined)).toBeNull();
    expect(uploadSettingsFrom(null)).toBeNull();
    expect(uploadSettingsFrom(false)).toBeNull();
  });

  it('turns them on with the defaults for `true` or an empty mapping', () => {
    const defaults = { maxBytes: DEFAULT_UPLOAD_MAX_BYTES, types: DEFAULT_UPLOAD_TYPES };
    expect(uploadSettingsFrom(true)).toEqual(defaults);
    expect(uploadSettingsFrom({})).toEqual(defaults);
  });

  it('reads max_bytes and types, lower-casing the types', () => {
    expect(uploadSettingsFrom({ max_bytes: 1000, types: ['Image/PNG', 'text/plain'] })).toEqual({
      maxBytes: 1000,
      types: ['image/png', 'text/plain'],
    });
  });

  it('refuses types a browser would run, even when listed', () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/javascript']) {
      expect(() => uploadSettingsFrom({ types: [type] })).toThrowError(/runs as a page or script/);
    }
  });

  it('refuses unusable values, naming the option', () => {
    expect(() => uploadSettingsFrom('yes')).toThrowError(/`uploads` of the `socketio` channel must be true, false or a mapping/);
    expect(() => uploadSettingsFrom({ max_bytes: -5 })).toThrowError(/`uploads.max_bytes`.*positive whole number/);
    expect(() => uploadSettingsFrom({ types: [] })).toThrowError(/`uploads.types`.*non-empty list/);
    expect(() => uploadSettingsFrom({ types: ['png'] })).toThrowError(/`uploads.types`.*MIME types/);
    expect(() => uploadSettingsFrom({ max_size: 5 })).toThrowError(/`uploads.max_size`.*unknown option/);
  });
});

describe('contentMatchesType', () => {
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);

  it('recognises the signatures of the default types', () => {
    expect(contentMatchesType(PNG, 'image/png')).toBe(true);
    expect(contentMatchesType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg')).toBe(true);
    expect(contentMatchesType(Buffer.from('GIF89a....'), 'image/gif')).toBe(true);
    expect(contentMatchesType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'image/webp')).toBe(true);
    expect(contentMatchesType(Buffer.from('%PDF-1.7'), 'application/pdf')).toBe(true);
  });

  it('refuses content that is not what its type says', () => {
    expect(contentMatchesType(Buffer.from('<html><script>alert(1)</script>'), 'image/png')).toBe(false);
    expect(contentMatchesType(PNG, 'application/pdf')).toBe(false);
  });

  it('takes types it cannot recognise on trust', () => {
    expect(contentMatchesType(Buffer.from('plain words'), 'text/plain')).toBe(true);
  });
});
