// TypeBox schemas of the metering API (issue 10 §5).
import { Type } from 'typebox';
import { Uuid } from '../../http/schemas.ts';

const Month = Type.String({ description: 'A Beijing calendar month, YYYY-MM', examples: ['2026-11'], maxLength: 7 });
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

export const MonthQuery = Type.Object({ month: Month }, { additionalProperties: false });
export const UsageQuery = Type.Object({ month: Month, departmentId: Type.Optional(Uuid) }, { additionalProperties: false });

export const UsageRowSchema = Type.Object({
  departmentId: Type.String(),
  departmentName: Type.String(),
  vms: Type.Integer(),
  hours: Type.Integer({ description: 'VM-hours metered' }),
  vcpuHours: Type.Number({ description: 'Allocated vCPU-hours' }),
  vcpuHoursUsed: Nullable(Type.Number({ description: 'Busy vCPU-hours over the hours where the hypervisor told; null: never known' })),
  memoryGbHours: Type.Number(),
  memoryGbHoursUsed: Nullable(Type.Number()),
  storageGbHours: Type.Number(),
  storageGbHoursUsed: Nullable(Type.Number()),
  cpuUtilisation: Nullable(Type.Number({ description: 'Used ÷ allocated, %, over the hours where used is known' })),
  memoryUtilisation: Nullable(Type.Number()),
  storageUtilisation: Nullable(Type.Number()),
});
export const UsageSchema = Type.Object({ month: Type.String(), rows: Type.Array(UsageRowSchema) });

export const TariffSchema = Type.Object({
  id: Type.String(),
  effectiveMonth: Type.String(),
  vcpuHour: Type.Number({ description: 'Yuan per vCPU-hour' }),
  memoryGbHour: Type.Number({ description: 'Yuan per GB-hour of memory' }),
  storageGbHour: Type.Number({ description: 'Yuan per GB-hour of storage' }),
  stoppedDiscount: Type.Number({ description: 'Fraction taken off the compute price of a VM not running (0…1)' }),
  note: Type.String(),
  createdAt: Type.String(),
});
export const TariffsSchema = Type.Object({ current: TariffSchema, history: Type.Array(TariffSchema) });
export const TariffBody = Type.Object(
  {
    effectiveMonth: Month,
    vcpuHour: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    memoryGbHour: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    storageGbHour: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    stoppedDiscount: Type.Number({ minimum: 0, maximum: 1 }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const ChargeRowSchema = Type.Object({
  departmentId: Type.String(),
  departmentName: Type.String(),
  businessSystemId: Type.Union([Type.String(), Type.Null()]),
  businessSystemName: Type.Union([Type.String(), Type.Null()]),
  vms: Type.Integer(),
  vcpuHoursRunning: Type.Number(),
  vcpuHoursStopped: Type.Number(),
  memoryGbHoursRunning: Type.Number(),
  memoryGbHoursStopped: Type.Number(),
  storageGbHours: Type.Number(),
  runningYuan: Type.Number(),
  stoppedYuan: Type.Number(),
  storageYuan: Type.Number(),
  totalYuan: Type.Number(),
});
export const ChargebackSchema = Type.Object({
  month: Type.String(),
  tariff: TariffSchema,
  rows: Type.Array(ChargeRowSchema),
  departments: Type.Array(Type.Object({ departmentId: Type.String(), departmentName: Type.String(), totalYuan: Type.Number() })),
  totalYuan: Type.Number(),
});
