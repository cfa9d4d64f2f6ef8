import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentReferences, supplementAnswersWithDocuments, text } from '../../cases/fields.js';
import { bodyOf, documentIdsOf, planFields, type JsonSchema, type PlannedField } from '../../web/src/schema-form.js';

/** A documents field (cases/fields.ts documentReferences) drawn from an action's body schema: a picker beside the typed answer. */
const TODAY = '2026-12-02';
const plan = (body: z.ZodObject, prefill: Record<string, unknown>, io: 'input' | 'output') => planFields(z.toJSONSchema(body, { io, unrepresentable: 'any' }) as JsonSchema, prefill, { today: TODAY });
const read = (fields: PlannedField[], values: Record<string, string>) => (name: string) => values[name] ?? fields.find((f) => f.name === name)!.value;
const A = '0b5c7e8e-4a6f-4c1e-9d2a-1f2e3d4c5b6a';
const B = '1c6d8f9f-5b7a-4d2f-8e3b-2a3b4c5d6e7f';

describe.each(['input', 'output'] as const)('documents in a form (zod io: %s)', (io) => {
  it('a 补正 row keeps its answer’s name and label; its files are a picker of their own, sent as [{ documentId }]', () => {
    const fields = plan(z.strictObject({ responses: supplementAnswersWithDocuments() }), { responses: [{ item: '营业执照副本', response: '' }, { item: '项目预算表', response: '' }] }, io);
    expect(fields.map((f) => [f.name, f.label, f.kind, f.required])).toEqual([
      ['responses.0', '营业执照副本', 'textarea', true],
      ['responses.0.documents', '营业执照副本 · 附件', 'documents', false],
      ['responses.1', '项目预算表', 'textarea', true],
      ['responses.1.documents', '项目预算表 · 附件', 'documents', false],
    ]);
    const { body, issues } = bodyOf(fields, read(fields, { 'responses.0': '见附件', 'responses.0.documents': JSON.stringify([A, B]), 'responses.1': '预算见说明' }));
    expect(issues).toEqual([]);
    expect(body).toEqual({
      responses: [
        { item: '营业执照副本', response: '见附件', documents: [{ documentId: A }, { documentId: B }] },
        { item: '项目预算表', response: '预算见说明' },
      ],
    });
  });

  it('a documents property of the body itself: none chosen is no property at all', () => {
    const fields = plan(z.strictObject({ notes: text(200), documents: documentReferences('附加材料') }), {}, io);
    expect(fields.find((f) => f.name === 'documents')).toMatchObject({ kind: 'documents', required: false });
    expect(bodyOf(fields, read(fields, { notes: '说明' })).body).toEqual({ notes: '说明' });
    expect(bodyOf(fields, read(fields, { notes: '说明', documents: JSON.stringify([A]) })).body).toEqual({ notes: '说明', documents: [{ documentId: A }] });
  });
});

it('reads a picker’s value leniently: anything but a list of ids is none', () => {
  expect(documentIdsOf('')).toEqual([]);
  expect(documentIdsOf('not json')).toEqual([]);
  expect(documentIdsOf('{"a":1}')).toEqual([]);
  expect(documentIdsOf(JSON.stringify([A, 3, B]))).toEqual([A, B]);
});
