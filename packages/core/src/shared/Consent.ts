/**
 * What a command does for a person whose consent to the processing of their data (scope `DataProcessing`)
 * is withdrawn and not given again. Each context that names people on file lists every command of its own
 * (`afterWithdrawal` in its Decide.ts), its decisions do what the list says, and docs/domain.md prints it:
 * - `Runs`: no new data about the person, or another legal basis than consent (PIPL art. 13);
 * - `Refused`: refused with the registry's `ProcessingConsentWithdrawn`;
 * - `RefusedUnless`: refused so, unless `unless` holds (an emergency, a legal duty);
 * - `FieldsRefused`: runs, but `fields` (free text about the person) must be empty (`NotesAboutWithdrawnPerson`);
 * - `NotChecked`: the command names people but not their household, so their file is not read.
 */
export type AfterWithdrawal =
  | { readonly _tag: "Runs"; readonly why: string }
  | { readonly _tag: "Refused"; readonly why: string }
  | { readonly _tag: "RefusedUnless"; readonly unless: string; readonly why: string }
  | { readonly _tag: "FieldsRefused"; readonly fields: ReadonlyArray<string>; readonly why: string }
  | { readonly _tag: "NotChecked"; readonly why: string }

/** One entry per command tag of a context: a command left out fails to compile. */
export type AfterWithdrawalOf<Tag extends string> = { readonly [K in Tag]: AfterWithdrawal }
