/**
 * The titles of the events whose case types did not declare them (those recorded before issue 11),
 * as the timeline shows them: one list for the web's timelines (web/src/events-text.ts) and the
 * auditors' spreadsheet (audit/case-bundle.ts). A case type declares the titles of its later events
 * itself (its module's eventLabels); where both name one, this list's title is the one shown.
 */
export const EVENT_TITLES: Readonly<Record<string, string>> = {
  LoanApplicationSubmitted: '提交借款申请',
  SupplementRequested: '要求补正材料',
  SupplementReplyRecomputed: '按节假日安排重新确定补正期限',
  SupplementProvided: '提交补正材料',
  MaterialsAccepted: '材料审查通过',
  ApplicationWithdrawn: '申请撤回',
  ComplianceReviewPassed: '网信内容合规审查通过',
  ComplianceReviewFailed: '网信内容合规审查未通过',
  FundingApproved: '评审决策：同意资助',
  FundingRejected: '评审决策：不予资助',
  LoanDisbursed: '放款',
  RepaymentRecorded: '登记还款',
  RepaymentDeclared: '借款人报告已还款',
  RepaymentDeclarationWithdrawn: '借款人撤回还款申报',
  RepaymentDeclarationRejected: '基金退回还款申报',
  FundingCancelled: '撤销资助决定',
  InstalmentOverdue: '还款逾期',
  RepaymentReminderSent: '发送还款提醒',
  InstalmentDelinquent: '列为严重逾期',
  LoanRepaid: '借款全部还清',
  InstalmentDueDatesRecomputed: '节假日安排公布，重新确定应还日期',
  FilingSubmitted: '提交备案',
  FilingClaimed: '认领审查',
  FilingClaimReleased: '交回待认领',
  FilingApproved: '备案通过',
  FilingReturnedForRevision: '退回修改',
  FilingRejected: '不予备案',
  FilingResubmitted: '修改后重新提交',
  ReviewReminderSent: '审查到期提醒',
  ReviewSlaBreached: '审查超期',
  FilingEscalated: '上报分管领导',
  DeadlineRecomputed: '重新计算反馈期限',
  ApplicationSubmitted: '提交申请',
  MaterialsDeemedComplete: '材料审查期满，视为齐全',
  CompletenessWindowRecomputed: '重新计算材料审查期限',
  ApplicationScored: '评审打分',
  ApplicationApproved: '决定给予支持',
  ApplicationRejected: '决定不予支持',
  AwardGranted: '登记奖补',
  PayoutIssued: '发放',
  RentWaiverYearStarted: '房租减免年度开始',
  VouchersIssued: '发放直播券',
  LeftYangpuReported: '申请人报告迁离杨浦',
  LeftYangpuRecorded: '主管部门登记迁离杨浦',
  PayoutsStopped: '停止发放',
  ApplicationCompleted: '办结',
  CaseRated: '好差评',
  FollowUpTaskOpened: '差评转分管领导跟进',
  FollowUpTaskClosed: '差评跟进办结',
};

/** An event's title: this list's, else the one its case type declares, else its type as recorded. */
export function eventTitleOf(type: string, declared?: Readonly<Record<string, string>>): string {
  return EVENT_TITLES[type] ?? declared?.[type] ?? type;
}
