import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * What an operator finds cases by in the Temporal UI and CLI
 * (`temporal workflow list --query "CaseType='chuying-loan' AND CaseStatus='repaying'"`).
 * The server must know each key before a workflow sets it: worker/search-attributes.ts registers them.
 */
export const caseTypeKey = defineSearchAttributeKey('CaseType', 'KEYWORD');
export const caseStatusKey = defineSearchAttributeKey('CaseStatus', 'KEYWORD');
export const referenceNoKey = defineSearchAttributeKey('ReferenceNo', 'KEYWORD');
export const departmentKey = defineSearchAttributeKey('Department', 'KEYWORD');
export const programmeIdKey = defineSearchAttributeKey('ProgrammeId', 'KEYWORD');
export const nextDeadlineKey = defineSearchAttributeKey('NextDeadline', 'DATETIME');

export const CASE_SEARCH_ATTRIBUTES = [caseTypeKey, caseStatusKey, referenceNoKey, departmentKey, programmeIdKey, nextDeadlineKey] as const;
