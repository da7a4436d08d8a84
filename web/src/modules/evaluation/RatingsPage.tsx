// /evaluation/ratings — 好差评: every rating in the jurisdiction, filtered by level, follow-up state and month.
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { RatingsTable } from './RatingsTable.tsx';

export default function RatingsPage() {
  const { t } = useI18n();
  return (
    <div className="page">
      <PageHeader title={t('evaluation.ratings.title')} />
      <RatingsTable id="evaluation-ratings" />
    </div>
  );
}
