// UI strings of 我的待办, listed by module.tsx (zh-CN is the reference; en-US must have every key).
export const zh = {
  'nav.todo': '我的待办',
  'todo.title': '我的待办',
  'todo.badge': '待办',
  'todo.empty': '暂无待办事项',
  'todo.kind': '类型',
  'todo.item': '事项',
  'todo.deadline': '办理期限',
  'todo.overdue': '已超期',
  'todo.noDeadline': '无期限',
  'todo.open': '去处理',
  'todo.kind.account.activation': '账号待激活',
  'todo.kind.account.locked': '账号已锁定',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'nav.todo': 'To-do',
  'todo.title': 'My to-do list',
  'todo.badge': 'To-do',
  'todo.empty': 'Nothing waits on you',
  'todo.kind': 'Kind',
  'todo.item': 'Item',
  'todo.deadline': 'Due',
  'todo.overdue': 'Overdue',
  'todo.noDeadline': 'No deadline',
  'todo.open': 'Open',
  'todo.kind.account.activation': 'Account awaiting activation',
  'todo.kind.account.locked': 'Account locked',
};
