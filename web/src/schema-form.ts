import { money, numberText, parseYuan, yuanInput, yuanProblem } from './format.js';

/**
 * From an action's body schema (z.toJSONSchema of the API's zod body) and the values the case
 * prefills, to the fields of its form, and from what people typed back to the body. Pure, so that
 * the mapping is tested without a browser (test/web/schema-form.test.ts); forms.ts draws the fields.
 */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  /** `fen` on money: shown and typed in yuan, sent in fen. */
  unit?: string;
  /** `documents` on a list of document references (cases/fields.ts documentReferences): a file picker that uploads. */
  widget?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  /** Asked only while the named money field is below this many fen (the reasons for a cut): the case's own limit. */
  requiredBelow?: { field: string; fen: number };
  /** Asked only while the named choice has this value (the amount a cut comes to, once 调低 is chosen). */
  requiredWhen?: { field: string; equals: string };
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
}

export type FieldKind = 'text' | 'textarea' | 'date' | 'money' | 'integer' | 'number' | 'lines' | 'select' | 'checkbox' | 'documents';

/** One control of the form; `name` is the body's property path (`notes`, `filing.title`, `responses.0`). */
export interface PlannedField {
  kind: FieldKind;
  name: string;
  label: string;
  hint?: string;
  required: boolean;
  /** The control's initial text ('true'/'false' for a checkbox, yuan for money). */
  value: string;
  options?: { value: string; label: string }[];
  minimum?: number;
  maximum?: number;
  requiredBelow?: { field: string; fen: number };
  requiredWhen?: { field: string; equals: string };
  /** A row of an array of objects: the prefilled row, whose `edit` property this control fills in. */
  row?: { array: string; index: number; fixed: Record<string, unknown>; edit: string };
}

/** Where a body property reads its value from: the form's control of that name. */
export type ReadControl = (name: string) => string | boolean;

export interface FieldIssue {
  field: string;
  message: string;
}

/** Texts that may be longer than this are written in a textarea rather than on one line. */
const LONG_TEXT = 500;
/** zod's z.int() states the safe-integer range: not a limit anyone should be told about. */
const SAFE = Number.MAX_SAFE_INTEGER;

export function planFields(schema: JsonSchema, prefill: Record<string, unknown> = {}, options: { today: string }): PlannedField[] {
  const root = resolve(schema, schema);
  return objectFields(schema, root, prefill, '', options.today);
}

function objectFields(root: JsonSchema, object: JsonSchema, values: Record<string, unknown>, prefix: string, today: string): PlannedField[] {
  const requiredKeys = new Set(object.required ?? []);
  const fields: PlannedField[] = [];
  for (const [key, raw] of Object.entries(object.properties ?? {})) {
    const { schema: property, nullable } = unwrap(root, raw);
    const name = `${prefix}${key}`;
    const value = values[key] ?? property.default ?? raw.default;
    // A property with a default is optional to whoever sends the body, whatever the output schema says.
    const isRequired = requiredKeys.has(key) && !nullable && property.default === undefined && raw.default === undefined;
    const title = raw.title ?? property.title ?? key;
    const hint = raw.description ?? property.description;
    const kind = kindOf(key, property);
    if (kind === 'object') {
      fields.push(...objectFields(root, property, isRecord(value) ? value : {}, `${name}.`, today));
      continue;
    }
    if (kind === 'rows') {
      fields.push(...rowFields(root, property, Array.isArray(value) ? value : [], name, hint));
      continue;
    }
    // An unticked box is an answer (false), never a missing one.
    const required = kind !== 'checkbox' && isRequired;
    fields.push({
      kind,
      name,
      // A field asked only below an amount says so in its title (核减金额时必填), not 可选.
      label: decorate(title, { money: kind === 'money', optional: !required && kind !== 'checkbox' && !property.requiredBelow && !property.requiredWhen }),
      ...(hintOf(kind, property, hint) ? { hint: hintOf(kind, property, hint)! } : {}),
      required,
      value: initialText(kind, value, required, today),
      ...(kind === 'select' ? { options: optionsOf(property, required) } : {}),
      ...(property.minimum !== undefined ? { minimum: property.minimum } : property.exclusiveMinimum !== undefined ? { minimum: property.exclusiveMinimum } : {}),
      ...(property.maximum !== undefined && Math.abs(property.maximum) < SAFE ? { maximum: property.maximum } : {}),
      ...(property.requiredBelow ? { requiredBelow: property.requiredBelow } : {}),
      ...(property.requiredWhen ? { requiredWhen: property.requiredWhen } : {}),
    });
  }
  return fields;
}

