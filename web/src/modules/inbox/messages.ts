// UI strings of the inbox (站内信), merged into the console's dictionary (i18n.ts).
export const inboxZh = {
  'nav.inbox': '站内信',
  'inbox.title': '站内信',
  'inbox.badge': '站内信',
  'inbox.all': '全部',
  'inbox.unread': '未读',
  'inbox.readAll': '全部标为已读',
  'inbox.markedAll': '已将 {n} 条标为已读',
  'inbox.empty': '暂无消息',
  'inbox.open': '查看',
  'inbox.markRead': '标为已读',
  'inbox.new': '新',
} as const;

export const inboxEn: Record<keyof typeof inboxZh, string> = {
  'nav.inbox': 'Messages',
  'inbox.title': 'Messages',
  'inbox.badge': 'Messages',
  'inbox.all': 'All',
  'inbox.unread': 'Unread',
  'inbox.readAll': 'Mark all read',
  'inbox.markedAll': '{n} marked read',
  'inbox.empty': 'No messages',
  'inbox.open': 'Open',
  'inbox.markRead': 'Mark read',
  'inbox.new': 'New',
};
