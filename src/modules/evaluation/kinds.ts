// Enumerations of evaluation (issue 9 §6).

/** 优秀 / 良好 / 合格 / 不合格. */
export const GRADES = ['excellent', 'good', 'pass', 'fail'] as const;
export type Grade = (typeof GRADES)[number];

/** 好差评: 非常满意 5 … 非常不满意 1; 1 and 2 are bad ratings that must be followed up. */
export const RATING_LEVELS = [1, 2, 3, 4, 5] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];

/** A rating of 1 or 2 (不满意, 非常不满意) must be followed up by the department. */
export const BAD_RATING_MAX = 2;

/** Where a rating was given: the citizen portal, or the counter's rating device recorded by staff. */
export const RATING_CHANNELS = ['portal', 'counter'] as const;
export type RatingChannel = (typeof RATING_CHANNELS)[number];

/** The tags a rating may carry (the portal offers them as chips). */
export const RATING_TAGS = ['办事快', '态度好', '一次办好', '材料简便', '等待时间长', '多次跑腿', '态度差', '收费不明'] as const;

/**
 * A complaint's states: 待受理 (filed) → 已受理 (accepted) / 不予受理 (not_accepted, final, with a reason) →
 * 已办理 (handled: the handling result recorded) → 已办结 (closed).
 */
export const COMPLAINT_STATES = ['filed', 'accepted', 'not_accepted', 'handled', 'closed'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

export const COMPLAINT_CHANNELS = ['portal', 'staff'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

/** Grade thresholds of the monthly score (D79): at least this many points for the grade. */
export const GRADE_THRESHOLDS: Readonly<Record<Grade, number>> = { excellent: 90, good: 80, pass: 60, fail: 0 };

/** The parts of the monthly score and their maxima (D79): 100 points plus a bonus of up to 10. */
export const SCORE_PARTS = { timeliness: 40, overdue: 30, irregularities: 10, satisfaction: 20, bonus: 10 } as const;
export type ScorePart = keyof typeof SCORE_PARTS;
