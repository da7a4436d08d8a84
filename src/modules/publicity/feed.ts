// The plain-text feed for LED controllers that poll: short lines (at most 20 characters), newest figures first.
import iconv from 'iconv-lite';
import type { ScreenSnapshot } from './schema.ts';

const LEVELS = { prompt: '提醒', yellow: '黄牌', red: '红牌', irregular: '违规' } as const;
const MAX_CHARS = 20;
const short = (line: string) => [...line].slice(0, MAX_CHARS).join('');

export function feedLines(s: ScreenSnapshot): string[] {
  const lines = [`哈密市政务服务 ${s.today}`, `今日受理${s.accepted}件 办结${s.concluded}件`];
  for (const c of s.counties) lines.push(`${c.name} 受理${c.accepted} 办结${c.concluded}`);
  for (const w of s.warnings.slice(0, 5)) lines.push(`[${LEVELS[w.level]}]${w.summary}`);
  if (s.rankingMonth) {
    lines.push(`${s.rankingMonth} 部门排名`);
    for (const r of s.ranking.slice(0, 5)) lines.push(`${r.rank}.${r.department} ${r.score}`);
  }
  return lines.map(short);
}

/** The feed's bytes: UTF-8, or GBK for controllers that only know GB2312/GBK (CRLF line ends, as they expect). */
export function feedBytes(s: ScreenSnapshot, charset: 'utf-8' | 'gbk'): Buffer {
  const text = `${feedLines(s).join('\r\n')}\r\n`;
  return charset === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
}
