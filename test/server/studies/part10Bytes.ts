/**
 * Builds small DICOM Part 10 byte strings for the header tests: a preamble,
 * "DICM", File Meta Information elements as given, then a dataset, all
 * explicit VR little endian, so each test states exactly what its file lacks.
 */

/** One explicit-VR little-endian element with a 2-byte length (not OB, SQ, UN...). */
export function shortElement(group: number, element: number, vr: string, value: string): Buffer {
  const padded = value.length % 2 === 0 ? value : `${value}\0`;
  const header = Buffer.alloc(8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(element, 2);
  header.write(vr, 4, 'latin1');
  header.writeUInt16LE(padded.length, 6);
  return Buffer.concat([header, Buffer.from(padded, 'latin1')]);
}

/** Preamble (128 zero bytes), "DICM", then the elements in order. */
export function part10(elements: readonly Buffer[]): Buffer {
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), ...elements]);
}

/** The Part 10 header's UIDs for a CT image, with a chosen TransferSyntaxUID element. */
export function ctFile(transferSyntax: Buffer | null): Buffer {
  const meta = [shortElement(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.2')];
  if (transferSyntax !== null) meta.push(transferSyntax);
  return part10([
    ...meta,
    shortElement(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.2'),
    shortElement(0x0008, 0x0018, 'UI', '1.2.3.4.5'),
    shortElement(0x0020, 0x000d, 'UI', '1.2.3'),
    shortElement(0x0020, 0x000e, 'UI', '1.2.3.4'),
  ]);
}
