// The repository's own ESLint configuration refuses a deep import into another module and accepts the public face.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the file `file` (a fixture that need not exist) and returns the boundary errors. */
async function boundaryErrors(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'govcloud/module-boundaries');
}

describe('module boundaries lint rule', () => {
  it("refuses an import from inside another module, naming both modules", async () => {
    const errors = await boundaryErrors('src/modules/alpha/service.ts', "import { insertUser } from '../accounts/repository.ts';\nexport const x = insertUser;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.severity).toBe(2);
    expect(errors[0]!.message).toContain("Module 'alpha' imports '../accounts/repository.ts' from inside module 'accounts'");
  });

  it('refuses re-exports and dynamic imports that reach inside, from any depth', async () => {
    const code = "export { hashPassword } from '../../accounts/password.ts';\nexport const later = () => import('../../regions/importer.ts');\n";
    expect(await boundaryErrors('src/modules/alpha/migrations/x.ts', code)).toHaveLength(2);
  });

  it("accepts another module's index.ts, the module's own files, platform, shared and db", async () => {
    const code = [
      "import { AuditService } from '../audit/index.ts';",
      "import { helper } from './helper.ts';",
      "import { defineModule } from '../../platform/module.ts';",
      "import { requireScope } from '../../shared/access.ts';",
      "import { inScope } from '../../db/jurisdiction.ts';",
      'export const all = [AuditService, helper, defineModule, requireScope, inScope];',
      '',
    ].join('\n');
    expect(await boundaryErrors('src/modules/alpha/service.ts', code)).toEqual([]);
  });

  it('leaves files outside a module folder alone (the registry lists the manifests)', async () => {
    expect(await boundaryErrors('src/modules/registry.ts', "import { auditModule } from './audit/module.ts';\nexport const m = auditModule;\n")).toEqual([]);
  });
});