/** An array of objects is answered row by row, one row per prefilled element (the items of a 补正 request). */
function rowFields(root: JsonSchema, array: JsonSchema, rows: unknown[], name: string, hint: string | undefined): PlannedField[] {
  const item = resolve(root, array.items ?? {});
  const properties = Object.keys(item.properties ?? {});
  return rows.filter(isRecord).flatMap((row, index) => {
    // What the case filled in names the row; what it left empty is what the person answers.
    const fixed = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    const open = properties.filter((p) => !(p in fixed));
    // A row's files are beside its answer: the answer alone keeps the row's name and label.
    const typed = open.filter((p) => !isDocuments(resolve(root, item.properties![p]!)));
    const label = Object.values(fixed).map(String).join('：') || `第 ${index + 1} 项`;
    return open.map((edit) => {
      const property = resolve(root, item.properties![edit]!);
      if (isDocuments(property)) {
        return { kind: 'documents' as const, name: `${name}.${index}.${edit}`, label: `${label} · ${property.title ?? edit}`, ...(property.description ? { hint: property.description } : {}), required: false, value: '', row: { array: name, index, fixed, edit } };
      }
      const required = (item.required ?? []).includes(edit) && property.default === undefined;
      const kind: FieldKind = (property.maxLength ?? 0) > LONG_TEXT || property.maxLength === undefined ? 'textarea' : 'text';
      return {
        kind,
        // One control per row keeps the row's path: the API's issue responses.1.response lands on responses.1.
        name: typed.length === 1 ? `${name}.${index}` : `${name}.${index}.${edit}`,
        label: typed.length === 1 ? label : `${label} · ${property.title ?? edit}`,
        ...((property.description ?? hint) ? { hint: (property.description ?? hint)! } : {}),
        required,
        value: '',
        row: { array: name, index, fixed, edit },
      };
    });
  });
}

type Kind = FieldKind | 'object' | 'rows';

/** A list of uploaded documents: chosen and uploaded in the browser, sent as [{ documentId }]. */
const isDocuments = (s: JsonSchema) => s.widget === 'documents';

function kindOf(key: string, s: JsonSchema): Kind {
  const type = typeOf(s);
  if (s.unit === 'fen') return 'money';
  if (isDocuments(s)) return 'documents';
  if (s.enum || s.oneOf?.every((o) => o.const !== undefined)) return 'select';
  if (type === 'boolean') return 'checkbox';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (type === 'object' || s.properties) return 'object';
  if (type === 'array') return typeOf(s.items ?? {}) === 'object' || s.items?.properties ? 'rows' : 'lines';
  if (isDate(key, s)) return 'date';
  return (s.maxLength ?? 0) > LONG_TEXT ? 'textarea' : 'text';
}

/** Dates are strings written YYYY-MM-DD; a schema whose zod type transforms loses its pattern in the output schema, hence the name. */
function isDate(key: string, s: JsonSchema): boolean {
  if (s.format === 'date') return true;
  if (s.pattern && /\(0\[1-9\]\|1\[0-2\]\)|\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(s.pattern)) return true;
  return (typeOf(s) === 'string' || typeOf(s) === undefined) && /(On|Date)$/.test(key);
}

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  return s.type;
}

/** `x | null` and `$ref`s, to the schema that says what to enter. */
function unwrap(root: JsonSchema, s: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const resolved = resolve(root, s);
  const branches = resolved.anyOf ?? (resolved.oneOf?.some((o) => o.type === 'null') ? resolved.oneOf : undefined);
  if (branches) {
    const real = branches.filter((b) => b.type !== 'null');
    if (real.length === 1) return { schema: { ...resolve(root, real[0]!), title: resolved.title ?? real[0]!.title, description: resolved.description ?? real[0]!.description }, nullable: real.length < branches.length };
  }
  return { schema: resolved, nullable: Array.isArray(resolved.type) && resolved.type.includes('null') };
}

