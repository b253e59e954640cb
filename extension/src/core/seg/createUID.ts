/**
 * New DICOM UIDs under the 2.25 arc: "2.25." followed by the decimal value of a
 * random (version 4) UUID, as PS3.5 B.2 describes. No organisation root is
 * needed and the 122 random bits make collisions negligible.
 */

/** Length limit of a UI value (PS3.5 Table 6.2-1), characters. */
const MAX_UID_LENGTH = 64;

/** Source of random UUIDs; `crypto.randomUUID` in browsers and Node 19+. */
export type UUIDSource = () => string;

const defaultUUIDSource: UUIDSource = () => globalThis.crypto.randomUUID();

/**
 * Creates a UID such as `2.25.329800735698586629295641978511506172918`.
 *
 * @param uuidSource injectable for tests; must return a canonical UUID string.
 * @throws TypeError when the source returns something that is not a UUID.
 */
export function createUID(uuidSource: UUIDSource = defaultUUIDSource): string {
  const uuid = uuidSource();
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
    throw new TypeError(`createUID: not a UUID: ${uuid}`);
  }
  const uid = `2.25.${BigInt(`0x${hex}`).toString(10)}`;
  // 2.25. plus at most 39 digits is 44 characters, far below the limit.
  if (uid.length > MAX_UID_LENGTH) throw new RangeError(`createUID: UID too long: ${uid}`);
  return uid;
}
