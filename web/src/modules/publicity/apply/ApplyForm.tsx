// /citizen/approval/items/:id/apply — 在线申请 (signed in): the applicant (oneself or an enterprise), one file per
// material checked client-side against its types and size, then one submission with a request key made once per form,
// so a double click, a retry or a reload of the request gives the same case; each file is then streamed to the case,
// and a file the server refuses shows the server's problem+json message under its material.
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Form, Input, Radio, Spin } from 'antd';
import { isApiError } from '../../../api/index.ts';
import { useI18n } from '../../../context.tsx';
import { navigate } from '../../../router.tsx';
import type { CitizenProfile } from '../../citizens/api.ts';
import { applyApi, newRequestKey, type CitizenItem } from './api.ts';
import { useApplyText } from './messages.ts';
import { checkFile, Failure, Frame, MaterialPicker, SignedIn } from './parts.tsx';

export default function ApplyForm({ id }: { id: string }) {
  const t = useApplyText();
  const [item, setItem] = useState<CitizenItem | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    applyApi.item(id, controller.signal).then(setItem, (err: unknown) => {
      if (!controller.signal.aborted) setError(err);
    });
    return () => controller.abort();
  }, [id]);
  return (
    <Frame title={t('ap.applyTitle')} back={`/citizen/approval/items/${id}`}>
      <SignedIn>{(profile) => (error ? <Failure error={error} /> : item === null ? <Spin className="ap-spin" /> : <Fill item={item} profile={profile} />)}</SignedIn>
    </Frame>
  );
}

interface Values {
  applicantKind: 'citizen' | 'enterprise';
  applicantName?: string;
  applicantIdNumber?: string;
}

function Fill({ item, profile }: { item: CitizenItem; profile: CitizenProfile }) {
  const t = useApplyText();
  const { problem } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('applicantKind', form) ?? 'citizen';
  // made once per form: every press of 提交 (and a retry after a failed upload) sends the same key
  const [requestKey] = useState(newRequestKey);
  const [files, setFiles] = useState<Record<number, File>>({});
  const [errors, setErrors] = useState<Record<number, string | null>>({});
  /** Files already stored on the case, by material (so a retry sends only what failed). */
  const uploaded = useRef(new Map<number, File>());
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [partial, setPartial] = useState<{ id: string; caseNo: string } | null>(null);

  const pick = (seq: number, file: File) => {
    const material = item.materials.find((m) => m.seq === seq)!;
    const refused = checkFile(t, material, file);
    setErrors((e) => ({ ...e, [seq]: refused }));
    if (refused) {
      setFiles(({ [seq]: _dropped, ...rest }) => rest);
      return;
    }
    setFiles((f) => ({ ...f, [seq]: file }));
  };

  const submit = async () => {
    // a second click while the first is still on its way does nothing (and the server would give the same case anyway)
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      await send();
    } finally {
      inFlight.current = false;
    }
  };

  const send = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const missing = item.materials.filter((m) => m.required && !files[m.seq]);
    if (missing.length > 0) {
      setErrors((e) => ({ ...e, ...Object.fromEntries(missing.map((m) => [m.seq, t('ap.missingFile', { name: m.name })])) }));
      return;
    }
    if (item.materials.some((m) => errors[m.seq])) return;
    setBusy(true);
    try {
      const view = await applyApi.apply({
        itemId: item.id,
        requestKey,
        applicantKind: values.applicantKind,
        ...(values.applicantKind === 'enterprise' ? { applicantName: values.applicantName?.trim(), applicantIdNumber: values.applicantIdNumber?.trim().toUpperCase() } : {}),
      });
      let failed = false;
      for (const m of item.materials) {
        const file = files[m.seq];
        if (!file || uploaded.current.get(m.seq) === file) continue;
        try {
          await applyApi.upload(view.id, m.seq, file);
          uploaded.current.set(m.seq, file);
          setErrors((e) => ({ ...e, [m.seq]: null }));
        } catch (err) {
          failed = true;
          setErrors((e) => ({ ...e, [m.seq]: problem(err) }));
        }
      }
      if (failed) {
        setPartial({ id: view.id, caseNo: view.caseNo });
      } else {
        void message.success(t('ap.submitted', { no: view.caseNo }));
        navigate(`/citizen/approval/cases/${view.id}`);
      }
    } catch (err) {
      if (isApiError(err) && err.field && ['applicantName', 'applicantIdNumber'].includes(err.field)) form.setFields([{ name: err.field as keyof Values, errors: [problem(err)] }]);
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="ap-card">
        <h2>{item.name}</h2>
        <div className="ap-small ap-muted">
          {item.department.name} · {t('ap.promised')} {t('ap.days', { n: item.promisedDays })}
        </div>
      </div>
      <Form<Values> form={form} layout="vertical" initialValues={{ applicantKind: 'citizen' }} className="ap-card" data-testid="ap-apply-form" data-request-key={requestKey}>
        <h3>{t('ap.applicant')}</h3>
        <Form.Item name="applicantKind">
          <Radio.Group
            options={[
              { value: 'citizen', label: t('ap.applicantKind.citizen') },
              { value: 'enterprise', label: t('ap.applicantKind.enterprise') },
            ]}
          />
        </Form.Item>
        {kind === 'citizen' ? (
          <div className="ap-small" data-testid="ap-applicant">
            {profile.name} · {profile.idNumberMasked}
          </div>
        ) : (
          <>
            <Form.Item name="applicantName" label={t('ap.enterpriseName')} rules={[{ required: true, whitespace: true, message: t('ap.enterpriseNameRequired') }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="applicantIdNumber" label={t('ap.creditCode')} rules={[{ required: true, pattern: /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/i, message: t('ap.creditCodeRequired') }]}>
              <Input maxLength={18} />
            </Form.Item>
          </>
        )}
      </Form>
      <div className="ap-card">
        <h3>{t('ap.materials')}</h3>
        {item.materials.map((m) => (
          <MaterialPicker key={m.seq} material={m} file={files[m.seq] ?? null} error={errors[m.seq] ?? null} onPick={(f) => pick(m.seq, f)} />
        ))}
      </div>
      {partial && (
        <Alert
          type="warning"
          showIcon
          title={t('ap.uploadFailed', { no: partial.caseNo })}
          action={
            <Button size="small" onClick={() => navigate(`/citizen/approval/cases/${partial.id}`)}>
              {partial.caseNo}
            </Button>
          }
          data-testid="ap-partial"
        />
      )}
      <Button type="primary" size="large" block loading={busy} onClick={() => void submit()} data-testid="ap-submit">
        {busy ? t('ap.submitting') : t('ap.submit')}
      </Button>
    </>
  );
}
