// /evaluation/follow-ups — 差评回访: my department's bad ratings, those awaiting follow-up first shown, with the form.
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { RatingsTable } from './RatingsTable.tsx';

export default function FollowUpsPage() {
  const { t } = useI18n();
  return (
    <div className="page">
      <PageHeader title={t('nav.evaluation.followUps')} />
      <RatingsTable id="evaluation-follow-ups" badOnly initialFollowUp="pending" />
    </div>
  );
}
