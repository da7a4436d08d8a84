import { describeFigures, exchangeFigures } from './exchange.ts';
console.log(describeFigures(await exchangeFigures({ databaseUrl: 'postgres://root@127.0.0.1:5432/postgres', seconds: 5 })));
