import { describe, expect, it } from 'vitest';
import { checkDocument, displayName, MAX_DOCUMENT_BYTES, sniffDocumentType } from '../../../domain/documents/document-type.js';
import { SAMPLES } from '../../support/document-samples.js';

describe('a document’s type is read from its bytes', () => {
  it.each([
    ['pdf', 'application/pdf'],
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['ole2', 'application/x-ole-storage'],
  ] as const)('%s is allowed as %s', (kind, mediaType) => {
    const checked = checkDocument(SAMPLES[kind]);
    expect(checked).toEqual({ ok: true, type: expect.objectContaining({ kind, mediaType }) });
  });

  it('refuses a Windows program whatever it is named, saying what it is and what is allowed', () => {
    const checked = checkDocument(SAMPLES.exe);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problem).toBe('type');
    expect(checked.message).toContain('Windows 可执行程序');
    expect(checked.message).toContain('PDF');
    expect(checked.message).toContain('与文件名和声明的类型无关');
  });

  it('refuses a zip that is not an Office document, and plain text', () => {
    expect(sniffDocumentType(SAMPLES.zip)).toBeUndefined();
    expect(sniffDocumentType(SAMPLES.text)).toBeUndefined();
    expect(checkDocument(SAMPLES.zip)).toMatchObject({ ok: false, problem: 'type', message: expect.stringContaining('zip 压缩包') });
  });

  it('refuses an empty file and one over the limit, naming the limit in MB', () => {
    expect(checkDocument(new Uint8Array())).toMatchObject({ ok: false, problem: 'empty' });
    const big = new Uint8Array(MAX_DOCUMENT_BYTES + 1);
    big.set(SAMPLES.pdf);
    expect(checkDocument(big)).toMatchObject({ ok: false, problem: 'too-large', message: expect.stringContaining('20 MB') });
    expect(checkDocument(big.subarray(0, MAX_DOCUMENT_BYTES)).ok).toBe(true);
  });

  it('does not read past a truncated zip header', () => {
    expect(sniffDocumentType(SAMPLES.docx.subarray(0, 20))).toBeUndefined();
    expect(sniffDocumentType(SAMPLES.docx.subarray(0, 40))).toBeUndefined();
  });
});

describe('the file name is kept for display only', () => {
  const pdf = sniffDocumentType(SAMPLES.pdf)!;

  it('drops any path, control and direction-changing characters', () => {
    expect(displayName('C:\\Users\\me\\营业执照.pdf', pdf)).toBe('营业执照.pdf');
    expect(displayName('../../etc/passwd', pdf)).toBe('passwd.pdf');
    expect(displayName('invoice\u202Efdp.exe', pdf)).toBe('invoicefdp.exe.pdf');
    expect(displayName('a\u0000b\nc.pdf', pdf)).toBe('abc.pdf');
  });

  it('names a nameless file by its type, and caps the length', () => {
    expect(displayName(undefined, pdf)).toBe('材料.pdf');
    expect(displayName('   ', pdf)).toBe('材料.pdf');
    // Invisible characters name nothing: an outside tester's file of zero-width spaces showed as just ".pdf".
    expect(displayName('\u200B\u200B.pdf', pdf)).toBe('材料.pdf');
    expect(displayName('\uFEFF\u2060\u00AD', pdf)).toBe('材料.pdf');
    expect(displayName('.pdf', pdf)).toBe('材料.pdf');
    expect(displayName('营业\u200B执照.pdf', pdf)).toBe('营业执照.pdf');
    expect(displayName('.config.pdf', pdf)).toBe('config.pdf');
    expect([...displayName('长'.repeat(500), pdf)].length).toBeLessThanOrEqual(205);
  });
});
