import { smsFigures } from '/work/wt/h7/bench/sms.ts';
const rows = await smsFigures();
for (const r of rows) console.log(r.figure, '|', r.value.toFixed(1), r.unit, '|', r.baseline?.toFixed(1) ?? '', '|', r.baseline ? (r.value / r.baseline).toFixed(2) + '×' : '', '|', r.target ?? '');
