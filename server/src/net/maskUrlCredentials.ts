/**
 * Hides the userinfo (user and password) of URLs in anything the server prints:
 * error messages, start-up lines, proxy and loader logs. The settings refuse a
 * PACS URL with `user:password@`, but the message that refuses it, and any log
 * line that shows a URL from elsewhere (a command line, an upstream error),
 * must not echo the password while doing so.
 */

/** What the userinfo of a URL is replaced with. */
export const MASKED_USERINFO = '***';

/** A URL-looking token in free text: a scheme, `//`, and everything up to a space or quote. */
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s'"<>`]*/g;

/**
 * For a string that does not parse as a URL: everything between `//` (or the
 * start, when there is no `//`) and the last `@` is taken as userinfo. It may
 * hide a little more than the userinfo (an `@` in a path), never less.
 */
function maskUnparsed(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const slashes = text.indexOf('//');
  const start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
  return `${text.slice(0, start)}${MASKED_USERINFO}${text.slice(at)}`;
}

/**
 * The URL with its userinfo replaced by `***`, e.g. `https://***@host/dicom-web`;
 * unchanged when it has none. A string that does not parse as a URL is masked
 * by position (see maskUnparsed), so a malformed URL's password is hidden too.
 */
export function maskUrlCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return maskUnparsed(url);
  }
  // `user:pass@host` parses too, as scheme `user:` with no host: mask it by position.
  if (parsed.host === '') return maskUnparsed(url);
  if (parsed.username === '' && parsed.password === '') return url;
  const { protocol, host, pathname, search, hash } = parsed;
  return `${protocol}//${MASKED_USERINFO}@${host}${pathname}${search}${hash}`;
}

/** Free text (a log line, an upstream error message) with every URL in it masked. */
export function maskCredentialsInText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => maskUrlCredentials(url));
}
