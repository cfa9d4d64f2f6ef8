import { validationError, type FieldIssue } from '../errors.js';
import { factLabel, factSourceOf, NOT_CLAIMS, ORGANISATION_KINDS, type FactLookup } from '../programmes/fact-sources.js';
import type { ApplicationFacts, FactName } from '../programmes/programme.js';
import { compareDates, type LocalDate } from '../time/local-date.js';
import { holdsOn, REGISTERS, type RegisterEntry, type RegisterKind } from './registers.js';

/** Where one fact of a case came from, as its opening event records it. */
export type FactSource =
  | {
      source: 'register';
      /** A department's register, or the 微短剧 filings the system itself keeps (a 备案号 answered by its filing: its 备案编号 is the entry). */
      register: RegisterKind | 'drama-filings';
      /** The entry that answered; null when the register holds none (the answer is then "no"). */
      entryId: string | null;
      /** The day the register was read as of. */
      asOf: LocalDate;
      /** What the look-up was keyed on (a 统一社会信用代码, a venue, a month), for the case page. */
      key: string;
      /** The entry in words ("V聚场：某某公司，2026-01-01 起"), or why there is none. */
      describe: string;
    }
  | { source: 'claimed' };

/** Who applies, and what the registers are keyed on beside the facts themselves. */
export interface FactKeys {
  applicantAccountId: string;
  /** The applicant's 统一社会信用代码, where it has one. */
  creditCode?: string;
  /** The live-streaming venue the application names. */
  venue?: string;
}

export interface FactAnswers {
  /** The facts with every register-answered one put in place of what was typed. */
  facts: ApplicationFacts;
  sources: Partial<Record<FactName, FactSource>>;
  /** What the registers refuse the application for, each at its fact (a 备案号 no filing of the system has, or another applicant's). */
  problems?: FieldIssue[];
}

/** The entries of one register that a look-up reads (the registers as of the day). */
export type RegisterEntries = Partial<Record<RegisterKind, readonly RegisterEntry[]>>;

/** The registers a programme's facts are looked up in, for the caller to load. */
export function registersNeeded(facts: readonly FactName[]): RegisterKind[] {
  const kinds = new Set<RegisterKind>();
  for (const fact of facts) {
    const source = factSourceOf(fact);
    if (source !== 'claimed') kinds.add(source.register);
  }
  return [...kinds];
}

const isOrganisation = (facts: ApplicationFacts) => facts.applicantKind !== undefined && ORGANISATION_KINDS.includes(facts.applicantKind);

/**
 * Answers the facts a programme reads (and any other typed) from the registers as of `on`. A
 * register-answerable fact is looked up when its key is known; an organisation without its
 * 统一社会信用代码 is refused, since what it would claim a register knows. A person or a team,
 * who has none, or a venue not named, or a month before any LPR is published: the fact stays
 * the applicant's claim, to be verified by the official.
 */
export function answerFacts(required: readonly FactName[], typed: ApplicationFacts, registers: RegisterEntries, keys: FactKeys, on: LocalDate): FactAnswers {
  const facts: ApplicationFacts = { ...typed };
  // The day of admission is the carrier register's alone (below), whatever was typed.
  delete facts.admittedOn;
  const sources: Partial<Record<FactName, FactSource>> = {};
  const names = [...new Set<FactName>([...required, ...(Object.keys(typed) as FactName[])])].filter((f) => !NOT_CLAIMS.includes(f));
  const missingCode: string[] = [];
  for (const fact of names) {
    const lookup = factSourceOf(fact);
    if (lookup === 'claimed') {
      sources[fact] = { source: 'claimed' };
      continue;
    }
    const answer = lookUp(lookup, facts, registers[lookup.register] ?? [], keys, on);
    if (answer === 'needs-credit-code') {
      missingCode.push(factLabel(fact));
      continue;
    }
    if (answer === undefined) {
      sources[fact] = { source: 'claimed' };
      continue;
    }
    (facts as Record<string, unknown>)[fact] = answer.value;
    // A rent waiver's contract years count from the day the register has the company admitted.
    if (fact === 'admittedToCarrier' && answer.entry) facts.admittedOn = answer.entry.from;
    sources[fact] = { source: 'register', register: lookup.register, entryId: answer.entry?.entryId ?? null, asOf: on, key: answer.key, describe: answer.describe };
  }
  if (missingCode.length > 0) {
    throw validationError(`请填写申请单位的统一社会信用代码：${missingCode.join('、')}须按登记名录核对，不由申请人填写。`, [
      { field: 'facts.unifiedSocialCreditCode', message: '请填写 18 位统一社会信用代码' },
    ]);
  }
  return { facts, sources };
}

