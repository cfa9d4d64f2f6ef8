import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import type { LetterContent } from '../domain/decisions/letter.js';
import { formatFen } from '../domain/money/fen.js';
import { chineseDate, startOfShanghaiDay } from '../domain/time/local-date.js';

/**
 * A decision letter as a PDF in Chinese: pdfkit with Noto Sans (Simplified Chinese) from the
 * `@embedpdf/fonts-sc` package, subset on embedding so a letter carries only the glyphs it uses.
 * The same content always gives the same bytes (its SHA-256 goes into the decision's event):
 * the document's dates are the decision's day, and nothing else in it varies.
 *
 * The fonts are read from `.tools/letter-fonts/`, where `node dev/bootstrap.mjs` writes them
 * desubroutinized (dev/letter-fonts.py): subsetting the fonts as they come cost about 150 ms of CPU
 * a letter, inside the decision's Update, and 120 KB; desubroutinized, about 6 ms and 34 KB. Without
 * them (bootstrap could not reach PyPI) letters use the package's fonts: slower, the same text.
 */

const PACKAGE_FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
const PREPARED_FONT_DIR = fileURLToPath(new URL('../.tools/letter-fonts/', import.meta.url));
const FONT_FILES = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' } as const;
let fonts: { regular: fontkit.Font; bold: fontkit.Font } | undefined;

/** Each font read and parsed once per process: a document only subsets what it uses, and fontkit keeps the parsed tables. */
function loadFonts() {
  fonts ??= { regular: parsedFont(FONT_FILES.regular), bold: parsedFont(FONT_FILES.bold) };
  return fonts;
}

function parsedFont(file: string): fontkit.Font {
  const prepared = join(PREPARED_FONT_DIR, file);
  const font = fontkit.create(readFileSync(existsSync(prepared) ? prepared : join(PACKAGE_FONT_DIR, file)));
  if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
  return font;
}

export function renderDecisionLetterPdf(content: LetterContent): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const decidedAt = new Date(startOfShanghaiDay(content.decidedOn));
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 72, bottom: 72, left: 80, right: 80 },
    compress: true,
    // pdfkit stamps CreationDate with the clock unless given one; the decision's day keeps it fixed.
    info: { Title: `${content.title} ${content.letterNo}`, Author: content.issuer, Subject: content.referenceNo, Creator: '优创 Youchuang', Producer: '优创 Youchuang', CreationDate: decidedAt, ModDate: decidedAt },
    lang: 'zh-CN',
    // No default font: pdfkit would otherwise read its Helvetica metrics for every letter (about 2.5 ms
    // of CPU), a font no letter uses. Its types name only a string; null is what its code checks.
    font: null as unknown as string,
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // pdfkit takes a parsed fontkit font as it is (anything with `layout`); its types name only files and buffers.
  doc.registerFont('regular', regular as unknown as Buffer);
  doc.registerFont('bold', bold as unknown as Buffer);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const paragraph = (text: string, options: PDFKit.Mixins.TextOptions = {}) => doc.font('regular').fontSize(11.5).text(text, { width, lineGap: 5, paragraphGap: 6, ...options });
  const heading = (text: string) => doc.moveDown(0.4).font('bold').fontSize(12).text(text, { width, lineGap: 4 });

  doc.font('bold').fontSize(14).text(content.issuer, { width, align: 'center' });
  doc.moveDown(0.3).fontSize(20).text(content.title, { width, align: 'center' });
  doc.moveDown(0.3).font('regular').fontSize(11).text(content.letterNo, { width, align: 'center' });
  doc.moveDown(1);

  paragraph(`${content.addressee}：`);
  // An application is named by its 申请编号, as every page names it; a recovery is no application of theirs.
  const recovery = content.decision === 'recover' || content.decision === 'cancel-recovery';
  paragraph(
    recovery
      ? `关于“${content.matter}”（案件编号 ${content.referenceNo}），本机关已依法审查完毕。现将决定告知如下。`
      : `你方申请的“${content.matter}”（申请编号 ${content.referenceNo}），本机关已依法审查完毕。现将决定告知如下。`,
    { indent: 23 },
  );

  heading('一、政策依据');
  paragraph(`${content.source.document}，${content.source.measure}。`, { indent: 23 });
  heading('二、决定');
  paragraph(content.decisionText, { indent: 23 });
  // Said once: a decision sentence that already states the amount is not followed by it again.
  if (content.amountFen !== null && !content.decisionText.includes(formatFen(content.amountFen))) paragraph(`金额：人民币 ${formatFen(content.amountFen)} 元。`, { indent: 23 });
  heading('三、理由');
  content.reasons.forEach((reason, i) => paragraph(`${content.reasons.length > 1 ? `${i + 1}. ` : ''}${reason}`, { indent: 23 }));
  heading('四、权利告知');
  paragraph(content.rights.text, { indent: 23 });

  doc.moveDown(1.2);
  paragraph(`决定人：${content.decidedBy.name}（${content.decidedBy.department}）`, { align: 'right' });
  paragraph(content.issuer, { align: 'right' });
  paragraph(chineseDate(content.decidedOn), { align: 'right' });

  doc.end();
  return finished;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
