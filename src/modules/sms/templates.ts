// SMS templates with named variables: `【政务云】{name}，您的{item}已办结。` The variables a body uses must be exactly
// the ones the template declares (checked when saved), and a send must give exactly those (checked when sent).
import { invalid } from '../../shared/errors.ts';

const PLACEHOLDER = /\{([^{}]*)\}/g;
export const VARIABLE_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,31}$';
const VARIABLE_NAME = new RegExp(VARIABLE_NAME_PATTERN);

/** The variable names a template body uses, in order of first use; throws on a malformed placeholder. */
export function placeholders(body: string, field = 'body'): string[] {
  const names: string[] = [];
  for (const match of body.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!VARIABLE_NAME.test(name)) throw invalid('sms.template_placeholder', field, `"{${name}}" is not a variable name (a letter, then letters, digits or _ ; at most 32).`);
    if (!names.includes(name)) names.push(name);
  }
  const stray = body.replace(PLACEHOLDER, '').match(/[{}]/);
  if (stray) throw invalid('sms.template_placeholder', field, `The body has an unmatched "${stray[0]}".`);
  return names;
}

/** A template being saved: every placeholder is declared and every declared variable is used. */
export function checkTemplate(body: string, variables: readonly string[]): void {
  const used = placeholders(body);
  variables.forEach((name, i) => {
    if (!VARIABLE_NAME.test(name)) throw invalid('sms.template_variable', `variables/${i}`, `"${name}" is not a variable name.`);
    if (variables.indexOf(name) !== i) throw invalid('sms.template_variable', `variables/${i}`, `"${name}" is declared twice.`);
    if (!used.includes(name)) throw invalid('sms.template_unused_variable', `variables/${i}`, `The variable "${name}" is declared but the body does not use {${name}}.`);
  });
  const unknown = used.find((name) => !variables.includes(name));
  if (unknown !== undefined) throw invalid('sms.template_unknown_variable', 'body', `The body uses {${unknown}}, which is not among the declared variables.`);
}

/** Fills a template; the values must name exactly its variables. */
export function renderTemplate(body: string, variables: readonly string[], values: Readonly<Record<string, string>>): string {
  const missing = variables.find((name) => typeof values[name] !== 'string');
  if (missing !== undefined) throw invalid('sms.missing_variable', `vars/${missing}`, `The template needs a value for {${missing}}.`);
  const extra = Object.keys(values).find((name) => !variables.includes(name));
  if (extra !== undefined) throw invalid('sms.unknown_variable', `vars/${extra}`, `The template has no variable {${extra}}.`);
  return body.replace(PLACEHOLDER, (_all, name: string) => values[name]!);
}
