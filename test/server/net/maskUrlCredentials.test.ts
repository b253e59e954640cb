import {
  MASKED_USERINFO,
  maskCredentialsInText,
  maskUrlCredentials,
} from '../../../server/src/net/maskUrlCredentials';

const PASSWORD = 'pa55word';

describe('maskUrlCredentials', () => {
  it('replaces the user and password of a URL that parses', () => {
    expect(maskUrlCredentials(`https://alice:${PASSWORD}@pacs.example.org/dicom-web`)).toBe(
      'https://***@pacs.example.org/dicom-web',
    );
    expect(maskUrlCredentials('http://alice@pacs:8080/rs?x=1#f')).toBe('http://***@pacs:8080/rs?x=1#f');
    // An encoded @ in the password, and a raw one: the last @ ends the userinfo.
    expect(maskUrlCredentials(`https://a:p%40ss@h/x`)).toBe('https://***@h/x');
    expect(maskUrlCredentials(`https://a:p@ss@h/x`)).toBe('https://***@h/x');
  });

  it('masks by position a URL that does not parse', () => {
    expect(maskUrlCredentials(`https://u:${PASSWORD}@host:bad`)).toBe('https://***@host:bad');
    expect(maskUrlCredentials(`https://u:pa/ss@host:bad/x`)).toBe('https://***@host:bad/x');
    expect(maskUrlCredentials(`http://u:${PASSWORD}@[::1/x`)).toBe('http://***@[::1/x');
    // No scheme: `u:pass@host` even parses, as scheme `u:` without a host.
    expect(maskUrlCredentials(`u:${PASSWORD}@pacs/dicom-web`)).toBe('***@pacs/dicom-web');
  });

  it('leaves a URL without credentials as it was typed', () => {
    for (const url of ['https://pacs.example.org/dicom-web/', 'http://h/a@b', 'https://host:bad', 'x']) {
      expect(maskUrlCredentials(url)).toBe(url);
    }
  });

  it('never returns the password, whatever the URL', () => {
    const urls = [
      `https://u:${PASSWORD}@h/`,
      `https://u:${PASSWORD}@h:99999/`,
      `ftp://u:${PASSWORD}@h`,
      `HTTPS://u:${PASSWORD}@H`,
      `//u:${PASSWORD}@h`,
      `https://${PASSWORD}@h`,
    ];
    for (const url of urls) {
      const masked = maskUrlCredentials(url);
      expect(masked).not.toContain(PASSWORD);
      expect(masked).toContain(`${MASKED_USERINFO}@`);
    }
  });
});

describe('maskCredentialsInText', () => {
  it('masks every URL in a line and keeps the rest', () => {
    const line =
      `GET https://u:${PASSWORD}@pacs/dicom-web/studies failed: ` +
      `connect to 'http://v:${PASSWORD}@other:bad' refused (see http://plain/x)`;
    expect(maskCredentialsInText(line)).toBe(
      'GET https://***@pacs/dicom-web/studies failed: ' +
        "connect to 'http://***@other:bad' refused (see http://plain/x)",
    );
  });
});
