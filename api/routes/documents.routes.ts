import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audienceOf, caseShowsDocument, casesReferencing, documentsOfCase } from '../../db/documents/document-references.js';
import { documentStoreFromEnvironment, type DocumentStore, type StoredDocument } from '../../db/documents/document-store.js';
import { checkDocument, displayName, MAX_DOCUMENT_BYTES, ALLOWED_TYPES_TEXT, previewable } from '../../domain/documents/document-type.js';
import type { Account } from '../auth/sessions.js';
import { caseAccessOf, visibleCase } from '../authorization/case-access.js';
import { documentAudienceOn } from '../views/panel-confidentiality.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route, type RouteDefinition } from '../route.js';
import { caseIdParams } from '../schemas/common.schemas.js';
import { contentDisposition } from './decision-letters.routes.js';

export const DOCUMENTS_URL = '/api/documents';

/** The bytes of an upload, read by the parser below; kept beside the request so that no schema walks 20 MB of Buffer. */
const uploads = new WeakMap<FastifyRequest, Buffer>();

/** Rounded up, to the hundredth: a file 45 bytes over 20 MB is “20.01 MB”, never “20.0 MB” beside a 20 MB limit. */
const receivedMegabytes = (bytes: number): string => (Math.ceil((bytes / 1024 / 1024) * 100) / 100).toFixed(2);

const tooLarge = (bytes: number) =>
  new HttpError(413, 'payload-too-large', `文件大小超过每个文件 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB 的上限${bytes > 0 ? `（收到 ${receivedMegabytes(bytes)} MB）` : ''}。请压缩或拆分后再上传。`);

/**
 * Every body that is not JSON: on POST /api/documents the file's own bytes, whatever type the sender
 * declared (the content decides, domain/documents/document-type.ts), up to the document limit; on
 * every other route the same 415 as before, refused before a byte of the body is read.
 */
export function installDocumentUploadParser(app: FastifyInstance): void {
  app.addContentTypeParser('*', (request, payload, done) => {
    if (request.routeOptions.url !== DOCUMENTS_URL || request.method !== 'POST') {
      done(new HttpError(415, 'unsupported-media-type', '提交的内容格式不对：请以 JSON 提交（content-type: application/json）；上传材料请用“上传材料”。', [], {}, {}, 'send the body as JSON, with content-type: application/json'), undefined);
      return;
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_DOCUMENT_BYTES) {
      payload.resume();
      done(tooLarge(declared), undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let finished = false;
    const finish = (error: Error | null) => {
      if (finished) return;
      finished = true;
      if (error) done(error, undefined);
      else {
        uploads.set(request, Buffer.concat(chunks, received));
        done(null, undefined);
      }
    };
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_DOCUMENT_BYTES) {
        chunks.length = 0;
        payload.removeAllListeners('data');
        payload.resume();
        finish(tooLarge(received));
        return;
      }
      chunks.push(chunk);
    });
    payload.on('end', () => finish(null));
    payload.on('error', (error: Error) => finish(error));
  });
}

const documentParams = z.strictObject({ documentId: z.uuid('材料编号格式不对') });
const downloadQuery = z.strictObject({
  disposition: z
    .enum(['attachment', 'inline'], '须为 attachment（下载）或 inline（在浏览器中预览）')
    .optional()
    .meta({ description: 'inline: shown in the browser (预览), for PDF and images only (`preview` in the listing says which); anything else downloads' }),
});
const uploadQuery = z.strictObject({
  name: z.string().max(1000, '文件名不超过 1000 个字符').optional().meta({ title: '文件名', description: '文件名，仅用于显示（类型按文件内容识别，与文件名无关）' }),
});

