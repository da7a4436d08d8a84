// Request and response schemas of the citizen routes.
import { Type, type Static } from 'typebox';
import { CN_MOBILE_PATTERN } from '../../shared/id-number.ts';

const Phone = Type.String({ pattern: CN_MOBILE_PATTERN, description: '11-digit mainland mobile number' });
const Code = Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code received by SMS' });
const Password = Type.String({ minLength: 1, maxLength: 128 });

export const CodeRequestBody = Type.Object(
  {
    phone: Phone,
    purpose: Type.Union([Type.Literal('register'), Type.Literal('sign_in'), Type.Literal('change_phone')], { description: 'change_phone needs a citizen session' }),
  },
  { additionalProperties: false },
);

export const CodeSentSchema = Type.Object({
  phoneMasked: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  resendAfterSeconds: Type.Integer(),
});

export const RegisterBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50, pattern: '^[^<>\\x00-\\x1f]+$' }),
    idNumber: Type.String({ minLength: 18, maxLength: 18, description: '18-character citizen ID number (GB 11643)' }),
    phone: Phone,
    password: Password,
    code: Code,
  },
  { additionalProperties: false },
);

export const PasswordSignInBody = Type.Object(
  {
    identifier: Type.String({ minLength: 1, maxLength: 32, description: 'Mobile number or ID number' }),
    password: Password,
    captchaId: Type.Optional(Type.String({ format: 'uuid', description: 'From POST /api/auth/captcha; required after repeated failed sign-ins' })),
    captchaAnswer: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
  },
  { additionalProperties: false },
);

export const CodeSignInBody = Type.Object({ phone: Phone, code: Code }, { additionalProperties: false });

export const ChangePhoneBody = Type.Object({ phone: Phone, code: Code }, { additionalProperties: false });

export const ChangePasswordBody = Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false });

export const ProfileSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  idNumberMasked: Type.String({ description: 'First 6 and last 4 characters' }),
  phoneMasked: Type.String(),
  registeredAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const CitizenSessionSchema = Type.Object({ profile: ProfileSchema, csrfToken: Type.String() });

/** The citizen's own record as the API sends it (the console imports this type too). */
export type CitizenProfile = Static<typeof ProfileSchema>;
export type CodeSent = Static<typeof CodeSentSchema>;
export type CodePurposeName = Static<typeof CodeRequestBody>['purpose'];
