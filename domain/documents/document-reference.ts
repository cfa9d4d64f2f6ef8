/**
 * A document as an event records it: the hash proves which bytes were decided on, whatever the
 * store holds later (audit/case-bundle.ts exports the bytes; tools/verify-bundle.mjs checks them).
 */
export interface DocumentReference {
  documentId: string;
  /** Lower-case hex SHA-256 of the document's bytes. */
  sha256: string;
  name: string;
  mediaType: string;
  size: number;
}
