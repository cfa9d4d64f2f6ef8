import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fen, localDate, optionalText, reasons, text } from '../../cases/fields.js';
import { bodyOf, decorate, planFields, type JsonSchema, type PlannedField } from '../../web/src/schema-form.js';

/**
 * The web UI builds every case action's form from the body schema the API sends (z.toJSONSchema of
 * the action's zod body). These bodies are written the way case modules declare theirs, and run
 * through zod in both directions, since what the API sends depends on that choice.
 */
const TODAY = '2026-12-02';
const schemaOf = (body: z.ZodObject, io: 'input' | 'output') => z.toJSONSchema(body, { io, unrepresentable: 'any' }) as JsonSchema;
const plan = (body: z.ZodObject, prefill: Record<string, unknown> = {}, io: 'input' | 'output' = 'input') => planFields(schemaOf(body, io), prefill, { today: TODAY });
const byName = (fields: PlannedField[]) => Object.fromEntries(fields.map((f) => [f.name, f]));
/** What a person typed, by control name; untouched controls keep their initial text. */
const typed = (fields: PlannedField[], values: Record<string, string | boolean> = {}) => (name: string) =>
  values[name] ?? (fields.find((f) => f.name === name)!.kind === 'checkbox' ? fields.find((f) => f.name === name)!.value === 'true' : fields.find((f) => f.name === name)!.value);

const approveFunding = z.strictObject({
  approvedAmountFen: fen.meta({ title: '核定金额', description: '不超过申请金额', unit: 'fen' }),
  notes: optionalText(2000).meta({ title: '决策意见' }),
});

