/** Small files of each type a document may be, built byte by byte (their first bytes are what counts). */

/** A zip of stored (uncompressed) entries, as Office writes its documents: local headers, no central directory needed to sniff. */
export function zipOf(entries: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    parts.push(header, nameBytes, data);
  }
  return Buffer.concat(parts);
}

const contentTypes = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

export const SAMPLES = {
  pdf: Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1'),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDR', 'latin1'), Buffer.alloc(17)]),
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('\0\x10JFIF\0', 'latin1'), Buffer.alloc(20), Buffer.from([0xff, 0xd9])]),
  gif: Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(20)]),
  webp: Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([24, 0, 0, 0]), Buffer.from('WEBPVP8 ', 'latin1'), Buffer.alloc(16)]),
  docx: zipOf({ '[Content_Types].xml': contentTypes, '_rels/.rels': '<Relationships/>', 'word/document.xml': '<w:document/>' }),
  xlsx: zipOf({ '[Content_Types].xml': contentTypes, 'xl/workbook.xml': '<workbook/>' }),
  pptx: zipOf({ '[Content_Types].xml': contentTypes, 'ppt/presentation.xml': '<p:presentation/>' }),
  ole2: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]),
  exe: Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(58), Buffer.from('This program cannot be run in DOS mode.', 'latin1')]),
  zip: zipOf({ 'readme.txt': 'hello' }),
  text: Buffer.from('营业执照副本（文字版）', 'utf8'),
} as const;
