/**
 * What an application claims when it opens (domain/applications/one-open-application.ts): the key a
 * second application of the account is refused by, and the item as the applicant is told it.
 */
import { describe, expect, it } from 'vitest';
import { claimedItem, claimKey, secondApplicationRefusal } from '../../domain/applications/one-open-application.js';
import { applicantItemId } from '../../domain/applications/terms.js';

const ACCOUNT = 'acct-creator';

describe('the item an application claims', () => {
  it('a named item, told as the applicant typed it: the identifying facts without the ledger key’s prefix', () => {
    expect(claimedItem({ programmeId: 'xuhui-quality-works', fundedItem: 'content-item', capPeriod: 'per-award' }, { itemId: 'DRAMA-001' }, ACCOUNT)).toEqual({ key: 'DRAMA-001', shown: 'DRAMA-001' });
    // An outside tester was told 事项“content-item:沪微剧备2026-001”.
    expect(claimedItem({ programmeId: 'drama-national-selection', fundedItem: 'content-item', capPeriod: 'per-award' }, { itemId: 'content-item:沪微剧备2026-001' }, ACCOUNT)).toEqual({
      key: 'content-item:沪微剧备2026-001',
      shown: '沪微剧备2026-001',
    });
  });

  it('a once-only measure that funds the applicant claims the applicant (and the company an older account names); one capped by the year claims nothing', () => {
    const company = applicantItemId('company', 'drama-production-entity', ACCOUNT);
    expect(claimedItem({ programmeId: 'drama-production-entity', fundedItem: 'company', capPeriod: 'per-award' }, { itemId: company }, ACCOUNT)).toEqual({ key: company });
    expect(claimedItem({ programmeId: 'yangpu-rent-waiver', fundedItem: 'company', capPeriod: 'per-award' }, { itemId: applicantItemId('company', 'yangpu-rent-waiver', ACCOUNT), unifiedSocialCreditCode: '91310110MA1G8XXXXY' }, ACCOUNT)).toEqual({
      key: `${applicantItemId('company', 'yangpu-rent-waiver', ACCOUNT)}|91310110MA1G8XXXXY`,
    });
    const person = applicantItemId('person', 'huangpu-carrier-shared-services', ACCOUNT);
    expect(claimedItem({ programmeId: 'huangpu-carrier-shared-services', fundedItem: 'person', capPeriod: 'per-year' }, { itemId: person }, ACCOUNT)).toBeUndefined();
    expect(claimedItem({ programmeId: 'xuhui-quality-works', fundedItem: 'content-item', capPeriod: 'per-award' }, {}, ACCOUNT)).toBeUndefined();
  });

  it('one item however it is typed: width, case, spaces and separators aside', () => {
    // An outside tester had "drama 001" accepted beside an open "DRAMA-001".
    const spellings = ['DRAMA-001', 'drama 001', 'Drama_001', 'ＤＲＡＭＡ－００１', 'drama.001', 'DRAMA—001', 'drama001'];
    expect(new Set(spellings.map(claimKey))).toEqual(new Set(['DRAMA001']));
    expect(claimKey('沪微剧备2026-001')).toBe(claimKey('沪微剧备 2026 001'));
    expect(claimKey('W-1')).not.toBe(claimKey('W-2'));
    // Nothing but punctuation keeps its own key rather than none.
    expect(claimKey('---')).toBe('---');
  });

  it('the refusal names the first case, and the item as the applicant knows it, or the measure alone', () => {
    expect(secondApplicationRefusal('徐汇 优质短剧、获奖作品', { key: 'k', shown: 'DRAMA-001' }, { referenceNo: 'AP-2026-000003' }).message).toMatch(/^您已就徐汇 优质短剧、获奖作品的事项“DRAMA-001”提交申请（AP-2026-000003），该申请正在办理中/);
    expect(secondApplicationRefusal('稳定产能制作主体一次性奖励', { key: 'k' }, { referenceNo: 'AP-2026-000054' }).message).toMatch(/^您已申请稳定产能制作主体一次性奖励（AP-2026-000054），该申请正在办理中/);
  });
});