describe.each(['input', 'output'] as const)('a body schema (zod io: %s) becomes a form and back', (io) => {
  it('money: shown and typed in yuan, sent in fen; optional text is labelled so and left out when empty', () => {
    const fields = plan(approveFunding, { approvedAmountFen: 40_000_000 }, io);
    expect(fields.map((f) => [f.name, f.kind, f.label, f.required, f.value])).toEqual([
      ['approvedAmountFen', 'money', '核定金额（元）', true, '400000.00'],
      ['notes', 'textarea', '决策意见（可选）', false, ''],
    ]);
    expect(fields[0]!.hint).toBe('不超过申请金额');
    expect(bodyOf(fields, typed(fields, { approvedAmountFen: '360,000' }))).toEqual({ body: { approvedAmountFen: 36_000_000 }, issues: [] });
    expect(bodyOf(fields, typed(fields, { approvedAmountFen: '13888.89', notes: ' 核定 ' })).body).toEqual({ approvedAmountFen: 1_388_889, notes: '核定' });
    // What is wrong with a figure is said: a third decimal, a sign, a letter, zero.
    expect(bodyOf(fields, typed(fields, { approvedAmountFen: '12.345' })).issues).toEqual([{ field: 'approvedAmountFen', message: '金额最多两位小数（精确到分）' }]);
    expect(bodyOf(fields, typed(fields, { approvedAmountFen: '-5' })).issues).toEqual([{ field: 'approvedAmountFen', message: '金额须大于 0' }]);
    expect(bodyOf(fields, typed(fields, { approvedAmountFen: '1e5' })).issues).toEqual([{ field: 'approvedAmountFen', message: '金额只能用数字填写，例如 360000 或 13888.89' }]);
    expect(bodyOf(fields, typed(fields, { approvedAmountFen: '0' })).issues).toEqual([{ field: 'approvedAmountFen', message: '金额须大于 0' }]);
    expect(bodyOf(fields, typed(fields, { approvedAmountFen: '' })).issues).toEqual([{ field: 'approvedAmountFen', message: '请填写核定金额' }]);
  });

  it('a list of strings is a textarea, one item a line; a required date starts at today', () => {
    const body = z.strictObject({
      missingItems: z.array(text(200)).min(1).meta({ title: '需补正的材料', description: '每行一项，例如：营业执照副本' }),
      disbursedOn: localDate.meta({ title: '放款日期' }),
      leftOn: localDate.optional().meta({ title: '迁离日期' }),
      bankReference: text(100).meta({ title: '银行流水号' }),
      reasons: reasons.meta({ title: '理由' }),
    });
    const fields = byName(plan(body, {}, io));
    expect(fields.missingItems).toMatchObject({ kind: 'lines', label: '需补正的材料', required: true, hint: '每行一项，例如：营业执照副本' });
    expect(fields.disbursedOn).toMatchObject({ kind: 'date', label: '放款日期', required: true, value: TODAY });
    expect(fields.leftOn).toMatchObject({ kind: 'date', label: '迁离日期（可选）', required: false, value: '' });
    expect(fields.bankReference).toMatchObject({ kind: 'text', required: true });
    const all = Object.values(fields);
    expect(bodyOf(all, typed(all, { missingItems: '营业执照副本\n\n 项目预算表 \n', bankReference: 'BOC-0001', reasons: '预算不清' })).body).toEqual({
      missingItems: ['营业执照副本', '项目预算表'],
      disbursedOn: TODAY,
      bankReference: 'BOC-0001',
      reasons: ['预算不清'],
    });
  });

  it('an array of objects is answered row by row: each prefilled item names its row, the answer is typed', () => {
    const body = z.strictObject({
      responses: z.array(z.strictObject({ item: text(200), response: text(2000).meta({ title: '答复', description: '填写说明或材料的文件名' }) })).min(1).meta({ title: '补正答复' }),
    });
    const fields = plan(body, { responses: [{ item: '营业执照副本' }, { item: '项目预算表', response: '' }] }, io);
    expect(fields.map((f) => [f.name, f.label, f.kind, f.required, f.hint])).toEqual([
      ['responses.0', '营业执照副本', 'textarea', true, '填写说明或材料的文件名'],
      ['responses.1', '项目预算表', 'textarea', true, '填写说明或材料的文件名'],
    ]);
    expect(bodyOf(fields, typed(fields, { 'responses.0': 'license.pdf', 'responses.1': 'budget.xlsx' })).body).toEqual({
      responses: [
        { item: '营业执照副本', response: 'license.pdf' },
        { item: '项目预算表', response: 'budget.xlsx' },
      ],
    });
    expect(bodyOf(fields, typed(fields, { 'responses.0': 'license.pdf' })).issues).toEqual([{ field: 'responses.1', message: '请就“项目预算表”填写答复' }]);
  });

  it('nested objects, numbers, booleans and enums: the filing a producer resubmits', () => {
    const body = z.strictObject({
      filing: z.strictObject({
        title: text(100).meta({ title: '剧名' }),
        episodeCount: z.int().min(1).max(500).meta({ title: '集数' }),
        episodeLengthMinutes: z.number().positive().meta({ title: '单集时长（分钟）' }),
        aiGenerated: z.boolean().meta({ title: '使用生成式人工智能制作' }),
        platform: z.enum(['douyin', 'kuaishou']).meta({ title: '播出平台' }),
      }),
      changeNote: optionalText(1000).meta({ title: '修改说明' }),
    });
    const prefill = { filing: { title: '弄堂里的AI', episodeCount: 24, episodeLengthMinutes: 2.5, aiGenerated: true, platform: 'kuaishou' } };
    const fields = plan(body, prefill, io);
    expect(fields.map((f) => [f.name, f.kind, f.label, f.value])).toEqual([
      ['filing.title', 'text', '剧名', '弄堂里的AI'],
      ['filing.episodeCount', 'integer', '集数', '24'],
      ['filing.episodeLengthMinutes', 'number', '单集时长（分钟）', '2.5'],
      ['filing.aiGenerated', 'checkbox', '使用生成式人工智能制作', 'true'],
      ['filing.platform', 'select', '播出平台', 'kuaishou'],
      ['changeNote', 'textarea', '修改说明（可选）', ''],
    ]);
    expect(byName(fields)['filing.aiGenerated']!.required).toBe(false);
    expect(byName(fields)['filing.platform']!.options).toEqual([
      { value: 'douyin', label: 'douyin' },
      { value: 'kuaishou', label: 'kuaishou' },
    ]);
    expect(bodyOf(fields, typed(fields, { 'filing.aiGenerated': false, changeNote: '改了结局' })).body).toEqual({
      filing: { ...prefill.filing, aiGenerated: false },
      changeNote: '改了结局',
    });
    expect(bodyOf(fields, typed(fields, { 'filing.episodeCount': '2.5', 'filing.episodeLengthMinutes': 'two' })).issues).toEqual([
      { field: 'filing.episodeCount', message: '请填写 1 到 500 的整数' },
      { field: 'filing.episodeLengthMinutes', message: '请填写数字，例如 2.5' },
    ]);
    // Full-width digits and points as a Chinese keyboard types them, as the money fields take them.
    expect(bodyOf(fields, typed(fields, { 'filing.episodeCount': '８０', 'filing.episodeLengthMinutes': '２．５' })).body).toMatchObject({ filing: { episodeCount: 80, episodeLengthMinutes: 2.5 } });
  });
});

describe('labels', () => {
  it('say 元 for money and 可选 for what may be left empty, once', () => {
    expect(decorate('核定金额', { money: true, optional: false })).toBe('核定金额（元）');
    expect(decorate('核定金额', { money: true, optional: true })).toBe('核定金额（元，可选）');
    expect(decorate('核定金额（元）', { money: true, optional: true })).toBe('核定金额（元，可选）');
    expect(decorate('审查意见（可选）', { money: false, optional: true })).toBe('审查意见（可选）');
    expect(decorate('剧名', { money: false, optional: false })).toBe('剧名');
  });
});