export const documentResponse = z.object({
  documentId: z.uuid(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.int().positive(),
  mediaType: z.string(),
  name: z.string(),
  uploadedAt: z.string(),
  download: z.string(),
  preview: z.string().nullable().describe('where the browser shows it (预览): PDF and images; null for what only downloads'),
});

const caseDocumentsResponse = z.object({
  documents: z.array(
    documentResponse.extend({
      uploadedBy: z.string(),
      internal: z.boolean().describe("true: only an official's internal attachment (附加材料) references it; officials and auditors see it, the applicant does not"),
    }),
  ),
});

const view = (row: StoredDocument) => ({
  documentId: row.document_id,
  sha256: row.sha256,
  size: row.size,
  mediaType: row.media_type,
  name: row.name,
  uploadedAt: row.uploaded_at.toISOString(),
  download: `${DOCUMENTS_URL}/${row.document_id}`,
  preview: previewable(row.media_type) ? `${DOCUMENTS_URL}/${row.document_id}?disposition=inline` : null,
});

/**
 * The uploader, or whoever may see a case whose recorded events reference the document (the case's
 * own access rule); an official's internal attachment only for officials and auditors — on a loan,
 * not for 网信's, unless 网信 attached it (documentAudienceOn).
 */
async function maySee(deps: ApiDependencies, account: Account, row: StoredDocument): Promise<boolean> {
  if (row.uploaded_by === account.accountId) return true;
  const audience = audienceOf(account);
  for (const caseId of await casesReferencing(deps.db, row.document_id, audience)) {
    const caseRow = await deps.db.selectFrom('cases').select(['case_id', 'case_type', 'department', 'departments', 'applicant_account_id']).where('case_id', '=', caseId).executeTakeFirst();
    if (!caseRow || (await caseAccessOf(deps.db, account, caseRow)) !== 'visible') continue;
    const onThisCase = documentAudienceOn(caseRow, account);
    if (onThisCase === audience || (await caseShowsDocument(deps.db, caseId, row.document_id, onThisCase))) return true;
  }
  return false;
}

/** Uploading documents, downloading them, and the documents of a case. */
export function documentRoutes(deps: ApiDependencies, store: DocumentStore = documentStoreFromEnvironment(deps.db)): RouteDefinition[] {
  const notFound = (documentId: string) => new HttpError(404, 'not-found', `没有编号为 ${documentId} 的材料，或您无权查看`);
  return [
    route({
      method: 'POST',
      url: DOCUMENTS_URL,
      summary: 'Upload one document: the body is the file itself (any content-type; the type is read from its bytes), its name in ?name=',
      description:
        `The request body is the file's raw bytes (application/octet-stream or the file's own type), at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB. ` +
        `Allowed, judged by content (magic bytes), never by name or declared type: ${ALLOWED_TYPES_TEXT}. ` +
        'Answers the document id and SHA-256; reference it in an action body as { documents: [{ documentId }] }. Documents are never overwritten or removed.',
      tag: 'documents',
      access: 'signed-in',
      query: uploadQuery,
      status: 201,
      response: documentResponse,
      async handle({ query, account, request }) {
        const bytes = uploads.get(request);
        if (!bytes) throw new HttpError(400, 'validation', `请求体中没有文件内容：请以文件本身作为请求体上传（content-type: application/octet-stream 或文件类型）。只接受${ALLOWED_TYPES_TEXT}。`, [{ field: 'body', message: '没有文件内容' }]);
        const checked = checkDocument(bytes);
        if (!checked.ok) {
          const status = checked.problem === 'too-large' ? 413 : checked.problem === 'type' ? 415 : 400;
          const code = checked.problem === 'too-large' ? 'payload-too-large' : checked.problem === 'type' ? 'unsupported-media-type' : 'validation';
          throw new HttpError(status, code, checked.message, [{ field: 'body', message: checked.message }]);
        }
        const row = await store.put({
          documentId: randomUUID(),
          bytes,
          mediaType: checked.type.mediaType,
          name: displayName(query.name, checked.type),
          uploadedBy: account!.accountId,
          uploadedAt: deps.clock(),
        });
        return view(row);
      },
    }),
    route({
      method: 'GET',
      url: `${DOCUMENTS_URL}/:documentId`,
      summary: "Download a document: its uploader, or whoever may see a case whose events reference it (an official's internal attachment: officials and auditors only); anyone else gets 404 as for an unknown id",
      tag: 'documents',
      access: 'signed-in',
      params: documentParams,
      query: downloadQuery,
      async handle({ params, query, account, reply }) {
        const row = await store.describe(params.documentId);
        if (!row || !(await maySee(deps, account!, row))) throw notFound(params.documentId);
        const bytes = await store.bytes(params.documentId);
        if (!bytes) throw notFound(params.documentId);
        // Inline only for what a browser shows by itself (the type read from the bytes at upload); nosniff keeps it to that type.
        const inline = query.disposition === 'inline' && previewable(row.media_type);
        return reply
          .type(row.media_type)
          .header('content-disposition', contentDisposition(`document-${row.document_id}`, row.name, inline ? 'inline' : 'attachment'))
          .header('x-content-type-options', 'nosniff')
          .header('repr-digest', `sha-256=:${Buffer.from(row.sha256, 'hex').toString('base64')}:`)
          .header('cache-control', 'private, no-store')
          .send(bytes);
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:caseId/documents',
      summary: "The documents the case's recorded events reference, with their SHA-256 and download links; the applicant does not see an official's internal attachments, nor 网信 the fund's on a loan",
      tag: 'cases',
      access: 'signed-in',
      params: caseIdParams,
      response: caseDocumentsResponse,
      async handle({ params, account, request }) {
        const row = await visibleCase(deps.db, params.caseId, account!, request);
        const documents = await documentsOfCase(deps.db, params.caseId, documentAudienceOn(row, account!));
        return {
          documents: documents.map((d) => ({
            documentId: d.documentId,
            sha256: d.sha256,
            size: d.size,
            mediaType: d.mediaType,
            name: d.name,
            uploadedAt: d.uploadedAt,
            uploadedBy: d.uploadedBy,
            internal: d.internal,
            download: `${DOCUMENTS_URL}/${d.documentId}`,
            preview: previewable(d.mediaType) ? `${DOCUMENTS_URL}/${d.documentId}?disposition=inline` : null,
          })),
        };
      },
    }),
  ];
}
