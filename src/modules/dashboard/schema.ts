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

const RegionRefSchema = Type.Object({ code: Type.String(), name: Type.String(), level: Type.Integer() });

export const DashboardSummarySchema = Type.Object({
  generatedAt: Type.String(),
  jurisdiction: Type.Array(Type.Object({ ...RegionRefSchema.properties, ancestors: Type.Array(RegionRefSchema, { description: 'Enclosing regions, prefecture first' }) }), {
    description: "The caller's jurisdiction: one entry per region their grants are rooted at",
  }),
  totals: Type.Object({
    regions: Type.Object({ prefecture: Type.Integer(), county: Type.Integer(), township: Type.Integer(), community: Type.Integer() }),
    departments: Type.Integer(),
    users: Type.Integer(),
  }),
  tree: Type.Ref('RegionNode'),
});
