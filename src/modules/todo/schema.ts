// Response schemas of 我的待办 (TodoItem of platform/module.ts on the wire); the console imports the types.
import { Type, type Static } from 'typebox';

export const TodoItemSchema = Type.Object({
  module: Type.String(),
  kind: Type.String({ description: 'e.g. account.activation, account.locked' }),
  id: Type.String(),
  title: Type.String(),
  deadline: Type.Union([Type.String(), Type.Null()], { description: 'ISO date (working-day deadline) or instant' }),
  link: Type.String({ description: 'Console path where you act on it' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export type TodoItemView = Static<typeof TodoItemSchema>;
