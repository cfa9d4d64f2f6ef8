import { withoutInvisible } from '../text/typed-separators.js';

/**
 * What a document is, read from its bytes (magic numbers), never from its name or the Content-Type
 * its sender declared: a renamed program is refused whatever it is called. Pure: no I/O.
 */

/** 20 MB: a scanned licence or a multi-page PDF fits; a video does not. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
export const MAX_NAME_LENGTH = 200;

export type DocumentKind = 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp' | 'docx' | 'xlsx' | 'pptx' | 'ooxml' | 'ole2';

export interface DocumentType {
  kind: DocumentKind;
  mediaType: string;
  /** The extension the stored file is given for download, whatever the uploaded name said. */
  extension: string;
  label: string;
}

const TYPES: Record<DocumentKind, DocumentType> = {
  pdf: { kind: 'pdf', mediaType: 'application/pdf', extension: 'pdf', label: 'PDF' },
  png: { kind: 'png', mediaType: 'image/png', extension: 'png', label: 'PNG 图片' },
  jpeg: { kind: 'jpeg', mediaType: 'image/jpeg', extension: 'jpg', label: 'JPEG 图片' },
  gif: { kind: 'gif', mediaType: 'image/gif', extension: 'gif', label: 'GIF 图片' },
  webp: { kind: 'webp', mediaType: 'image/webp', extension: 'webp', label: 'WebP 图片' },
  docx: { kind: 'docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', label: 'Word 文档' },
  xlsx: { kind: 'xlsx', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', label: 'Excel 表格' },
  pptx: { kind: 'pptx', mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx', label: 'PowerPoint 演示文稿' },
  ooxml: { kind: 'ooxml', mediaType: 'application/vnd.openxmlformats-officedocument', extension: 'zip', label: 'Office 文档' },
  // Legacy .doc/.xls/.ppt share one container; telling them apart needs its directory, not worth it for download.
  ole2: { kind: 'ole2', mediaType: 'application/x-ole-storage', extension: 'doc', label: '旧版 Office 文档（doc/xls/ppt）' },
};

/**
 * The types a browser shows by itself, safely, when a document is opened inline (预览): PDF and the
 * raster images. Office documents only download. The type is the one read from the bytes at upload.
 */
const PREVIEWABLE_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function previewable(mediaType: string): boolean {
  return PREVIEWABLE_MEDIA_TYPES.has(mediaType);
}

export const ALLOWED_TYPES_TEXT = 'PDF、图片（PNG、JPEG、GIF、WebP）、Office 文档（Word、Excel、PowerPoint，含旧版 doc/xls/ppt）';

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) => bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** A local file header's name in a zip (PK\x03\x04): the entries OOXML is recognised by. */
function zipEntryNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  let at = 0;
  // Local headers follow each other; a zip built by Office puts [Content_Types].xml first, so a few suffice.
  for (let n = 0; n < 64 && startsWith(bytes, [0x50, 0x4b, 0x03, 0x04], at); n++) {
    if (at + 30 > bytes.length) break;
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, 30);
    const flags = view.getUint16(6, true);
    const compressed = view.getUint32(18, true);
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    const nameStart = at + 30;
    if (nameStart + nameLength > bytes.length) break;
    names.push(new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(nameStart, nameStart + nameLength)));
    // With a data descriptor (bit 3) the size is not in the header: the walk stops there.
    if (flags & 0x08) break;
    at = nameStart + nameLength + extraLength + compressed;
  }
  return names;
}

function officeOpenXml(bytes: Uint8Array): DocumentType | undefined {
  const names = zipEntryNames(bytes);
  if (!names.includes('[Content_Types].xml')) return undefined;
  if (names.some((n) => n.startsWith('word/'))) return TYPES.docx;
  if (names.some((n) => n.startsWith('xl/'))) return TYPES.xlsx;
  if (names.some((n) => n.startsWith('ppt/'))) return TYPES.pptx;
  return TYPES.ooxml;
}

/** The document's type from its first bytes, or undefined when it is none of those allowed. */
export function sniffDocumentType(bytes: Uint8Array): DocumentType | undefined {
  if (startsWith(bytes, ascii('%PDF-'))) return TYPES.pdf;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return TYPES.png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return TYPES.jpeg;
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return TYPES.gif;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return TYPES.webp;
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return TYPES.ole2;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeOpenXml(bytes);
  return undefined;
}

/** What a program or archive looks like, to name it in the refusal. */
function knownOther(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, ascii('MZ'))) return 'Windows 可执行程序';
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'Linux 可执行程序';
  if (startsWith(bytes, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(bytes, [0xca, 0xfe, 0xba, 0xbe])) return 'macOS 可执行程序';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return '普通 zip 压缩包';
  if (startsWith(bytes, ascii('Rar!'))) return 'RAR 压缩包';
  if (startsWith(bytes, ascii('#!'))) return '脚本';
  return undefined;
}

export type DocumentCheck = { ok: true; type: DocumentType } | { ok: false; problem: 'empty' | 'too-large' | 'type'; message: string };

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;

/** Whether these bytes may be kept as a document; each refusal says what is wrong and what is allowed. */
export function checkDocument(bytes: Uint8Array, maxBytes = MAX_DOCUMENT_BYTES): DocumentCheck {
  if (bytes.length === 0) return { ok: false, problem: 'empty', message: `文件是空的（0 字节）。请上传${ALLOWED_TYPES_TEXT}，每个文件不超过 ${megabytes(maxBytes)}。` };
  if (bytes.length > maxBytes) return { ok: false, problem: 'too-large', message: `文件大小 ${megabytes(bytes.length)}，超过每个文件 ${megabytes(maxBytes)} 的上限。请压缩或拆分后再上传。` };
  const type = sniffDocumentType(bytes);
  if (!type) {
    const other = knownOther(bytes);
    return { ok: false, problem: 'type', message: `按文件内容识别，${other ? `这是${other}，` : '这不是允许的文件类型，'}不能上传（与文件名和声明的类型无关）。只接受${ALLOWED_TYPES_TEXT}。` };
  }
  return { ok: true, type };
}

/**
 * The name a person gave the file, kept for display only: no path, no control or bidirectional
 * characters (a name could otherwise pretend to end in .pdf), at most MAX_NAME_LENGTH characters.
 * The stored type's extension is added where the name lacks it.
 */
export function displayName(raw: string | undefined, type: DocumentType): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = withoutInvisible(base.normalize('NFC'))
    .replace(/[\u0000-\u001F\u007F\u00AD\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  // Nothing before the extension (a name of zero-width spaces and .pdf, an outside tester's) names nothing: the file is called by its type.
  const named = /^\.*[^.]*$/.test(cleaned) && cleaned.startsWith('.') ? '' : cleaned.replace(/^\.+/, '');
  const name = [...(named || `材料.${type.extension}`)].slice(0, MAX_NAME_LENGTH).join('');
  return name.toLowerCase().endsWith(`.${type.extension}`) || type.kind === 'ooxml' || type.kind === 'ole2' ? name : `${name}.${type.extension}`;
}
