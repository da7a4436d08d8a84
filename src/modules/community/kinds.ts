// Enumerations of the community registry, shared with the console.

/** 户籍 / 常住 / 流动. */
export const RESIDENCE_STATUSES = ['registered', 'resident', 'floating'] as const;
export type ResidenceStatus = (typeof RESIDENCE_STATUSES)[number];

export const RESIDENT_STATUSES = ['active', 'moved_out', 'deceased'] as const;
export type ResidentStatus = (typeof RESIDENT_STATUSES)[number];

/** Relation to the head of household (与户主关系). */
export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

/**
 * The facts of the integrated resident view that statistics and notices filter on, each derived from a person-keyed
 * resource of the sharing platform through the community department's grant (community_resident_fact).
 */
export const FACTS = ['social_security', 'medical_insurance', 'family_planning', 'party_member', 'disability', 'low_income', 'elderly_alone', 'veteran'] as const;
export type Fact = (typeof FACTS)[number];
