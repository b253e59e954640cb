/**
 * Hands a file to the user through the browser's download, without a server
 * round trip: the SEG bytes are already in the page.
 */

/** How long the object URL outlives the click; some browsers read it late. */
const REVOKE_DELAY_MS = 60_000;

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
}