function resolve(root: JsonSchema, s: JsonSchema): JsonSchema {
  if (!s.$ref) return s;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(s.$ref);
  const target = match ? (match[1] === '$defs' ? root.$defs : root.definitions)?.[decodeURIComponent(match[2]!)] : s.$ref === '#' ? root : undefined;
  return target ? { ...resolve(root, target), ...(s.title ? { title: s.title } : {}), ...(s.description ? { description: s.description } : {}) } : s;
}

/** 核定金额 → 核定金额（元）; 审查意见 → 审查意见（可选）; a title that already says so is left alone. */
export function decorate(title: string, options: { money: boolean; optional: boolean }): string {
  const notes = [...(options.money && !title.includes('元') ? ['元'] : []), ...(options.optional && !title.includes('可选') ? ['可选'] : [])];
  if (notes.length === 0) return title;
  if (title.endsWith('）')) return `${title.slice(0, -1)}，${notes.join('，')}）`;
  return `${title}（${notes.join('，')}）`;
}

function hintOf(kind: FieldKind, s: JsonSchema, description: string | undefined): string | undefined {
  if (description) return description;
  if (kind === 'lines') return '每行一项';
  if (kind === 'integer' && s.minimum !== undefined && s.maximum !== undefined && s.maximum < SAFE) return `${s.minimum} 到 ${s.maximum} 的整数`;
  return undefined;
}

