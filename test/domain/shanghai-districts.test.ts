import { describe, expect, it } from 'vitest';
import { creditCodeDistrictMismatch, registeringAuthorityOf, SHANGHAI_DISTRICTS, shanghaiDistrictNamed } from '../../domain/companies/shanghai-districts.js';
import { freshCreditCode } from '../support/actors.js';

describe('a Shanghai district, however written', () => {
  it('is kept as its full name: 上海市杨浦区, 上海杨浦区, 杨浦 and 杨浦区 are 杨浦区, and likewise for each of the 16', () => {
    for (const text of ['杨浦区', '杨浦', '上海市杨浦区', '上海杨浦区', ' 杨浦区 ', '上海市 杨浦']) expect(shanghaiDistrictNamed(text), text).toBe('杨浦区');
    for (const text of ['浦东新区', '浦东', '上海市浦东新区', '浦东区']) expect(shanghaiDistrictNamed(text), text).toBe('浦东新区');
    expect(SHANGHAI_DISTRICTS).toHaveLength(16);
    for (const { name } of SHANGHAI_DISTRICTS) {
      const short = name.replace(/新?区$/, '');
      expect([shanghaiDistrictNamed(name), shanghaiDistrictNamed(short), shanghaiDistrictNamed(`上海市${name}`)]).toEqual([name, name, name]);
    }
  });

  it('is none of them for another city’s district, the city itself or nothing', () => {
    for (const text of ['', '上海市', '上海', '区', '朝阳区', '北京市海淀区', '杨浦区区', '闸北区', 'Yangpu']) expect(shanghaiDistrictNamed(text), text).toBeUndefined();
  });
});

describe('the district a 统一社会信用代码 was issued in', () => {
  it('is its registering authority’s, from characters 3–8: 310110 is 杨浦区, 310115 浦东新区, a former 闸北 code 静安区', () => {
    expect(registeringAuthorityOf(freshCreditCode('310110'))).toEqual({ kind: 'district', district: '杨浦区' });
    expect(registeringAuthorityOf(freshCreditCode('310115'))).toEqual({ kind: 'district', district: '浦东新区' });
    expect(registeringAuthorityOf(freshCreditCode('310108'))).toEqual({ kind: 'district', district: '静安区' });
    expect(registeringAuthorityOf(freshCreditCode('310000'))).toEqual({ kind: 'shanghai-city' });
    expect(registeringAuthorityOf(freshCreditCode('110105'))).toEqual({ kind: 'outside-shanghai', divisionCode: '110105' });
  });

  it('is held against the district stated: a note for the reviewer where they differ, nothing where they agree or the city registered it', () => {
    expect(creditCodeDistrictMismatch(freshCreditCode('310110'), '徐汇区')).toBe('统一社会信用代码登记机关为杨浦区，与所填注册区（徐汇区）不一致，请核实');
    expect(creditCodeDistrictMismatch(freshCreditCode('310104'), '徐汇区')).toBeUndefined();
    expect(creditCodeDistrictMismatch(freshCreditCode('310000'), '徐汇区')).toBeUndefined();
    expect(creditCodeDistrictMismatch(freshCreditCode('110105'), '徐汇区')).toBe('统一社会信用代码登记机关不在上海市（行政区划码 110105），与所填注册区（徐汇区）不一致，请核实');
  });
});
