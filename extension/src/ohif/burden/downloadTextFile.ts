/**
 * Hands a text file to the browser's download, without a server round trip.
 */

/** Lets Excel read UTF-8 (accented labels) instead of guessing a legacy code page. */
const UTF8_BOM = '\ufeff';
/** The object URL must outlive the click that starts the download. */
const REVOKE_DELAY_MS = 10_000;

export function downloadTextFile(fileName: string, text: string, mediaType: string): void {
  const blob = new Blob([UTF8_BOM, text], { type: `${mediaType};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
}