function initialText(kind: FieldKind, value: unknown, required: boolean, today: string): string {
  if (kind === 'checkbox') return String(value === true);
  if (value === undefined || value === null) return kind === 'date' && required ? today : '';
  if (kind === 'money') return typeof value === 'number' && Number.isInteger(value) ? yuanInput(value) : '';
  if (kind === 'lines') return Array.isArray(value) ? value.map(String).join('\n') : String(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function optionsOf(s: JsonSchema, required: boolean): { value: string; label: string }[] {
  const labels = (s as { enumLabels?: Record<string, string> }).enumLabels ?? {};
  const choices = s.enum ? s.enum.map((v) => ({ value: String(v), label: labels[String(v)] ?? String(v) })) : (s.oneOf ?? []).map((o) => ({ value: String(o.const), label: o.title ?? String(o.const) }));
  return required ? choices : [{ value: '', label: '—' }, ...choices];
}

const lines = (text: string) =>
  text
    .split(/\n+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The body the form's controls say, or the issues to show before anything is sent. */
export function bodyOf(fields: readonly PlannedField[], read: ReadControl): { body: Record<string, unknown>; issues: FieldIssue[] } {
  const body: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const f of fields) {
    const raw = read(f.name);
    if (f.kind === 'checkbox') {
      setPath(body, f.name, raw === true);
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (f.kind === 'documents') {
      // The picker keeps the uploaded documents' ids as JSON; none chosen is no property at all.
      const ids = documentIdsOf(text);
      if (f.row) {
        const rows = (body[f.row.array] ??= []) as Record<string, unknown>[];
        rows[f.row.index] = { ...f.row.fixed, ...rows[f.row.index], ...(ids.length ? { [f.row.edit]: ids.map((documentId) => ({ documentId })) } : {}) };
      } else if (ids.length) setPath(body, f.name, ids.map((documentId) => ({ documentId })));
      const problem = documentsProblem(text);
      if (problem) issues.push({ field: f.name, message: problem });
      else if (f.required && ids.length === 0) issues.push({ field: f.name, message: '请上传文件' });
      continue;
    }
    if (f.row) {
      if (text === '' && f.required) issues.push({ field: f.name, message: `请就“${f.label}”填写答复` });
      const rows = (body[f.row.array] ??= []) as Record<string, unknown>[];
      rows[f.row.index] = { ...f.row.fixed, ...rows[f.row.index], [f.row.edit]: text };
      continue;
    }
    if (text === '') {
      if (f.required) issues.push({ field: f.name, message: blankMessage(f) });
      continue;
    }
    const parsed = parse(f, text);
    if ('issue' in parsed) issues.push({ field: f.name, message: parsed.issue });
    else setPath(body, f.name, parsed.value);
  }
  // A field asked only while an amount is below the case's (the reasons for a cut), said before anything is sent.
  for (const f of fields) {
    const below = f.requiredBelow;
    const amount = below ? body[below.field] : undefined;
    if (!below || typeof amount !== 'number' || amount >= below.fen || issues.some((i) => i.field === below.field)) continue;
    const text = read(f.name);
    if (typeof text === 'string' && text.trim() !== '') continue;
    const other = fields.find((o) => o.name === below.field);
    issues.push({ field: f.name, message: `${other ? bareLabel(other.label) : '金额'}少于 ${money(below.fen)}时，请填写${bareLabel(f.label)}` });
  }
  // A field asked only with one choice (the amount a cut comes to, with 调低), said before anything is sent.
  for (const f of fields) {
    const when = f.requiredWhen;
    if (!when || read(when.field) !== when.equals || issues.some((i) => i.field === f.name)) continue;
    const text = read(f.name);
    if (typeof text === 'string' && text.trim() !== '') continue;
    const choice = fields.find((o) => o.name === when.field)?.options?.find((o) => o.value === when.equals)?.label ?? when.equals;
    issues.push({ field: f.name, message: `${choice}时，请填写${bareLabel(f.label)}` });
  }
  return { body, issues };
}

/** A required field left empty, named: 请填写核定金额, 请选择审查结论. */
export function blankMessage(f: Pick<PlannedField, 'kind' | 'label'>): string {
  const name = bareLabel(f.label);
  return f.kind === 'select' ? `请选择${name}` : `请填写${name}`;
}

/** 核定金额（元） → 核定金额: the field's name without what decorate() added. */
export const bareLabel = (label: string) => label.replace(/（[^（）]*）$/, '').trim() || label;

function parse(f: PlannedField, text: string): { value: unknown } | { issue: string } {
  switch (f.kind) {
    case 'money': {
      const fen = parseYuan(text);
      if (fen === undefined || fen <= 0) return { issue: yuanProblem(text, '360000 或 13888.89') ?? '金额须大于 0' };
      if (f.maximum !== undefined && fen > f.maximum) return { issue: `不能超过 ${money(f.maximum)}` };
      return { value: fen };
    }
    case 'integer': {
      // Full-width digits and commas as a Chinese keyboard types them, as in the money fields.
      const typed = numberText(text);
      const n = Number(typed);
      const issue = f.minimum !== undefined && f.maximum !== undefined ? `请填写 ${f.minimum} 到 ${f.maximum} 的整数` : '请填写整数';
      if (!/^-?\d{1,15}$/.test(typed) || (f.minimum !== undefined && n < f.minimum) || (f.maximum !== undefined && n > f.maximum)) return { issue };
      return { value: n };
    }
    case 'number': {
      const typed = numberText(text);
      if (!/^-?\d{1,15}(\.\d+)?$/.test(typed)) return { issue: '请填写数字，例如 2.5' };
      return { value: Number(typed) };
    }
    case 'lines':
      return { value: lines(text) };
    default:
      return { value: text };
  }
}

/**
 * What a document picker holds: a JSON list of the uploaded documents' ids, or, while a file is still
 * uploading or was refused, `{ ids, uploading, refused }` (anything else reads as none).
 */
function pickerStateOf(text: string): { ids: string[]; uploading: number; refused: number } {
  const none = { ids: [], uploading: 0, refused: 0 };
  if (!text) return none;
  try {
    const parsed = JSON.parse(text) as unknown;
    const list = Array.isArray(parsed) ? parsed : typeof parsed === 'object' && parsed !== null ? (parsed as { ids?: unknown }).ids : undefined;
    const ids = Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
    const count = (key: 'uploading' | 'refused') => (Array.isArray(parsed) ? 0 : Number((parsed as Record<string, unknown>)[key]) || 0);
    return { ids, uploading: count('uploading'), refused: count('refused') };
  } catch {
    return none;
  }
}

/** The ids a document picker holds. */
export const documentIdsOf = (text: string): string[] => pickerStateOf(text).ids;

/**
 * Why the files of a picker cannot be sent yet: one still uploading, or one the server refused and
 * still listed. An outside tester's 补正 went in as “见附件” without the file the form had refused.
 */
export function documentsProblem(text: string): string | undefined {
  const { uploading, refused } = pickerStateOf(text);
  if (refused > 0) return `有 ${refused} 个文件没有上传成功（见下方原因）：请移除它，或换一个文件上传后再提交`;
  if (uploading > 0) return '文件仍在上传，请等上传完成后再提交';
  return undefined;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
