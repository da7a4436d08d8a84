// A modal dialog around an antd Form for one mutation: client-side rules first, then the request; the server's
// problem+json `field` lands on the matching form field, anything else is shown above the form.
import { useState, type ReactNode } from 'react';
import { App as AntApp, Form, Modal } from 'antd';
import type { FormInstance, FormRule } from 'antd';
import { isApiError } from '../api/index.ts';
import { useI18n, type Translate } from '../context.tsx';
import type { Failure } from '../validation.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

type FieldPath = (string | number)[];

/** 'grants/0/regionCode' → ['grants', 0, 'regionCode'] (the server's JSON-pointer-ish field names). */
export function fieldPath(field: string): FieldPath {
  return field
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function samePath(a: (string | number)[], b: (string | number)[]): boolean {
  return a.length === b.length && a.every((s, i) => String(s) === String(b[i]));
}

/**
 * Puts a server problem on the form field it names (`field`, mapped through `fieldMap` when the form calls it
 * differently). Returns false when the error names no field of this form, so the caller shows it elsewhere.
 */
export function applyProblem(
  form: FormInstance,
  err: unknown,
  message: string,
  fieldMap: Record<string, string | FieldPath> = {},
): boolean {
  if (!isApiError(err) || !err.field) return false;
  const mapped = fieldMap[err.field];
  const path = mapped === undefined ? fieldPath(err.field) : typeof mapped === 'string' ? [mapped] : mapped;
  const registered = form.getFieldsError().some((f) => samePath(f.name, path));
  if (!registered) return false;
  form.setFields([{ name: path, errors: [message] }]);
  form.scrollToField(path, { block: 'nearest' });
  return true;
}

/** A rule object (not a rule-render function), so rules can also be built inside `({ getFieldValue }) => …`. */
type RuleObject = Exclude<FormRule, (...args: never[]) => unknown>;

/** An antd rule from a client-side check; empty values pass unless `required`. Strings are trimmed first. */
export function checkRule(t: Translate, check: (value: string) => Failure | Promise<Failure>, options: { required?: boolean } = {}): RuleObject {
  return {
    validator: async (_rule, raw: unknown) => {
      const value = typeof raw === 'string' ? raw.trim() : raw == null ? '' : String(raw);
      if (value === '') {
        if (options.required) throw new Error(t('validation.required'));
        return;
      }
      const failure = await check(value);
      if (failure) throw new Error(t(failure.key, failure.params));
    },
  };
}

/** A rule that a value was picked (selects, pickers). */
export function requiredRule(t: Translate): RuleObject {
  return { required: true, message: t('validation.required') };
}

export interface FormModalProps<V, R> {
  title: ReactNode;
  okText?: ReactNode;
  /** Danger-styled OK button (destructive actions). */
  danger?: boolean;
  width?: number;
  initialValues?: Partial<V>;
  /** Sends the request; throw (an ApiError) to keep the dialog open. */
  onSubmit: (values: V, form: FormInstance<V>) => Promise<R>;
  /** Called after a successful submit, with its result; the parent closes the dialog and refreshes. */
  onDone: (result: R) => void;
  onCancel: () => void;
  /** Shown as a success message; omit when onSubmit or onDone shows its own. */
  successMessage?: string | ((result: R) => string);
  /** Server field names that differ from the form's. */
  fieldMap?: Record<string, string | FieldPath>;
  /** Shown above the fields. */
  intro?: ReactNode;
  testId?: string;
  children: ReactNode;
}

/** Mount it when the dialog should show (its form starts fresh each time). */
export function FormModal<V extends object, R = unknown>({
  title,
  okText,
  danger,
  width = 560,
  initialValues,
  onSubmit,
  onDone,
  onCancel,
  successMessage,
  fieldMap,
  intro,
  testId,
  children,
}: FormModalProps<V, R>) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<V>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const onFinish = async (values: V) => {
    setSubmitting(true);
    setError(null);
    try {
      const result = await onSubmit(values, form);
      const text = typeof successMessage === 'function' ? successMessage(result) : successMessage;
      if (text) void message.success(text);
      onDone(result);
    } catch (err) {
      if (!applyProblem(form, err, problem(err), fieldMap)) setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      width={width}
      okText={okText ?? t('common.save')}
      okButtonProps={{ danger, id: testId ? `${testId}-ok` : undefined }}
      cancelText={t('common.cancel')}
      cancelButtonProps={{ id: testId ? `${testId}-cancel` : undefined }}
      confirmLoading={submitting}
      onOk={() => form.submit()}
      onCancel={onCancel}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <div data-testid={testId}>
        {intro}
        {error ? <ErrorAlert error={error} message={problem(error)} /> : null}
        <Form<V>
          form={form}
          layout="vertical"
          initialValues={initialValues}
          onFinish={(v) => void onFinish(v)}
          scrollToFirstError
          className="modal-form"
          disabled={submitting}
        >
          {children}
          {/* Enter in a text field submits the form. */}
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      </div>
    </Modal>
  );
}
