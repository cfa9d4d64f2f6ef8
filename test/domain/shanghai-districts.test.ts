import { describe, expect, it } from 'vitest';
import { SHANGHAI_DISTRICTS, shanghaiDistrictNamed } from '../../domain/companies/shanghai-districts.js';

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
