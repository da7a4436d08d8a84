// The catalogue's enumerations, in a pure file the console can import (tables.ts augments the server's Database).
/** 资源分类: 基础 / 主题 / 部门 information resources. */
export type ResourceClass = 'base' | 'theme' | 'department';
/** 更新周期. */
export type UpdateCycle = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'half_yearly' | 'yearly' | 'realtime';
/** 开放属性: 不开放 / 有条件开放 / 无条件开放. */
export type OpenAttr = 'closed' | 'conditional' | 'open';
/** 共享方式: 接口 / 文件 / 订阅. */
export type ShareMode = 'api' | 'file' | 'subscription';
/** 共享类型 per item: 无条件共享 / 有条件共享 / 不予共享. */
export type ShareType = 'unconditional' | 'conditional' | 'none';
export type ItemType = 'string' | 'integer' | 'decimal' | 'date' | 'datetime' | 'boolean' | 'id_number' | 'mobile' | 'region_code';
/** How an item is masked when a grant does not reveal it ('none': shown as is). */
export type ItemMask = 'id_number' | 'phone' | 'name' | 'all' | 'none';
