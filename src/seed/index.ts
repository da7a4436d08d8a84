// Public face of the seed module: demo data for a prefecture.
export { seedDemo, listDemoAccounts, DEMO_PASSWORD, type DemoAccount, type SeedOptions, type SeedResult } from './demo.ts';
export { planDepartments, type PlannedDepartment } from './catalog.ts';
