/**
 * The rules of the staff pages (数据看板, the audit page) that need no page to
 * run: kept free of the DOM, so the unit tests import them without a browser.
 */

/** The 雏鹰 loans' department (the programme's), and the filings' (GET /api/filings/sla answers only it and auditors). */
const LOAN_DEPARTMENT = 'yangpu-fund';
const FILING_DEPARTMENT = 'culture-tourism';

/**
 * The months from `current` back to `first` (the month of the oldest case the viewer may see),
 * newest first, with `chosen` added where it lies outside: a month before any case has nothing to
 * show, so it is not offered. No cases yet: this month alone.
 */
export function monthsWithData(current: string, first: string | undefined, chosen: string | undefined): string[] {
  const months: string[] = [];
  let [year, month] = current.split('-').map(Number) as [number, number];
  const oldest = first && first < current ? first : current;
  // Bounded all the same: an address can carry any year.
  for (let i = 0; i < 240; i++) {
    const m = `${year}-${String(month).padStart(2, '0')}`;
    months.push(m);
    if (m <= oldest) break;
    [year, month] = month === 1 ? [year - 1, 12] : [year, month - 1];
  }
  if (chosen && !months.includes(chosen)) months.push(chosen);
  return months;
}

/**
 * Which of the dashboard's sections are the viewer's business, so the page asks only for those:
 * the 雏鹰 loan book is the 杨浦区 V聚场基金's (the programme's department), the filing time limits
 * the 市文旅局's (GET /api/filings/sla answers no one else but an auditor); an auditor reads both.
 */
export function dashboardSectionsFor(account: { role: string; department: string | null } | undefined): { loanBook: boolean; filingSla: boolean } {
  if (account?.role === 'auditor') return { loanBook: true, filingSla: true };
  if (account?.role !== 'official') return { loanBook: false, filingSla: false };
  return { loanBook: account.department === LOAN_DEPARTMENT, filingSla: account.department === FILING_DEPARTMENT };
}

/**
 * What the latest signed checkpoint vouches for. `coveredVersion` is the case's version at the
 * checkpoint's position (audit/verify-store.ts): events 1 to it are under the signature; 0 means the
 * checkpoint was signed before this case's first event, so none of them is, and there is no 第 0 版 to name.
 */
export function checkpointLine(checkpoint: { checkpointNo: number; coveredVersion: number; signature: 'valid' | 'invalid' }): string {
  const signature = `签名${checkpoint.signature === 'valid' ? '有效' : '无效'}`;
  if (checkpoint.coveredVersion === 0) return `已签名检查点 #${checkpoint.checkpointNo} 签名时本案尚无记录，本案的事件都在其后，目前只由哈希链保护（${signature}）`;
  const range = checkpoint.coveredVersion === 1 ? '第 1 版' : `第 1 至第 ${checkpoint.coveredVersion} 版`;
  return `已签名检查点 #${checkpoint.checkpointNo} 覆盖本案${range}（${signature}）`;
}
