// Public face of the inbox module.
export { inboxModule } from './module.ts';
export { InboxService, type InboxMessage, type NewMessage } from './service.ts';
