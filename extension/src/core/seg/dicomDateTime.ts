/**
 * DA and TM values (PS3.5 Table 6.2-1) of a moment, in the local time zone as
 * DICOM dates and times are.
 */

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** YYYYMMDD. */
export function formatDicomDate(moment: Date): string {
  return `${moment.getFullYear()}${pad(moment.getMonth() + 1, 2)}${pad(moment.getDate(), 2)}`;
}

/** HHMMSS.FFFFFF (microseconds from the millisecond clock). */
export function formatDicomTime(moment: Date): string {
  return (
    `${pad(moment.getHours(), 2)}${pad(moment.getMinutes(), 2)}${pad(moment.getSeconds(), 2)}` +
    `.${pad(moment.getMilliseconds() * 1000, 6)}`
  );
}
