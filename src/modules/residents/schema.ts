// Response schema of the resident 360 view; the console imports its types (type-only), so only typebox here.
import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ResidentSourceSchema = Type.Object({
  resourceCode: Type.String(),
  resourceName: Type.String(),
  theme: Nullable(Type.String()),
  providerDepartmentId: Type.String(),
  providerDepartmentName: Type.String(),
  access: Type.Union([Type.Literal('granted'), Type.Literal('no_grant')], { description: 'no_grant: your department holds no usable grant (request one)' }),
  grantId: Nullable(Type.String()),
  /** The granted items, in catalogue order. */
  items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  records: Type.Array(
    Type.Object({
      values: Type.Record(Type.String(), Type.Unknown(), { description: 'Granted items only, masked by the grant' }),
      updatedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  lastLoadAt: Nullable(Type.String({ format: 'date-time' })),
  updateCycle: Type.String(),
});

export const ResidentViewSchema = Type.Object({
  idNumber: Type.String(),
  generatedAt: Type.String({ format: 'date-time' }),
  sources: Type.Array(ResidentSourceSchema),
});

export type ResidentSource = Static<typeof ResidentSourceSchema>;
export type ResidentView = Static<typeof ResidentViewSchema>;