type Answer = { value: boolean | number; entry: RegisterEntry | undefined; key: string; describe: string };

function lookUp(lookup: FactLookup, facts: ApplicationFacts, entries: readonly RegisterEntry[], keys: FactKeys, on: LocalDate): Answer | 'needs-credit-code' | undefined {
  const holding = entries.filter((e) => holdsOn(e, on));
  const code = keys.creditCode;
  const zh = REGISTERS[lookup.register].zh;
  const found = (entry: RegisterEntry | undefined, key: string, what: (e: RegisterEntry) => string): Answer =>
    entry ? { value: true, entry, key, describe: `${zh}：${what(entry)}` } : { value: false, entry: undefined, key, describe: `${zh}中没有 ${key} 在 ${on} 有效的条目` };
  const since = (e: RegisterEntry) => `${e.from} 起${e.to ? `至 ${e.to}` : ''}`;
  switch (lookup.by) {
    case 'credit-code': {
      if (!code) return isOrganisation(facts) ? 'needs-credit-code' : undefined;
      const matches = holding.filter((e) => e.subject === code);
      if (lookup.register === 'carrier-tenants') {
        const carrier = lookup.carrier;
        const entry = matches.find((e) => carrier === undefined || String(e.detail.carrier).includes(carrier));
        return found(entry, code, (e) => `${e.name} 入驻 ${e.detail.carrier}，${since(e)}`);
      }
      const category = lookup.register === 'key-enterprises' ? lookup.category : undefined;
      return found(
        matches.find((e) => category === undefined || e.detail.category === category),
        code,
        (e) => `${e.name}（${e.detail.category}），${since(e)}`,
      );
    }
    case 'credit-code-or-account': {
      const key = code ?? keys.applicantAccountId;
      return found(holding.find((e) => e.subject === key), key, (e) => `${e.name}（${e.detail.basis}），${since(e)}`);
    }
    case 'credit-code-and-item': {
      if (!code) return isOrganisation(facts) ? 'needs-credit-code' : undefined;
      // Without the item the selection cannot be matched to what is funded: the official checks it.
      if (!facts.itemId) return undefined;
      const key = `${code} / ${facts.itemId}`;
      return found(holding.find((e) => e.subject === code && e.detail.itemId === facts.itemId), key, (e) => `${e.name} 的 ${e.detail.itemId} 入选 ${e.detail.selection}`);
    }
    case 'venue': {
      if (!keys.venue) return undefined;
      const venue = keys.venue.trim();
      return found(holding.find((e) => e.subject === venue), venue, (e) => `${e.name}${e.detail.address ? `（${e.detail.address}）` : ''}`);
    }
    case 'month': {
      // The LPR in force on the day is the last one published on or before it.
      const published = entries.filter((e) => !e.ended && compareDates(e.from, on) <= 0).sort((a, b) => compareDates(b.from, a.from));
      const latest = published[0];
      if (!latest) return undefined;
      // Same-period LPR: the over-five-year rate for loans longer than five years, the one-year rate otherwise.
      const longTerm = (facts.termMonths ?? 0) > 60;
      const value = Number(longTerm ? latest.detail.overFiveYearsBasisPoints : latest.detail.oneYearBasisPoints);
      return { value, entry: latest, key: latest.subject, describe: `${zh}：${latest.subject}（${latest.from} 公布）${longTerm ? '5年期以上' : '1年期'} ${(value / 100).toFixed(2)}%` };
    }
  }
}

/**
 * The claimed facts a money decision rests on that no official has verified yet: every fact the
 * case recorded as the applicant's claim (those the programme reads, and any other given), not yet
 * verified. Empty for cases opened before facts had sources.
 */
export function unverifiedClaims(sources: Partial<Record<string, FactSource>> | undefined, verified: Readonly<Record<string, unknown>> | undefined): string[] {
  if (!sources) return [];
  return Object.keys(sources).filter((fact) => sources[fact]?.source === 'claimed' && !verified?.[fact]);
}
