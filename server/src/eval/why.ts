// Why a day's decision is what it is, as data: which rule (and what it did), which
// step of the precedence, which calendar fact. The evaluator returns it on every
// day it steps and never words it; `whyPhrase` names the message table's phrase
// that says it (the "decided by" of POS5001 and POS5005, hover), like
// diagnostics/problems.ts for the syntax and unit problems of the layers below.
import { phrase } from '../diagnostics/finding.js';
import type { Phrase } from '../diagnostics/messages.js';
import type { Decision, GateInfo, RuleInfo } from '../semantics/model.js';
import { formatCondition } from './condition.js';

export type Why =
  /** The course was discontinued on an earlier day. */
  | { readonly kind: 'discontinued' }
  /** A rule whose `when` holds today decided, with its action. */
  | { readonly kind: 'rule'; readonly rule: RuleInfo; readonly action: Decision['kind'] }
  /** A hold with `until` that started on an earlier day is still in force. */
  | { readonly kind: 'holding'; readonly rule: RuleInfo }
  /** A hold ended today and its resume set the dose. */
  | { readonly kind: 'resumed'; readonly rule: RuleInfo; readonly dose: number; readonly unit: string }
  /** A hold ended today and its resume falls below the lowest dose level: the course discontinues. */
  | { readonly kind: 'below floor'; readonly rule: RuleInfo; readonly floor: number; readonly unit: string }
  /** Today is day 1 of a cycle that waits: `gate` is the cycle-start gate that does not hold (absent: said for a companion, which waits with the regimen). */
  | { readonly kind: 'delayed'; readonly cycle: number; readonly gate?: GateInfo }
  /** Not a dosing day of the schedule (`of`: the cycle's length). */
  | { readonly kind: 'rest day'; readonly day: number; readonly of?: number }
  | { readonly kind: 'start dose' }
  | { readonly kind: 'current dose' }
  // A companion's (a `with` drug's) decision:
  | { readonly kind: 'regimen discontinued' }
  | { readonly kind: 'drug discontinued'; readonly drug: string }
  /** Two of its lines dose today in units that cannot be added without the body-size fact. */
  | { readonly kind: 'units not added'; readonly drug: string; readonly units: readonly [string, string]; readonly fact: string }
  | { readonly kind: 'not scheduled' }
  | { readonly kind: 'with line'; readonly drug: string };

/** The table's phrase that says why. */
export function whyPhrase(why: Why): Phrase {
  switch (why.kind) {
    case 'discontinued':
      return phrase('WhyDiscontinued');
    case 'rule':
      return phrase('WhyRule', why.rule.name, why.action);
    case 'holding': {
      const action = why.rule.action;
      return action.kind === 'hold' && action.until ? phrase('WhyHoldUntil', why.rule.name, formatCondition(action.until.condition)) : phrase('WhyRule', why.rule.name, 'hold');
    }
    case 'resumed':
      return phrase('WhyResumed', why.rule.name, `${why.dose} ${why.unit}`);
    case 'below floor':
      return phrase('WhyBelowFloor', why.rule.name, `${why.floor} ${why.unit}`);
    case 'delayed':
      return why.gate ? phrase('WhyCycleDelayedBy', why.cycle, formatCondition(why.gate.condition)) : phrase('WhyCycleDelayed', why.cycle);
    case 'rest day':
      return why.of ? phrase('WhyRestDayOf', why.day, why.of) : phrase('WhyRestDay', why.day);
    case 'start dose':
      return phrase('WhyStartDose');
    case 'current dose':
      return phrase('WhyCurrentDose');
    case 'regimen discontinued':
      return phrase('WhyRegimenDiscontinued');
    case 'drug discontinued':
      return phrase('WhyDrugDiscontinued', why.drug);
    case 'units not added':
      return phrase('WhyUnitsNotAdded', why.drug, why.units[0], why.units[1], why.fact);
    case 'not scheduled':
      return phrase('WhyNotScheduled');
    case 'with line':
      return phrase('WhyWithLine', why.drug);
  }
}
