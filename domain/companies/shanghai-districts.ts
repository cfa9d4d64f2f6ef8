/**
 * Shanghai's 16 districts, each with its 行政区划代码 (GB/T 2260, as the 民政部 publishes it; checked
 * against the 2025 list). A district is written many ways (上海市杨浦区, 杨浦, 杨浦区): the edge takes
 * any of them and keeps the district's full name, which is what the rules compare.
 */
export const SHANGHAI_DISTRICTS = [
  { name: '黄浦区', code: '310101' },
  { name: '徐汇区', code: '310104' },
  { name: '长宁区', code: '310105' },
  { name: '静安区', code: '310106' },
  { name: '普陀区', code: '310107' },
  { name: '虹口区', code: '310109' },
  { name: '杨浦区', code: '310110' },
  { name: '闵行区', code: '310112' },
  { name: '宝山区', code: '310113' },
  { name: '嘉定区', code: '310114' },
  { name: '浦东新区', code: '310115' },
  { name: '金山区', code: '310116' },
  { name: '松江区', code: '310117' },
  { name: '青浦区', code: '310118' },
  { name: '奉贤区', code: '310120' },
  { name: '崇明区', code: '310151' },
] as const;

export type ShanghaiDistrict = (typeof SHANGHAI_DISTRICTS)[number]['name'];

export const SHANGHAI_DISTRICT_NAMES: readonly ShanghaiDistrict[] = SHANGHAI_DISTRICTS.map((d) => d.name);

/** What a field asks for when its value is none of the 16. */
export const NOT_A_SHANGHAI_DISTRICT = '请选择上海市的区，例如 杨浦区';

/** The name without 上海(市) before it and 区 / 新区 after it: 杨浦, 浦东. */
const SHORT_NAMES: ReadonlyMap<string, ShanghaiDistrict> = new Map(SHANGHAI_DISTRICTS.map((d) => [d.name.replace(/新?区$/, ''), d.name]));

/**
 * The district a text names (上海市杨浦区, 上海杨浦区, 杨浦区, 杨浦, with full-width or stray spaces),
 * or undefined when it names none of Shanghai's 16 districts.
 */
export function shanghaiDistrictNamed(text: string): ShanghaiDistrict | undefined {
  const bare = text.normalize('NFKC').replace(/\s+/g, '').replace(/^上海市?/, '');
  return SHORT_NAMES.get(bare.replace(/新?区$/, ''));
}

/**
 * Codes that stood for a district before it was merged or renamed, which codes issued then still
 * carry: 闸北区 (310108) merged into 静安区 in 2015; 崇明县 (310230) became 崇明区 in 2016; 卢湾区
 * (310103) merged into 黄浦区 in 2011; 南汇区 (310119) into 浦东新区 in 2009.
 */
const FORMER_CODES: Readonly<Record<string, ShanghaiDistrict>> = { '310108': '静安区', '310230': '崇明区', '310103': '黄浦区', '310119': '浦东新区' };

/** Registered by the city's own authority (上海市市场监督管理局): the code names no district. */
const SHANGHAI_CITY_CODE = '310000';

/**
 * Who registered a company, by characters 3–8 of its 统一社会信用代码 (GB 32100-2015: the registering
 * authority's 行政区划码). That is the authority's district, which is normally, not always, the
 * company's own: a company that moved keeps its code, and one registered by the city (310000) names
 * no district. Undefined for a code too short to carry one.
 */
export function registeringAuthorityOf(creditCode: string): { kind: 'district'; district: ShanghaiDistrict } | { kind: 'shanghai-city' } | { kind: 'outside-shanghai'; divisionCode: string } | undefined {
  const division = creditCode.slice(2, 8);
  if (!/^\d{6}$/.test(division)) return undefined;
  if (division === SHANGHAI_CITY_CODE) return { kind: 'shanghai-city' };
  const district = SHANGHAI_DISTRICTS.find((d) => d.code === division)?.name ?? FORMER_CODES[division];
  return district ? { kind: 'district', district } : { kind: 'outside-shanghai', divisionCode: division };
}

/**
 * What a reviewer should look at when a company's 统一社会信用代码 was issued by another district's
 * authority than the district it says it is registered in. Not a refusal: a company may have moved
 * since, so the official checks the business licence (营业执照). Undefined when they agree, or when the
 * code says nothing of a district (registered by the city).
 */
export function creditCodeDistrictMismatch(creditCode: string, statedDistrict: string): string | undefined {
  const authority = registeringAuthorityOf(creditCode);
  if (!authority || authority.kind === 'shanghai-city') return undefined;
  if (authority.kind === 'district') {
    return authority.district === statedDistrict ? undefined : `统一社会信用代码登记机关为${authority.district}，与所填注册区（${statedDistrict}）不一致，请核实`;
  }
  return `统一社会信用代码登记机关不在上海市（行政区划码 ${authority.divisionCode}），与所填注册区（${statedDistrict}）不一致，请核实`;
}
