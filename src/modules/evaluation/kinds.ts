// Enumerations of evaluation (issue 9 §6).

/** 优秀 / 良好 / 合格 / 不合格. */
export const GRADES = ['excellent', 'good', 'pass', 'fail'] as const;
export type Grade = (typeof GRADES)[number];

/** 好差评: 非常满意 5 … 非常不满意 1; 1 and 2 are bad ratings that must be followed up. */
export const RATING_LEVELS = [1, 2, 3, 4, 5] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
