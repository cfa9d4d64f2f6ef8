import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import type { PersonalDataKind } from '../domain/personal-data/identity.js';
import type { Db } from './client.js';

/**
 * The personal-data vault: 身份证号 and phone numbers, encrypted with AES-256-GCM under a key from
 * configuration (PERSONAL_DATA_KEY), one row per value in `personal_data`.
 *
 * Why a vault and not a Temporal payload codec: the values are needed by people reading a case,
 * never by a rule, so they need not travel at all. Nothing about them goes into workflow inputs,
 * Updates, events or read models — not even a reference: a row belongs to an account (its
 * profile) or to a case of that account, found by those keys. So the Temporal history and its UI
 * hold nothing to protect (a codec would encrypt every payload and make histories unreadable
 * without a codec server, and events would still need their own encryption); and erasing a person's
 * data is deleting their rows, which an append-only, hash-chained log could never allow.
 */
export interface PersonalDataKey {
  key: Buffer;
  /** First 16 hex digits of SHA-256 over the key: stored with each value, so a wrong key is named, not guessed. */
  keyId: string;
  source: string;
}

export function parsePersonalDataKey(text: string, source: string): PersonalDataKey {
  const trimmed = text.trim();
  const hex = /^[0-9a-f]{64}$/i.test(trimmed);
  const key = hex ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32 || (!hex && key.toString('base64') !== trimmed)) {
    throw new Error(`${source} must be a 32-byte AES-256 key written in base64 (44 characters) or hex (64 digits)`);
  }
  return { key, keyId: createHash('sha256').update(key).digest('hex').slice(0, 16), source };
}

/** A new key, in base64, for PERSONAL_DATA_KEY. */
export function generatePersonalDataKey(): string {
  return randomBytes(32).toString('base64');
}

export interface StoredPersonalData {
  'id-number'?: string;
  phone?: string;
}

const additionalData = (row: { personal_data_id: string; subject_account_id: string; case_id: string | null; kind: string }) =>
  // Binds each ciphertext to its row: a value copied into another person's row or case fails to decrypt.
  Buffer.from(`${row.personal_data_id}\u0000${row.subject_account_id}\u0000${row.case_id ?? ''}\u0000${row.kind}`, 'utf8');

/** Binds an objector's contact to its reference: copied under another reference, it fails to decrypt. */
const objectionAdditionalData = (contactRef: string) => Buffer.from(`objection-contact\u0000${contactRef}`, 'utf8');

export class PersonalDataVault {
  constructor(
    private readonly db: Db,
    private readonly key: PersonalDataKey,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get keyId(): string {
    return this.key.keyId;
  }

  private seal(row: { personal_data_id: string; subject_account_id: string; case_id: string | null; kind: PersonalDataKind }, value: string) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key.key, iv);
    cipher.setAAD(additionalData(row));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return { ...row, key_id: this.key.keyId, iv, ciphertext, auth_tag: cipher.getAuthTag(), created_at: this.clock() };
  }

  private open(row: { personal_data_id: string; subject_account_id: string; case_id: string | null; kind: string; key_id: string; iv: Buffer; ciphertext: Buffer; auth_tag: Buffer }): string {
    if (row.key_id !== this.key.keyId) {
      throw new Error(`personal data ${row.personal_data_id} was encrypted with key ${row.key_id}; the configured PERSONAL_DATA_KEY is ${this.key.keyId}`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key.key, row.iv);
    decipher.setAAD(additionalData(row));
    decipher.setAuthTag(row.auth_tag);
    return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
  }

  /** Sets (replaces) a value of the account's profile. */
  async putProfile(subjectAccountId: string, kind: PersonalDataKind, value: string): Promise<void> {
    const row = this.seal({ personal_data_id: randomUUID(), subject_account_id: subjectAccountId, case_id: null, kind }, value);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('personal_data').where('subject_account_id', '=', subjectAccountId).where('case_id', 'is', null).where('kind', '=', kind).execute();
      await trx.insertInto('personal_data').values(row).execute();
    });
  }

  /** Records a value given for a case; the first one stays (a retried submission changes nothing). */
  async putForCase(subjectAccountId: string, caseId: string, kind: PersonalDataKind, value: string): Promise<void> {
    const row = this.seal({ personal_data_id: randomUUID(), subject_account_id: subjectAccountId, case_id: caseId, kind }, value);
    await this.db
      .insertInto('personal_data')
      .values(row)
      .onConflict((oc) => oc.columns(['case_id', 'kind']).where('case_id', 'is not', null).doNothing())
      .execute();
  }

  async profileOf(subjectAccountId: string): Promise<StoredPersonalData> {
    return this.read(await this.db.selectFrom('personal_data').selectAll().where('subject_account_id', '=', subjectAccountId).where('case_id', 'is', null).execute());
  }

  async forCase(caseId: string): Promise<StoredPersonalData> {
    return this.read(await this.db.selectFrom('personal_data').selectAll().where('case_id', '=', caseId).execute());
  }

  /**
   * Keeps the contact an objector to a 公示 left (an objector needs no account): sealed to its
   * reference, which the objection's event keeps instead of the contact itself.
   */
  async putObjectionContact(contactRef: string, value: string): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key.key, iv);
    cipher.setAAD(objectionAdditionalData(contactRef));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    await this.db
      .insertInto('objection_contacts')
      .values({ contact_ref: contactRef, key_id: this.key.keyId, iv, ciphertext, auth_tag: cipher.getAuthTag(), created_at: this.clock() })
      .onConflict((oc) => oc.column('contact_ref').doNothing())
      .execute();
  }

  /** The contact an objector left, for the officials answering the objection; undefined once erased. */
  async objectionContact(contactRef: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('objection_contacts').selectAll().where('contact_ref', '=', contactRef).executeTakeFirst();
    if (!row) return undefined;
    if (row.key_id !== this.key.keyId) throw new Error(`objection contact ${contactRef} was encrypted with key ${row.key_id}; the configured PERSONAL_DATA_KEY is ${this.key.keyId}`);
    const decipher = createDecipheriv('aes-256-gcm', this.key.key, row.iv);
    decipher.setAAD(objectionAdditionalData(contactRef));
    decipher.setAuthTag(row.auth_tag);
    return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
  }

  /** Erases every value of a person (profile and cases); the case records keep everything else. */
  async eraseSubject(subjectAccountId: string): Promise<number> {
    const result = await this.db.deleteFrom('personal_data').where('subject_account_id', '=', subjectAccountId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private read(rows: Parameters<PersonalDataVault['open']>[0][]): StoredPersonalData {
    const values: StoredPersonalData = {};
    for (const row of rows) values[row.kind as PersonalDataKind] = this.open(row);
    return values;
  }
}
