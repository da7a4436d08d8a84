// Request and response schemas of the second-factor sign-in step.
import { Type } from 'typebox';

export const SecondFactorResponse = Type.Object({
  secondFactor: Type.Object({
    challengeId: Type.String({ format: 'uuid' }),
    phoneMasked: Type.String({ description: 'Where the code went, e.g. 138****5678' }),
    expiresAt: Type.String({ description: 'When the code stops working' }),
    resendAfterSeconds: Type.Integer({ description: 'Wait this long before asking for a new code' }),
  }),
});

export const SecondFactorBody = Type.Object(
  { challengeId: Type.String({ format: 'uuid' }), code: Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code from the SMS' }) },
  { additionalProperties: false },
);

export const ResendBody = Type.Object({ challengeId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
