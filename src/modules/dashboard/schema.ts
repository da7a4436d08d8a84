// Response schema of the dashboard summary; RegionNode is a shared schema because it nests itself.
import { Type } from 'typebox';

export const RegionNodeSchema = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    level: Type.Integer(),
    departments: Type.Integer({ description: 'Departments in this subtree' }),
    users: Type.Integer({ description: 'Accounts in this subtree' }),
    children: Type.Array(Type.Ref('RegionNode')),
  },
  { $id: 'RegionNode' },
);

export const DashboardSummarySchema = Type.Object({
  generatedAt: Type.String(),
  totals: Type.Object({
    regions: Type.Object({ prefecture: Type.Integer(), county: Type.Integer(), township: Type.Integer(), community: Type.Integer() }),
    departments: Type.Integer(),
    users: Type.Integer(),
  }),
  tree: Type.Ref('RegionNode'),
});
